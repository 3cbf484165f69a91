// Featured hashtags: up to ten hashtags a local account shows on its profile (Mastodon's limit), each
// with how often it used them. Adding and removing record `account.updated`: followers get an
// Update of the actor and read its featuredTags collection again (Fedify's Add cannot carry a Hashtag,
// which is a Link). Remote accounts' are what their collection says.
import { and, count, eq } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { returned } from "../db/returned.ts";
import { type Account, type FeaturedTag, featuredTags, tags } from "../db/schema/index.ts";
import { notFound, unprocessable } from "../errors.ts";
import { recordEvent } from "./events.ts";

/** How many hashtags a local account may feature (Mastodon's limit). */
export const MAX_FEATURED_TAGS = 10;
/** How many featured hashtags of a remote account are kept. */
export const MAX_REMOTE_FEATURED_TAGS = 20;

/** Letters, digits and underscores, with at least one letter (as Mastodon's hashtag rule). */
const TAG_NAME = /^(?=.*\p{L})[\p{L}\p{N}\p{M}_]{1,100}$/u;

/** The hashtag `input` names ("#Art" or "Art"), as stored and as shown, or null when it is not one. */
export function parseTagName(input: string): { name: string; displayName: string } | null {
  const displayName = input.trim().replace(/^#/, "");
  if (!TAG_NAME.test(displayName)) return null;
  return { name: displayName.toLowerCase(), displayName };
}

async function storeTag(
  tx: DatabaseLike,
  tag: { name: string; displayName: string },
): Promise<void> {
  await tx.insert(tags).values(tag).onConflictDoNothing();
}

/**
 * Local `account` features the hashtag `input`. Refused with Mastodon's 422 when it is not a hashtag,
 * already featured, or the eleventh.
 */
export async function featureTag(
  db: Database,
  account: Account,
  input: string,
): Promise<FeaturedTag> {
  if (account.domain !== null) throw new Error("featureTag is for local accounts");
  const tag = parseTagName(input);
  if (tag === null) throw unprocessable("Validation failed: Tag is invalid");
  return await db.transaction(async (tx) => {
    const existing = (
      await tx
        .select()
        .from(featuredTags)
        .where(and(eq(featuredTags.accountId, account.id), eq(featuredTags.tagName, tag.name)))
        .limit(1)
    )[0];
    if (existing !== undefined)
      throw unprocessable("Validation failed: Tag has already been taken");
    const n =
      (
        await tx
          .select({ n: count() })
          .from(featuredTags)
          .where(eq(featuredTags.accountId, account.id))
          .limit(1)
      )[0]?.n ?? 0;
    if (n >= MAX_FEATURED_TAGS) {
      throw unprocessable(
        "Validation failed: You have already featured the maximum number of hashtags",
      );
    }
    await storeTag(tx, tag);
    const row = returned(
      await tx
        .insert(featuredTags)
        .values({ id: newId(), accountId: account.id, tagName: tag.name })
        .returning(),
    );
    await recordEvent(tx, { type: "account.updated", accountId: account.id });
    return row;
  });
}

/** Local `account` stops featuring one of its featured hashtags (404 for anyone else's). */
export async function unfeatureTag(
  db: Database,
  account: Account,
  featuredTagId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const row = (
      await tx
        .delete(featuredTags)
        .where(and(eq(featuredTags.id, featuredTagId), eq(featuredTags.accountId, account.id)))
        .returning()
    )[0];
    if (row === undefined) throw notFound();
    if (account.domain === null)
      await recordEvent(tx, { type: "account.updated", accountId: account.id });
  });
}

/** A remote actor's Add of a Hashtag to its featuredTags collection (bounded; false when refused). */
export async function addRemoteFeaturedTag(
  db: Database,
  account: Account,
  input: string,
): Promise<boolean> {
  const tag = parseTagName(input);
  if (account.domain === null || tag === null) return false;
  return await db.transaction(async (tx) => {
    const n =
      (
        await tx
          .select({ n: count() })
          .from(featuredTags)
          .where(eq(featuredTags.accountId, account.id))
          .limit(1)
      )[0]?.n ?? 0;
    if (n >= MAX_REMOTE_FEATURED_TAGS) return false;
    await storeTag(tx, tag);
    await tx
      .insert(featuredTags)
      .values({ id: newId(), accountId: account.id, tagName: tag.name })
      .onConflictDoNothing();
    return true;
  });
}

/** A remote actor's Remove of a Hashtag from its featuredTags collection. */
export async function removeRemoteFeaturedTag(
  db: Database,
  account: Account,
  input: string,
): Promise<boolean> {
  const tag = parseTagName(input);
  if (account.domain === null || tag === null) return false;
  const removed = await db
    .delete(featuredTags)
    .where(and(eq(featuredTags.accountId, account.id), eq(featuredTags.tagName, tag.name)))
    .returning();
  return removed.length > 0;
}

/** Replaces a remote account's featured hashtags with what its featuredTags collection lists. */
export async function replaceRemoteFeaturedTags(
  db: Database,
  account: Account,
  names: string[],
): Promise<void> {
  if (account.domain === null) return;
  const parsed = names.map(parseTagName).filter((t) => t !== null);
  const unique = parsed
    .filter((t, i) => parsed.findIndex((o) => o.name === t.name) === i)
    .slice(0, MAX_REMOTE_FEATURED_TAGS);
  await db.transaction(async (tx) => {
    await tx.delete(featuredTags).where(eq(featuredTags.accountId, account.id));
    for (const tag of unique) {
      await storeTag(tx, tag);
      await tx
        .insert(featuredTags)
        .values({ id: newId(), accountId: account.id, tagName: tag.name });
    }
  });
}
