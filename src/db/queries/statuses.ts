// Status reads: one status as a viewer may see it, the thread around it, and the batch loader that gathers
// everything a page of statuses needs for serialization (accounts, media, mentions, tags, the viewer's
// favourites/boosts/bookmarks) in a fixed number of queries, whatever the page size.
import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { inJsonList, jsonList, preparedPerHandle } from "../prepared.ts";
import {
  type Account,
  accounts,
  bookmarks,
  favourites,
  type MediaAttachment,
  mediaAttachments,
  mutes,
  type PreviewCard,
  type Status,
  statuses,
  statusMentions,
  statusTags,
  tags,
} from "../schema/index.ts";
import { type AccountMedia, loadAccountMedia } from "./accounts.ts";
import { type CustomEmoji, loadStatusEmojis } from "./emojis.ts";
import { pinnedBy } from "./pins.ts";
import { ownPollVotes } from "./polls.ts";
import { cardsOfStatuses } from "./preview-cards.ts";
import { loadQuoted, type QuoteLinks } from "./quotes.ts";
import { loadReactionSummaries, type ReactionSummary } from "./reactions.ts";
import { visibleOnItsOwn, visibleTo } from "./visibility.ts";

export { statusContext } from "./status-context.ts";

/** A status the viewer may see, or undefined (missing and hidden look the same, as in Mastodon). */
export async function findVisibleStatus(
  db: DatabaseLike,
  viewerId: string | null,
  id: string,
): Promise<Status | undefined> {
  return (
    await db
      .select()
      .from(statuses)
      .where(and(eq(statuses.id, id), visibleOnItsOwn(viewerId)))
      .limit(1)
  )[0];
}

/** Of `ids`, the statuses the viewer may see (any order; missing and hidden ones are left out). */
export async function visibleStatusesByIds(
  db: DatabaseLike,
  viewerId: string | null,
  ids: readonly string[],
): Promise<Status[]> {
  if (ids.length === 0) return [];
  return await db
    .select()
    .from(statuses)
    .where(and(inArray(statuses.id, [...ids]), visibleTo(viewerId)));
}

/**
 * How many statuses (not boosts) of an account the viewer may see: none across a block, either way,
 * as the account's statuses list shows none (timelines.ts accountStatuses).
 */
export async function countVisibleStatuses(
  db: DatabaseLike,
  accountId: string,
  viewerId: string | null,
): Promise<number> {
  return (
    (
      await db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(statuses)
        .where(
          and(
            eq(statuses.accountId, accountId),
            isNull(statuses.reblogOfId),
            visibleOnItsOwn(viewerId),
          ),
        )
        .limit(1)
    )[0]?.n ?? 0
  );
}

export interface StatusBundle {
  statuses: Map<string, Status>;
  accounts: Map<string, Account>;
  /** Avatar and header files of local accounts, and the accounts' profile emojis. */
  accountMedia: AccountMedia;
  media: Map<string, MediaAttachment[]>;
  mentions: Map<string, Account[]>;
  tags: Map<string, { name: string; displayName: string }[]>;
  /** The preview card of each status that has one. */
  cards: Map<string, PreviewCard>;
  /** The custom emojis each status uses. */
  emojis: Map<string, CustomEmoji[]>;
  /** The emoji reactions on each status that has any, by emoji (`me`: the viewer's own). */
  reactions: Map<string, ReactionSummary[]>;
  favourited: Set<string>;
  reblogged: Set<string>;
  bookmarked: Set<string>;
  /** Of the viewer's own statuses here, those they pinned. */
  pinned: Set<string>;
  /** Accounts the viewer muted. */
  muted: Set<string>;
  /** The viewer's choices in the polls of these statuses. */
  pollVotes: Map<string, number[]>;
  /** The quoted statuses' existence and visibility, and followed authors (see loadQuoted). */
  quotes: QuoteLinks;
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list === undefined) out.set(k, [row]);
    else list.push(row);
  }
  return out;
}

// The bundle's queries, prepared once: the lists of ids are bound as JSON arrays, so one statement
// serves every page size (inArray makes a new SQL text per list length).
const IDS = "ids";
const VIEWER = sql.placeholder("viewer");

