// Following hashtags, as Mastodon's tag follows: a local account follows a tag by name (the tag is
// created if no status used it yet) and public statuses carrying it then join its home timeline
// (db/queries/visibility.ts inHomeOf), local and remote, from anyone the account may see. Nothing is
// federated: a tag follow is private to this server.
import { and, eq } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import type { Tag } from "../db/queries/followed-tags.ts";
import { tagFollows, tags } from "../db/schema/index.ts";
import { notFound } from "../errors.ts";
import { HASHTAG_NAME, TAG_MAX_LENGTH } from "./status-text.ts";

/**
 * The tag a request names (with or without '#', any case): the stored one, or an unsaved one spelled as
 * asked (Mastodon answers any valid name). A name that is no hashtag is 404, as Mastodon answers it.
 */
export async function namedTag(db: DatabaseLike, raw: string): Promise<Tag> {
  const displayName = raw.replace(/^#/, "");
  if (displayName.length > TAG_MAX_LENGTH || !HASHTAG_NAME.test(displayName)) throw notFound();
  const name = displayName.toLowerCase();
  const stored = (await db.select().from(tags).where(eq(tags.name, name)).limit(1))[0];
  return stored ?? { name, displayName, trendable: null, reviewedAt: null, createdAt: new Date() };
}

/** Whether the account follows the tag (lower-case name). */
export async function followsTag(
  db: DatabaseLike,
  accountId: string,
  name: string,
): Promise<boolean> {
  return (
    (
      await db
        .select({ id: tagFollows.id })
        .from(tagFollows)
        .where(and(eq(tagFollows.accountId, accountId), eq(tagFollows.tagName, name)))
        .limit(1)
    )[0] !== undefined
  );
}

/** Follows the tag `raw` names, creating it if needed; following it again changes nothing. */
export async function followTag(db: Database, accountId: string, raw: string): Promise<Tag> {
  return await db.transaction(async (tx) => {
    const wanted = await namedTag(tx, raw);
    await tx
      .insert(tags)
      .values({ name: wanted.name, displayName: wanted.displayName })
      .onConflictDoNothing();
    await tx
      .insert(tagFollows)
      .values({ id: newId(), accountId, tagName: wanted.name })
      .onConflictDoNothing();
    return (await tx.select().from(tags).where(eq(tags.name, wanted.name)).limit(1))[0]!;
  });
}

/** Stops following the tag `raw` names (not following it is no error, as in Mastodon). */
export async function unfollowTag(db: Database, accountId: string, raw: string): Promise<Tag> {
  const tag = await namedTag(db, raw);
  await db
    .delete(tagFollows)
    .where(and(eq(tagFollows.accountId, accountId), eq(tagFollows.tagName, tag.name)));
  return tag;
}
