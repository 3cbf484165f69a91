// Custom emoji reads: the emojis a page of statuses or accounts uses (one prepared query each, whatever
// the page size, as the status bundle loads media and tags), this instance's own for the picker, and one
// emoji by shortcode (ours, or another server's by its domain). A disabled emoji is never listed: its :code: stays plain text.
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { inJsonList, jsonList, preparedPerHandle } from "../prepared.ts";
import { accountEmojis, type CustomEmoji, customEmojis, statusEmojis } from "../schema/index.ts";

export type { CustomEmoji } from "../schema/index.ts";

const IDS = "ids";

const emojisOfStatuses = preparedPerHandle((db) =>
  db
    .select({ ownerId: statusEmojis.statusId, emoji: customEmojis })
    .from(statusEmojis)
    .innerJoin(customEmojis, eq(customEmojis.id, statusEmojis.emojiId))
    .where(and(inJsonList(statusEmojis.statusId, IDS), eq(customEmojis.disabled, false)))
    .orderBy(asc(customEmojis.shortcode))
    .prepare(),
);

const emojisOfAccounts = preparedPerHandle((db) =>
  db
    .select({ ownerId: accountEmojis.accountId, emoji: customEmojis })
    .from(accountEmojis)
    .innerJoin(customEmojis, eq(customEmojis.id, accountEmojis.emojiId))
    .where(and(inJsonList(accountEmojis.accountId, IDS), eq(customEmojis.disabled, false)))
    .orderBy(asc(customEmojis.shortcode))
    .prepare(),
);

function byOwner(rows: { ownerId: string; emoji: CustomEmoji }[]): Map<string, CustomEmoji[]> {
  const out = new Map<string, CustomEmoji[]>();
  for (const { ownerId, emoji } of rows) {
    const list = out.get(ownerId);
    if (list === undefined) out.set(ownerId, [emoji]);
    else list.push(emoji);
  }
  return out;
}

/** The enabled custom emojis each of the statuses uses, by status id (one query). */
export async function loadStatusEmojis(
  db: DatabaseLike,
  statusIds: readonly string[],
): Promise<Map<string, CustomEmoji[]>> {
  if (statusIds.length === 0) return new Map();
  return byOwner(await emojisOfStatuses(db).all({ ids: jsonList([...new Set(statusIds)]) }));
}

/** The enabled custom emojis each account's name, bio and fields use, by account id (one query). */
export async function loadAccountEmojis(
  db: DatabaseLike,
  accountIds: readonly string[],
): Promise<Map<string, CustomEmoji[]>> {
  if (accountIds.length === 0) return new Map();
  return byOwner(await emojisOfAccounts(db).all({ ids: jsonList([...new Set(accountIds)]) }));
}

/** This instance's own emojis, by category and shortcode; `enabledOnly` for the API's list. */
export async function listLocalEmojis(
  db: DatabaseLike,
  options: { enabledOnly?: boolean } = {},
): Promise<CustomEmoji[]> {
  return await db
    .select()
    .from(customEmojis)
    .where(
      and(
        isNull(customEmojis.domain),
        options.enabledOnly ? eq(customEmojis.disabled, false) : undefined,
      ),
    )
    // Uncategorized first on both stores (their NULLs sort at opposite ends).
    .orderBy(sql`coalesce(${customEmojis.category}, '')`, asc(customEmojis.shortcode));
}

/** One of this instance's own emojis by shortcode (exact, as Mastodon's are case-sensitive). */
export async function findLocalEmoji(
  db: DatabaseLike,
  shortcode: string,
): Promise<CustomEmoji | undefined> {
  return (
    await db
      .select()
      .from(customEmojis)
      .where(and(isNull(customEmojis.domain), eq(customEmojis.shortcode, shortcode)))
      .limit(1)
  )[0];
}

/** One of this instance's own enabled emojis by id (the Emoji objects federation serves). */
export async function findLocalEmojiById(
  db: DatabaseLike,
  id: string,
): Promise<CustomEmoji | undefined> {
  return (
    await db
      .select()
      .from(customEmojis)
      .where(
        and(eq(customEmojis.id, id), isNull(customEmojis.domain), eq(customEmojis.disabled, false)),
      )
      .limit(1)
  )[0];
}

/** Another server's emoji by shortcode and domain (the host its objects came from), as stored. */
export async function findRemoteEmoji(
  db: DatabaseLike,
  shortcode: string,
  domain: string,
): Promise<CustomEmoji | undefined> {
  return (
    await db
      .select()
      .from(customEmojis)
      .where(and(eq(customEmojis.domain, domain), eq(customEmojis.shortcode, shortcode)))
      .limit(1)
  )[0];
}