const statusesByIds = preparedPerHandle((db) =>
  db.select().from(statuses).where(inJsonList(statuses.id, IDS)).prepare(),
);

const mentionsOf = preparedPerHandle((db) =>
  db
    .select({ statusId: statusMentions.statusId, account: accounts })
    .from(statusMentions)
    .innerJoin(accounts, eq(accounts.id, statusMentions.accountId))
    .where(inJsonList(statusMentions.statusId, IDS))
    .prepare(),
);

const accountsByIds = preparedPerHandle((db) =>
  db.select().from(accounts).where(inJsonList(accounts.id, IDS)).prepare(),
);

const mediaOf = preparedPerHandle((db) =>
  db
    .select()
    .from(mediaAttachments)
    .where(inJsonList(mediaAttachments.statusId, IDS))
    .orderBy(mediaAttachments.position, mediaAttachments.id)
    .prepare(),
);

const tagsOf = preparedPerHandle((db) =>
  db
    .select({ statusId: statusTags.statusId, name: tags.name, displayName: tags.displayName })
    .from(statusTags)
    .innerJoin(tags, eq(tags.name, statusTags.tagName))
    .where(inJsonList(statusTags.statusId, IDS))
    .prepare(),
);

const favouritedOf = preparedPerHandle((db) =>
  db
    .select({ id: favourites.statusId })
    .from(favourites)
    .where(and(eq(favourites.accountId, VIEWER), inJsonList(favourites.statusId, IDS)))
    .prepare(),
);

const rebloggedOf = preparedPerHandle((db) =>
  db
    .select({ id: statuses.reblogOfId })
    .from(statuses)
    .where(
      and(
        eq(statuses.accountId, VIEWER),
        isNotNull(statuses.reblogOfId),
        inJsonList(statuses.reblogOfId, IDS),
      ),
    )
    .prepare(),
);

/**
 * What the viewer did to the page's statuses (favourited, boosted, bookmarked) and whom they mute, in
 * one statement of four index reads: on PostgreSQL every statement is a round trip, and a page's Node
 * CPU went as much to sending and reading statements (a socket write and read each) as to the rest.
 */
const viewerMarksOf = preparedPerHandle((db) =>
  db
    .select({ kind: sql<string>`'favourite'`, id: favourites.statusId })
    .from(favourites)
    .where(and(eq(favourites.accountId, VIEWER), inJsonList(favourites.statusId, IDS)))
    .unionAll(
      db
        .select({ kind: sql<string>`'reblog'`, id: sql<string>`${statuses.reblogOfId}` })
        .from(statuses)
        .where(
          and(
            eq(statuses.accountId, VIEWER),
            isNotNull(statuses.reblogOfId),
            inJsonList(statuses.reblogOfId, IDS),
          ),
        ),
    )
    .unionAll(
      db
        .select({ kind: sql<string>`'bookmark'`, id: bookmarks.statusId })
        .from(bookmarks)
        .where(and(eq(bookmarks.accountId, VIEWER), inJsonList(bookmarks.statusId, IDS))),
    )
    .unionAll(
      db
        .select({ kind: sql<string>`'mute'`, id: mutes.targetAccountId })
        .from(mutes)
        .where(eq(mutes.accountId, VIEWER)),
    )
    .prepare(),
);

/** Which of `ids` the viewer favourited (one prepared statement for any number of ids). */
export async function favouritedBy(
  db: DatabaseLike,
  viewerId: string,
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  return new Set(
    (await favouritedOf(db).all({ viewer: viewerId, ids: jsonList(ids) })).map((r) => r.id),
  );
}

/** Which of `ids` the viewer boosted. */
export async function rebloggedBy(
  db: DatabaseLike,
  viewerId: string,
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  return new Set(
    (await rebloggedOf(db).all({ viewer: viewerId, ids: jsonList(ids) })).map((r) => r.id!),
  );
}

/** What a viewer did to a status (liked, boosted, pinned), for the buttons a page shows on it. */
export interface ViewerState {
  favourited: boolean;
  reblogged: boolean;
  /** Only ever true on the viewer's own statuses. */
  pinned: boolean;
}

