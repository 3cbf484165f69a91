// Reads of statuses for the pages: one status with its author and images, lists (profile posts, replies,
// the home timeline) paged by id, all filtered by who may see them (visibleTo, db/queries/visibility.ts).

import { and, asc, desc, eq, inArray, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { readyMediaByStatus } from "../../db/queries/media.ts";
import { homeTimeline } from "../../db/queries/timelines.ts";
import { visibleTo } from "../../db/queries/visibility.ts";
import {
  type Account,
  accounts,
  type MediaAttachment,
  type Status,
  statuses,
} from "../../db/schema/index.ts";
import { type ViewerState, viewerStates } from "./viewer-state.ts";

export interface StatusView {
  status: Status;
  account: Account;
  media: MediaAttachment[];
  /** For a boost shown in a timeline: who boosted (the status and account are the boosted one's). */
  boostedBy?: Account;
  /** The id to page by (the boost's own id for boosts). */
  cursor: string;
  /** What the signed-in viewer did to the status (for the action buttons); absent for visitors. */
  viewer?: ViewerState;
}

export const PAGE_SIZE = 20;

/** Turns status rows into views: loads authors, attachments and, for boosts, the boosted status. */
export function loadStatusViews(
  db: Database,
  rows: Status[],
  viewerId: string | null,
): StatusView[] {
  if (rows.length === 0) return [];
  const boostedIds = rows.flatMap((r) => (r.reblogOfId === null ? [] : [r.reblogOfId]));
  const boosted =
    boostedIds.length === 0
      ? []
      : db
          .select()
          .from(statuses)
          .where(and(inArray(statuses.id, boostedIds), visibleTo(viewerId)))
          .all();
  const boostedById = new Map(boosted.map((s) => [s.id, s]));
  const shown = [...rows, ...boosted];
  const accountIds = [...new Set(shown.map((s) => s.accountId))];
  const accountById = new Map(
    db
      .select()
      .from(accounts)
      .where(inArray(accounts.id, accountIds))
      .all()
      .map((a) => [a.id, a]),
  );
  const mediaByStatus = readyMediaByStatus(
    db,
    shown.map((s) => s.id),
  );
  const states =
    viewerId === null
      ? undefined
      : viewerStates(
          db,
          viewerId,
          shown.map((s) => s.id),
        );
  const views: StatusView[] = [];
  for (const row of rows) {
    const target = row.reblogOfId === null ? row : boostedById.get(row.reblogOfId);
    if (target === undefined) continue; // a boost of something this viewer may not see
    const account = accountById.get(target.accountId);
    if (account === undefined || account.suspendedAt !== null) continue;
    const booster = accountById.get(row.accountId);
    views.push({
      status: target,
      account,
      media: mediaByStatus.get(target.id) ?? [],
      ...(row.reblogOfId !== null && booster !== undefined ? { boostedBy: booster } : {}),
      cursor: row.id,
      ...(states ? { viewer: states.get(target.id)! } : {}),
    });
  }
  return views;
}

/** One status (not a boost) if the viewer may see it, with its author and images. */
export function findStatusView(
  db: Database,
  id: string,
  viewerId: string | null,
): StatusView | undefined {
  const row = db
    .select()
    .from(statuses)
    .where(and(eq(statuses.id, id), isNull(statuses.reblogOfId), visibleTo(viewerId)))
    .get();
  return row === undefined ? undefined : loadStatusViews(db, [row], viewerId)[0];
}

export interface Page<T> {
  items: T[];
  /** Cursor for the next (older) page, or null at the end. */
  next: string | null;
}

function page(
  db: Database,
  where: SQL,
  viewerId: string | null,
  maxId: string | null,
  limit: number,
): Page<StatusView> {
  const rows = db
    .select()
    .from(statuses)
    .where(and(where, visibleTo(viewerId), maxId === null ? undefined : lt(statuses.id, maxId)))
    .orderBy(desc(statuses.id))
    .limit(limit + 1)
    .all();
  const more = rows.length > limit;
  const views = loadStatusViews(db, rows.slice(0, limit), viewerId);
  return { items: views, next: more ? rows[limit - 1]!.id : null };
}

/** An account's statuses and boosts the viewer may see, newest first. */
export function accountStatusesPage(
  db: Database,
  accountId: string,
  viewerId: string | null,
  maxId: string | null,
  limit = PAGE_SIZE,
): Page<StatusView> {
  return page(db, eq(statuses.accountId, accountId), viewerId, maxId, limit);
}

/**
 * The home timeline: statuses, boosts and replies of the accounts `viewerId` follows (accepted follows
 * only) and the viewer's own, newest first — the same query as the client API's home timeline, so both
 * show the same statuses (blocks and mutes applied) at the same cost.
 */
export function homeTimelinePage(
  db: Database,
  viewerId: string,
  maxId: string | null,
  limit = PAGE_SIZE,
): Page<StatusView> {
  const rows = homeTimeline(db, viewerId, {
    limit: limit + 1,
    ...(maxId === null ? {} : { maxId }),
  });
  const more = rows.length > limit;
  const views = loadStatusViews(db, rows.slice(0, limit), viewerId);
  return { items: views, next: more ? rows[limit - 1]!.id : null };
}

/** Replies to a status (local and remote) the viewer may see, oldest first. */
export function repliesTo(
  db: Database,
  statusId: string,
  viewerId: string | null,
  limit = 100,
): StatusView[] {
  const rows = db
    .select()
    .from(statuses)
    .where(and(eq(statuses.inReplyToId, statusId), visibleTo(viewerId)))
    .orderBy(asc(statuses.id))
    .limit(limit)
    .all();
  return loadStatusViews(db, rows, viewerId);
}

/** The status this one replies to, if stored and visible. */
export function parentOf(
  db: Database,
  status: Status,
  viewerId: string | null,
): StatusView | undefined {
  return status.inReplyToId === null ? undefined : findStatusView(db, status.inReplyToId, viewerId);
}

/** Number of statuses (not boosts) the viewer may see of an account; used on profiles. */
export function countVisibleStatuses(
  db: Database,
  accountId: string,
  viewerId: string | null,
): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(statuses)
      .where(
        and(eq(statuses.accountId, accountId), isNull(statuses.reblogOfId), visibleTo(viewerId)),
      )
      .get()?.n ?? 0
  );
}
