// Reads of what accounts feature: their pinned statuses (as a viewer may see them) and their featured
// hashtags with how often and when they last used each, for the API, the pages and the actor's
// featured and featuredTags collections alike.
import { and, count, desc, eq, inArray, isNull, max, notInArray, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import {
  type FeaturedTag,
  featuredTags,
  type Status,
  statuses,
  statusPins,
  statusTags,
  tags,
} from "../schema/index.ts";
import { listedVisibility, visibleOnItsOwn } from "./visibility.ts";

/** Which of `statusIds` the viewer pinned (the Status entity's `pinned`). */
export async function pinnedBy(
  db: DatabaseLike,
  viewerId: string,
  statusIds: string[],
): Promise<Set<string>> {
  if (statusIds.length === 0) return new Set();
  return new Set(
    (
      await db
        .select({ id: statusPins.statusId })
        .from(statusPins)
        .where(and(eq(statusPins.accountId, viewerId), inArray(statusPins.statusId, statusIds)))
    ).map((r) => r.id),
  );
}

/**
 * The statuses `accountId` pinned that `viewerId` (null: anonymous) may see on their own (the one
 * visibility rule, blocks either way), newest pin first. Pins are few (5 local, 20 remote): no paging.
 */
export async function pinnedStatuses(
  db: DatabaseLike,
  viewerId: string | null,
  accountId: string,
): Promise<Status[]> {
  return (
    await db
      .select({ status: statuses })
      .from(statusPins)
      .innerJoin(statuses, eq(statuses.id, statusPins.statusId))
      .where(
        and(
          eq(statusPins.accountId, accountId),
          isNull(statuses.reblogOfId),
          visibleOnItsOwn(viewerId),
        ),
      )
      .orderBy(desc(statusPins.id))
  ).map((r) => r.status);
}

/** A featured hashtag with its spelling and the account's use of it (public and unlisted posts). */
export interface FeaturedTagUse {
  featuredTag: FeaturedTag;
  displayName: string;
  statusesCount: number;
  lastStatusAt: Date | null;
}

/**
 * An account's featured hashtags, oldest first (the order they were added, as Mastodon lists them),
 * each with how many of the account's public or unlisted posts carry it and when the last was made.
 */
export async function featuredTagsOf(
  db: DatabaseLike,
  accountId: string,
): Promise<FeaturedTagUse[]> {
  const rows = await db
    .select({ featuredTag: featuredTags, displayName: tags.displayName })
    .from(featuredTags)
    .innerJoin(tags, eq(tags.name, featuredTags.tagName))
    .where(eq(featuredTags.accountId, accountId))
    .orderBy(featuredTags.id);
  if (rows.length === 0) return [];
  const uses = new Map(
    (
      await db
        .select({
          tagName: statusTags.tagName,
          n: count(),
          last: max(statuses.createdAt),
        })
        .from(statusTags)
        .innerJoin(statuses, eq(statuses.id, statusTags.statusId))
        .where(
          and(
            eq(statuses.accountId, accountId),
            isNull(statuses.reblogOfId),
            listedVisibility(),
            inArray(
              statusTags.tagName,
              rows.map((r) => r.featuredTag.tagName),
            ),
          ),
        )
        .groupBy(statusTags.tagName)
    ).map((u) => [u.tagName, u]),
  );
  return rows.map((r) => {
    const use = uses.get(r.featuredTag.tagName);
    return {
      ...r,
      statusesCount: use?.n ?? 0,
      lastStatusAt: use?.last ?? null,
    };
  });
}

/** The hashtags `accountId` used most in its own posts, not featured yet (Mastodon's suggestions). */
export async function featuredTagSuggestions(db: DatabaseLike, accountId: string, limit = 10) {
  const featured = db
    .select({ name: featuredTags.tagName })
    .from(featuredTags)
    .where(eq(featuredTags.accountId, accountId));
  return (
    await db
      .select({ tag: tags, uses: sql<number>`count(*)`.mapWith(Number) })
      .from(statusTags)
      .innerJoin(statuses, eq(statuses.id, statusTags.statusId))
      .innerJoin(tags, eq(tags.name, statusTags.tagName))
      .where(and(eq(statuses.accountId, accountId), notInArray(statusTags.tagName, featured)))
      .groupBy(tags.name)
      .orderBy(desc(sql`count(*)`), tags.name)
      .limit(limit)
  ).map((r) => r.tag);
}
