// Emoji reaction reads: each status's reactions counted by emoji for a page of statuses (one prepared
// query whatever the page size, as the status bundle loads favourites), and the accounts behind one
// status's reactions for Pleroma's reactions list, and the image a status's reactions give an emoji.
import { and, asc, eq, inArray, isNotNull, isNull, notExists, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { inJsonList, jsonList, preparedPerHandle } from "../prepared.ts";
import {
  type Account,
  accounts,
  blocks,
  customEmojis,
  emojiReactions,
  mutes,
} from "../schema/index.ts";

/** One emoji's reactions on a status: how many, whether the viewer is among them, its image. */
export interface ReactionSummary {
  /** The emoji itself, or ":shortcode:" for a custom one. */
  name: string;
  count: number;
  me: boolean;
  /** A custom emoji's image (null for a unicode emoji). */
  emojiUrl: string | null;
  /** Our copy of another server's custom emoji's image, once made (remote-emojis.ts), else null. */
  emojiKey: string | null;
}

const IDS = "ids";
const VIEWER = sql.placeholder("viewer");

// Grouped in the database, so a status with thousands of reactions still costs one row per emoji.
const summariesOf = preparedPerHandle((db) =>
  db
    .select({
      statusId: emojiReactions.statusId,
      name: emojiReactions.name,
      count: sql<number>`count(*)`.mapWith(Number),
      me: sql<number>`max(case when ${emojiReactions.accountId} = ${VIEWER} then 1 else 0 end)`.mapWith(
        Number,
      ),
      emojiUrl: sql<string | null>`max(${emojiReactions.emojiUrl})`,
      first: sql<string>`min(${emojiReactions.id})`,
    })
    .from(emojiReactions)
    .where(inJsonList(emojiReactions.statusId, IDS))
    .groupBy(emojiReactions.statusId, emojiReactions.name)
    .orderBy(sql`min(${emojiReactions.id})`)
    .prepare(),
);

/**
 * The reactions on each of `statusIds`, by emoji in the order each was first given, by status id (one
 * query). `me` is for `viewerId` (never true without one).
 */
export async function loadReactionSummaries(
  db: DatabaseLike,
  statusIds: readonly string[],
  viewerId: string | null,
): Promise<Map<string, ReactionSummary[]>> {
  const out = new Map<string, ReactionSummary[]>();
  if (statusIds.length === 0) return out;
  const rows = await summariesOf(db).all({
    ids: jsonList([...new Set(statusIds)]),
    // No account has the empty id: an anonymous viewer is never among the reactors.
    viewer: viewerId ?? "",
  });
  const copies = await copiedRemoteEmojis(
    db,
    rows.map((r) => r.name),
  );
  for (const r of rows) {
    const summary = {
      name: r.name,
      count: r.count,
      me: r.me === 1,
      emojiUrl: r.emojiUrl,
      emojiKey: copies.get(r.name) ?? null,
    };
    const list = out.get(r.statusId);
    if (list === undefined) out.set(r.statusId, [summary]);
    else list.push(summary);
  }
  return out;
}

/** The most reactions the reactions list reads for one status (a bound on one request's work). */
// Another server's emoji as a reaction names it: ":shortcode@host:".
const REMOTE_NAME = /^:([a-zA-Z0-9_]{2,64})@([^\s:@/]{1,255}(?::\d{1,5})?):$/;

/**
 * Our copies of the remote custom emojis among reaction `names` (stored ":shortcode@host:"), by name:
 * one query for the emojis a page's reactions use, none when they are all unicode or ours.
 */
async function copiedRemoteEmojis(
  db: DatabaseLike,
  names: readonly string[],
): Promise<Map<string, string>> {
  const wanted = new Map<string, { shortcode: string; domain: string }>();
  for (const name of names) {
    const m = REMOTE_NAME.exec(name);
    if (m !== null) wanted.set(name, { shortcode: m[1]!, domain: m[2]!.toLowerCase() });
  }
  const out = new Map<string, string>();
  if (wanted.size === 0) return out;
  const rows = await db
    .select({
      shortcode: customEmojis.shortcode,
      domain: customEmojis.domain,
      imageKey: customEmojis.imageKey,
    })
    .from(customEmojis)
    .where(
      and(
        inArray(customEmojis.shortcode, [...new Set([...wanted.values()].map((w) => w.shortcode))]),
        isNotNull(customEmojis.imageKey),
        eq(customEmojis.disabled, false),
      ),
    );
  for (const [name, w] of wanted) {
    const copy = rows.find((r) => r.shortcode === w.shortcode && r.domain === w.domain);
    if (copy?.imageKey) out.set(name, copy.imageKey);
  }
  return out;
}

export const MAX_LISTED_REACTIONS = 1000;

/** A status's reactions with the accounts that gave them, oldest first. */
export interface ListedReaction {
  name: string;
  emojiUrl: string | null;
  account: Account;
}

/**
 * The reactions on `statusId` (of one emoji, with `name`), with their accounts, oldest first and at
 * most MAX_LISTED_REACTIONS. Reactions by accounts the viewer blocks or mutes are left out, as
 * Pleroma's list leaves them out, and so are those of accounts no one is shown (suspended).
 */
export async function listReactions(
  db: DatabaseLike,
  statusId: string,
  viewerId: string | null,
  name?: string,
): Promise<ListedReaction[]> {
  const hiddenByViewer =
    viewerId === null
      ? []
      : [
          notExists(
            db
              .select({ one: sql`1` })
              .from(blocks)
              .where(and(eq(blocks.accountId, viewerId), eq(blocks.targetAccountId, accounts.id))),
          ),
          notExists(
            db
              .select({ one: sql`1` })
              .from(mutes)
              .where(and(eq(mutes.accountId, viewerId), eq(mutes.targetAccountId, accounts.id))),
          ),
        ];
  const rows = await db
    .select({ name: emojiReactions.name, emojiUrl: emojiReactions.emojiUrl, account: accounts })
    .from(emojiReactions)
    .innerJoin(accounts, eq(accounts.id, emojiReactions.accountId))
    .where(
      and(
        eq(emojiReactions.statusId, statusId),
        name === undefined ? undefined : eq(emojiReactions.name, name),
        isNull(accounts.suspendedAt),
        ...hiddenByViewer,
      ),
    )
    .orderBy(asc(emojiReactions.id))
    .limit(MAX_LISTED_REACTIONS);
  return rows;
}

/**
 * The image of the custom emoji `name` (stored form) among the reactions on `statusId`, if one of them
 * used it (through emoji_reactions_status_idx: one status's reactions, never the whole table).
 */
export async function findReactionImage(
  db: DatabaseLike,
  statusId: string,
  name: string,
): Promise<string | undefined> {
  const row = (
    await db
      .select({ emojiUrl: emojiReactions.emojiUrl })
      .from(emojiReactions)
      .where(
        and(
          eq(emojiReactions.statusId, statusId),
          eq(emojiReactions.name, name),
          isNotNull(emojiReactions.emojiUrl),
        ),
      )
      .limit(1)
  )[0];
  return row?.emojiUrl ?? undefined;
}