/** The viewer's state for each of `statusIds` (absent ids: neither liked nor boosted), in two queries. */
export async function viewerStates(
  db: DatabaseLike,
  viewerId: string,
  statusIds: string[],
): Promise<Map<string, ViewerState>> {
  const ids = [...new Set(statusIds)];
  const favourited = await favouritedBy(db, viewerId, ids);
  const reblogged = await rebloggedBy(db, viewerId, ids);
  const pinned = await pinnedBy(db, viewerId, ids);
  return new Map(
    ids.map((id) => [
      id,
      { favourited: favourited.has(id), reblogged: reblogged.has(id), pinned: pinned.has(id) },
    ]),
  );
}

/** Everything needed to serialize `rows` (and the statuses they boost) for `viewerId`. */
export async function loadStatusBundle(
  db: DatabaseLike,
  rows: Status[],
  viewerId: string | null,
): Promise<StatusBundle> {
  const all = new Map(rows.map((s) => [s.id, s]));
  const missing = rows.map((s) => s.reblogOfId).filter((id): id is string => id !== null);
  const wanted = missing.filter((id) => !all.has(id));
  if (wanted.length > 0) {
    for (const s of await statusesByIds(db).all({ ids: jsonList(wanted) })) all.set(s.id, s);
  }
  // The quoted posts the viewer may see are serialized inside the quotes, so they load with the page.
  const { links: quotes, quoted } = await loadQuoted(db, all.values(), viewerId);
  for (const s of quoted) if (!all.has(s.id)) all.set(s.id, s);
  const ids = [...all.keys()];
  const idList = { ids: jsonList(ids) };
  const mentionRows = ids.length === 0 ? [] : await mentionsOf(db).all(idList);
  const accountIds = [...new Set([...all.values()].map((s) => s.accountId))];
  const accountRows =
    accountIds.length === 0 ? [] : await accountsByIds(db).all({ ids: jsonList(accountIds) });
  const mediaRows = ids.length === 0 ? [] : await mediaOf(db).all(idList);
  const tagRows = ids.length === 0 ? [] : await tagsOf(db).all(idList);
  const cards = await cardsOfStatuses(db, ids);
  const emojis = await loadStatusEmojis(db, ids);
  const reactions = await loadReactionSummaries(db, ids, viewerId);
  let favourited = new Set<string>();
  let reblogged = new Set<string>();
  let bookmarked = new Set<string>();
  let muted = new Set<string>();
  let pinned = new Set<string>();
  let pollVotes = new Map<string, number[]>();
  if (viewerId !== null && ids.length > 0) {
    // Only one's own statuses can be pinned by one: no query when the page holds none of them.
    const own = [...all.values()].filter((s) => s.accountId === viewerId).map((s) => s.id);
    if (own.length > 0) pinned = await pinnedBy(db, viewerId, own);
    const withPolls = [...all.values()].filter((s) => s.poll !== null).map((s) => s.id);
    pollVotes = await ownPollVotes(db, viewerId, withPolls);
    const marks = (await viewerMarksOf(db).all({ viewer: viewerId, ...idList })) as {
      kind: string;
      id: string;
    }[];
    const of = (kind: string) => new Set(marks.filter((m) => m.kind === kind).map((m) => m.id));
    favourited = of("favourite");
    reblogged = of("reblog");
    bookmarked = of("bookmark");
    muted = of("mute");
  }
  const accountMap = new Map(accountRows.map((a) => [a.id, a]));
  return {
    statuses: all,
    accounts: accountMap,
    accountMedia: await loadAccountMedia(db, accountRows),
    media: groupBy(mediaRows, (m) => m.statusId!),
    mentions: new Map(
      [...groupBy(mentionRows, (m) => m.statusId)].map(([k, v]) => [k, v.map((m) => m.account)]),
    ),
    tags: groupBy(tagRows, (t) => t.statusId),
    cards,
    emojis,
    reactions,
    favourited,
    reblogged,
    bookmarked,
    pinned,
    muted,
    pollVotes,
    quotes,
  };
}
