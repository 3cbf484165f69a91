// Followed-hashtag reads: a viewer's followed tags (paged by follow id, as Mastodon's Link headers are),
// which of some tags they follow, and the tags' usage history. The home timeline's condition is
// visibility.ts inHomeOf; hasFollowedTags tells timelines.ts whether a viewer needs it.
import { and, eq, gte, isNull, type Placeholder, type SQL, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { idFloor } from "../ids.ts";
import { inJsonList, jsonList, preparedPerHandle } from "../prepared.ts";
import { statuses, statusTags, tagFollows, tags } from "../schema/index.ts";
import { finishPage, type PageParams, pageConditions, pageOrder } from "./page.ts";
import { authorNotSuspended, listedVisibility } from "./visibility.ts";

export type Tag = typeof tags.$inferSelect;

/** A page of followed tags, and the follow ids that page them (newest follow first). */
export interface FollowedTagPage {
  tags: Tag[];
  keys: string[];
}

/** The tags `accountId` follows, newest follow first, paged by the follow's id. */
export async function followedTags(
  db: DatabaseLike,
  accountId: string,
  page: PageParams,
): Promise<FollowedTagPage> {
  const rows = await db
    .select({ key: tagFollows.id, tag: tags })
    .from(tagFollows)
    .innerJoin(tags, eq(tags.name, tagFollows.tagName))
    .where(and(eq(tagFollows.accountId, accountId), ...pageConditions(tagFollows.id, page)))
    .orderBy(pageOrder(tagFollows.id, page))
    .limit(page.limit);
  const ordered = finishPage(rows, page);
  return { tags: ordered.map((r) => r.tag), keys: ordered.map((r) => r.key) };
}

/**
 * Whether the viewer follows any hashtag, as an SQL expression (one read of tag_follows_account_idx):
 * every home page asks it (timelines.ts homeContext), so that only such viewers pay for the tag
 * condition (and get statements of their own).
 */
export function hasFollowedTags(viewer: string | Placeholder): SQL {
  return sql`exists (select 1 from tag_follows ft where ft.account_id = ${viewer})`;
}

const followedAmong = preparedPerHandle((db) =>
  db
    .select({ name: tagFollows.tagName })
    .from(tagFollows)
    .where(
      and(
        eq(tagFollows.accountId, sql.placeholder("account")),
        inJsonList(tagFollows.tagName, "names"),
      ),
    )
    .prepare(),
);

/** Which of `names` (lower-case) the account follows. */
export async function followedTagNames(
  db: DatabaseLike,
  accountId: string,
  names: readonly string[],
): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await followedAmong(db).all({ account: accountId, names: jsonList(names) });
  return new Set(rows.map((r) => r.name));
}

/** One day of a tag's use, as Mastodon's TagHistory: the day's start (Unix seconds) and counts. */
export interface TagDay {
  day: string;
  uses: string;
  accounts: string;
}

export const HISTORY_DAYS = 7;
const DAY_MS = 86_400_000;

const usesSince = preparedPerHandle((db) =>
  db
    .select({
      name: statusTags.tagName,
      day: sql<number>`(cast(${statusTags.statusId} as bigint) >> 16) / ${sql.raw(String(DAY_MS))}`.mapWith(
        Number,
      ),
      uses: sql<number>`count(*)`.mapWith(Number),
      accounts: sql<number>`count(distinct ${statuses.accountId})`.mapWith(Number),
    })
    .from(statusTags)
    .innerJoin(statuses, eq(statuses.id, statusTags.statusId))
    .where(
      and(
        inJsonList(statusTags.tagName, "names"),
        gte(statusTags.statusId, sql.placeholder("since")),
        listedVisibility(),
        isNull(statuses.reblogOfId),
        authorNotSuspended(),
      ),
    )
    .groupBy(sql`1, 2`)
    .prepare(),
);

/**
 * The last HISTORY_DAYS days (UTC, today first) of each tag: statuses that used it (public and
 * unlisted ones, as Mastodon counts only those, and none of a suspended author) and how many accounts
 * wrote them. Read from the (tag_name, status_id) index from the first day's first id on: ids are
 * time-sortable, a remote status's from its published time.
 */
export async function tagHistory(
  db: DatabaseLike,
  names: readonly string[],
  now: Date = new Date(),
): Promise<Map<string, TagDay[]>> {
  const today = Math.floor(now.getTime() / DAY_MS);
  const first = today - (HISTORY_DAYS - 1);
  const counts = new Map<string, { uses: number; accounts: number }>();
  if (names.length > 0) {
    const rows = await usesSince(db).all({
      names: jsonList(names),
      since: idFloor(first * DAY_MS),
    });
    for (const r of rows) counts.set(`${r.name} ${r.day}`, r);
  }
  const out = new Map<string, TagDay[]>();
  for (const name of names) {
    const days: TagDay[] = [];
    for (let d = today; d >= first; d--) {
      const c = counts.get(`${name} ${d}`);
      days.push({
        day: String((d * DAY_MS) / 1000),
        uses: String(c?.uses ?? 0),
        accounts: String(c?.accounts ?? 0),
      });
    }
    out.set(name, days);
  }
  return out;
}
