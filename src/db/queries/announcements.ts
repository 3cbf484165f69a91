// Announcement reads: the current ones (published and not ended) with each user's read state and the
// reaction counts, as GET /api/v1/announcements, the streaming API and the home page show them.
import { and, asc, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import {
  type Announcement,
  announcementDismissals,
  announcementReactions,
  announcements,
} from "../schema/index.ts";

export interface ReactionCount {
  name: string;
  count: number;
  /** Whether the viewer is among those who reacted. */
  me: boolean;
}

export interface AnnouncementView {
  announcement: Announcement;
  /** The viewer dismissed it. */
  read: boolean;
  reactions: ReactionCount[];
}

export async function findAnnouncement(
  db: DatabaseLike,
  id: string,
): Promise<Announcement | undefined> {
  return (await db.select().from(announcements).where(eq(announcements.id, id)).limit(1))[0];
}

/** Every announcement, newest first, for the administrators. */
export async function allAnnouncements(db: DatabaseLike): Promise<Announcement[]> {
  return await db.select().from(announcements).orderBy(sql`${announcements.id} desc`);
}

/** Whether an announcement is shown now: starts_at and ends_at describe it, only ends_at hides it. */
export function isCurrent(a: Announcement, now = new Date()): boolean {
  return a.endsAt === null || a.endsAt.getTime() > now.getTime();
}

/** Reaction counts of these announcements, in order of first reaction, with the viewer's own marked. */
async function reactionsOf(
  db: DatabaseLike,
  ids: string[],
  viewerId: string | null,
): Promise<Map<string, ReactionCount[]>> {
  const out = new Map<string, ReactionCount[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({
      announcementId: announcementReactions.announcementId,
      name: announcementReactions.name,
      count: sql<number>`count(*)`.mapWith(Number),
      me: sql<number>`sum(case when ${announcementReactions.accountId} = ${viewerId ?? ""} then 1 else 0 end)`.mapWith(
        Number,
      ),
    })
    .from(announcementReactions)
    .where(inArray(announcementReactions.announcementId, ids))
    .groupBy(announcementReactions.announcementId, announcementReactions.name)
    .orderBy(sql`min(${announcementReactions.createdAt})`);
  for (const r of rows) {
    const list = out.get(r.announcementId) ?? [];
    list.push({ name: r.name, count: r.count, me: r.me > 0 });
    out.set(r.announcementId, list);
  }
  return out;
}

/** The given announcements as `viewerId` sees them (read state, reactions). */
export async function viewAnnouncements(
  db: DatabaseLike,
  rows: readonly Announcement[],
  viewerId: string | null,
): Promise<AnnouncementView[]> {
  const ids = rows.map((a) => a.id);
  const read = new Set(
    viewerId === null || ids.length === 0
      ? []
      : (
          await db
            .select({ id: announcementDismissals.announcementId })
            .from(announcementDismissals)
            .where(
              and(
                eq(announcementDismissals.accountId, viewerId),
                inArray(announcementDismissals.announcementId, ids),
              ),
            )
        ).map((r) => r.id),
  );
  const reactions = await reactionsOf(db, ids, viewerId);
  return rows.map((announcement) => ({
    announcement,
    read: read.has(announcement.id),
    reactions: reactions.get(announcement.id) ?? [],
  }));
}

/**
 * The current announcements (not ended), oldest first as Mastodon lists them; without
 * `withDismissed`, only those the viewer has not dismissed.
 */
export async function currentAnnouncements(
  db: DatabaseLike,
  viewerId: string,
  options: { withDismissed?: boolean; now?: Date } = {},
): Promise<AnnouncementView[]> {
  const now = options.now ?? new Date();
  const rows = await db
    .select()
    .from(announcements)
    .where(
      and(
        or(isNull(announcements.endsAt), gt(announcements.endsAt, now)),
        options.withDismissed
          ? undefined
          : sql`not exists (select 1 from announcement_dismissals d where d.announcement_id = ${announcements.id} and d.account_id = ${viewerId})`,
      ),
    )
    .orderBy(asc(announcements.publishedAt), asc(announcements.id));
  return await viewAnnouncements(db, rows, viewerId);
}

/** How many accounts reacted to an announcement with `name` (the count streaming sends). */
export async function reactionCount(db: DatabaseLike, id: string, name: string): Promise<number> {
  return (
    (
      await db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(announcementReactions)
        .where(
          and(eq(announcementReactions.announcementId, id), eq(announcementReactions.name, name)),
        )
        .limit(1)
    )[0]?.n ?? 0
  );
}
