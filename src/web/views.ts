// What the pages show of the rows db/queries reads: a status card's view (author, ready images, who
// boosted, the viewer's buttons) and a notification's. The pages ask the same queries the client API
// asks (visibility, blocks and mutes are applied there, once); this file only maps their answers.
import type { Database } from "../db/client.ts";
import { findAccountsByIds } from "../db/queries/accounts.ts";
import type { Account, MediaAttachment, Notification, Status } from "../db/queries/rows.ts";
import {
  loadStatusBundle,
  type ViewerState,
  visibleStatusesByIds,
} from "../db/queries/statuses.ts";

export type { ViewerState };

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
  /** The signed-in viewer's choices in the status's poll (empty: not voted). */
  pollVotes?: number[];
}

export interface Page<T> {
  items: T[];
  /** Cursor for the next (older) page, or null at the end. */
  next: string | null;
}

export const PAGE_SIZE = 20;

/**
 * Turns status rows a query returned into views, with one status bundle (the API's batch loader) for
 * all of them. Rows whose author is suspended or missing, and boosts of a status not loaded, are left
 * out, as the API's serializer leaves them out.
 */
export function statusViews(db: Database, rows: Status[], viewerId: string | null): StatusView[] {
  if (rows.length === 0) return [];
  const bundle = loadStatusBundle(db, rows, viewerId);
  const views: StatusView[] = [];
  for (const row of rows) {
    const target = row.reblogOfId === null ? row : bundle.statuses.get(row.reblogOfId);
    if (target === undefined) continue;
    const account = bundle.accounts.get(target.accountId);
    if (account === undefined || account.suspendedAt !== null) continue;
    const booster = bundle.accounts.get(row.accountId);
    views.push({
      status: target,
      account,
      // The pages show only processed images (the API lists every attachment, with its state).
      media: (bundle.media.get(target.id) ?? []).filter((m) => m.state === "ready"),
      ...(row.reblogOfId !== null && booster !== undefined ? { boostedBy: booster } : {}),
      cursor: row.id,
      ...(viewerId === null
        ? {}
        : {
            viewer: {
              favourited: bundle.favourited.has(target.id),
              reblogged: bundle.reblogged.has(target.id),
            },
            pollVotes: bundle.pollVotes.get(target.id) ?? [],
          }),
    });
  }
  return views;
}

/**
 * A page from a query read with one row more than shown (`limit + 1`): the views of the first `limit`
 * and, when there is more, the cursor of the last row kept.
 */
export function pageOfStatuses(
  db: Database,
  rows: Status[],
  viewerId: string | null,
  limit: number,
): Page<StatusView> {
  const shown = rows.slice(0, limit);
  return {
    items: statusViews(db, shown, viewerId),
    next: rows.length > limit ? shown[shown.length - 1]!.id : null,
  };
}

export interface NotificationView {
  notification: Notification;
  from: Account;
  status: Status | null;
}

/**
 * Notifications with who caused each and its status. One about a status the viewer may no longer see
 * (or that is gone), or from an account no longer shown, is left out, as the API leaves it out.
 */
export function notificationViews(
  db: Database,
  rows: Notification[],
  viewerId: string,
): NotificationView[] {
  const from = new Map(
    findAccountsByIds(db, [...new Set(rows.map((n) => n.fromAccountId))]).map((a) => [a.id, a]),
  );
  const statusIds = [...new Set(rows.flatMap((n) => (n.statusId === null ? [] : [n.statusId])))];
  const statuses = new Map(visibleStatusesByIds(db, viewerId, statusIds).map((s) => [s.id, s]));
  const views: NotificationView[] = [];
  for (const notification of rows) {
    const account = from.get(notification.fromAccountId);
    if (account === undefined) continue;
    const status = notification.statusId === null ? null : statuses.get(notification.statusId);
    if (status === undefined) continue;
    views.push({ notification, from: account, status });
  }
  return views;
}
