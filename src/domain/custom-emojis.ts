// Custom emojis: what a shortcode may be, which :shortcode:s a text uses, linking a status or an account
// profile to the emojis it uses (this instance's own for local authors, the author's server's for remote
// ones), and the administrators' local emojis (added from an image, listed, removed).
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { findLocalEmoji } from "../db/queries/emojis.ts";
import { returned } from "../db/returned.ts";
import {
  type Account,
  accountEmojis,
  type CustomEmoji,
  customEmojis,
  statusEmojis,
} from "../db/schema/index.ts";
import { conflict, notFound, unprocessable } from "../errors.ts";
import { processEmoji } from "../media/emoji.ts";
import type { MediaStore } from "../media/store.ts";
import { htmlToText } from "./html-sanitizer.ts";

// Mastodon's shortcode (CustomEmoji::SHORTCODE_RE_FRAGMENT, at least two characters), with an upper
// bound of ours: a shortcode is shown as alt text and matched in every text, so it stays short.
const SHORTCODE = /^[a-zA-Z0-9_]{2,64}$/;
// :code: in text, not inside a word or a URL (Mastodon's SCAN_RE: no letter or colon just before).
const IN_TEXT = /(?<=^|[^\p{L}\p{N}_:/]):([a-zA-Z0-9_]{2,64}):(?![\p{L}\p{N}_])/gu;

/** The most custom emojis one status or profile may use (more are ignored, as extra tags are). */
export const MAX_EMOJIS_PER_OBJECT = 50;
export const CATEGORY_MAX_LENGTH = 64;

/** Whether a custom emoji's shortcode (without its colons) is one this instance stores. */
export function isValidEmojiShortcode(shortcode: string): boolean {
  return SHORTCODE.test(shortcode);
}

/** The distinct shortcodes `texts` use as :shortcode:, in order of first use, at most the bound. */
export function shortcodesIn(texts: readonly string[]): string[] {
  const found = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(IN_TEXT)) {
      found.add(m[1]!);
      if (found.size >= MAX_EMOJIS_PER_OBJECT) return [...found];
    }
  }
  return [...found];
}

/** The texts of a profile where emojis may appear (HTML turned to text, so markup cannot hide one). */
export function profileTexts(account: Pick<Account, "displayName" | "note" | "fields">): string[] {
  return [
    account.displayName,
    htmlToText(account.note),
    ...account.fields.flatMap((f) => [f.name, htmlToText(f.value)]),
  ];
}

/** The enabled emojis of `domain` (null: this instance's) named by `shortcodes`. */
async function emojisNamed(
  tx: DatabaseLike,
  domain: string | null,
  shortcodes: string[],
): Promise<CustomEmoji[]> {
  if (shortcodes.length === 0) return [];
  return await tx
    .select()
    .from(customEmojis)
    .where(
      and(
        domain === null ? isNull(customEmojis.domain) : eq(customEmojis.domain, domain),
        inArray(customEmojis.shortcode, shortcodes),
        eq(customEmojis.disabled, false),
      ),
    );
}

/**
 * Links a status to the emojis its texts use, replacing the links it had (an edit). The emojis are
 * those of its author's server: an emoji of another domain cannot be claimed by naming it.
 */
export async function linkStatusEmojis(
  tx: DatabaseLike,
  statusId: string,
  domain: string | null,
  texts: readonly string[],
): Promise<void> {
  await tx.delete(statusEmojis).where(eq(statusEmojis.statusId, statusId));
  const emojis = await emojisNamed(tx, domain, shortcodesIn(texts));
  if (emojis.length === 0) return;
  await tx
    .insert(statusEmojis)
    .values(emojis.map((e) => ({ statusId, emojiId: e.id })))
    .onConflictDoNothing();
}

/** Links an account to the emojis its display name, bio and fields use, replacing the old links. */
export async function linkAccountEmojis(tx: DatabaseLike, account: Account): Promise<void> {
  await tx.delete(accountEmojis).where(eq(accountEmojis.accountId, account.id));
  const emojis = await emojisNamed(tx, account.domain, shortcodesIn(profileTexts(account)));
  if (emojis.length === 0) return;
  await tx
    .insert(accountEmojis)
    .values(emojis.map((e) => ({ accountId: account.id, emojiId: e.id })))
    .onConflictDoNothing();
}

/**
 * Where an emoji's image is shown from: our copy (animated where it is) and its still PNG; a remote emoji
 * not copied yet, or whose copy failed, is given to API clients with its server's URL meanwhile (the
 * pages show only copied ones: web/components/emoji.ts).
 */
export function emojiImageUrls(
  emoji: Pick<CustomEmoji, "imageKey" | "staticKey" | "remoteUrl">,
  urls: { media(key: string): string },
): { url: string; staticUrl: string } {
  const url = emoji.imageKey === null ? (emoji.remoteUrl ?? "") : urls.media(emoji.imageKey);
  return { url, staticUrl: emoji.staticKey === null ? url : urls.media(emoji.staticKey) };
}

export interface AddLocalEmojiInput {
  shortcode: string;
  image: Uint8Array;
  category?: string | null;
}

/**
 * Adds one of this instance's own emojis from an image (checked and scaled by media/emoji.ts, stored in
 * the media store). A shortcode already taken is a conflict.
 */
export async function addLocalEmoji(
  db: Database,
  store: MediaStore,
  maxPixels: number,
  input: AddLocalEmojiInput,
): Promise<CustomEmoji> {
  const shortcode = input.shortcode.replace(/^:|:$/g, "");
  if (!isValidEmojiShortcode(shortcode)) {
    throw unprocessable("The shortcode must be 2 to 64 letters (a-z, A-Z), digits or underscores");
  }
  const category = input.category?.trim() || null;
  if (category !== null && category.length > CATEGORY_MAX_LENGTH) {
    throw unprocessable(`The category is too long (at most ${CATEGORY_MAX_LENGTH} characters)`);
  }
  if ((await findLocalEmoji(db, shortcode)) !== undefined) {
    throw conflict(`An emoji named :${shortcode}: already exists`);
  }
  const processed = await processEmoji(input.image, maxPixels);
  const [imageKey, staticKey] = await Promise.all([
    store.put(processed.image.bytes, processed.image.extension),
    store.put(processed.still.bytes, processed.still.extension),
  ]);
  const inserted = await db
    .insert(customEmojis)
    .values({
      id: newId(),
      shortcode,
      domain: null,
      imageKey,
      staticKey,
      category,
      updatedAt: new Date(),
    })
    .onConflictDoNothing()
    .returning();
  // Added by someone else between the check and the insert.
  if (inserted.length === 0) throw conflict(`An emoji named :${shortcode}: already exists`);
  return returned(inserted);
}

/**
 * Removes one of this instance's own emojis: the statuses and profiles that used it show its :code: as
 * text from then on (their links go with it). Its files stay until media pruning finds them unused.
 */
export async function removeLocalEmoji(db: Database, shortcode: string): Promise<CustomEmoji> {
  const removed = await db
    .delete(customEmojis)
    .where(
      and(isNull(customEmojis.domain), eq(customEmojis.shortcode, shortcode.replace(/^:|:$/g, ""))),
    )
    .returning();
  if (removed.length === 0) throw notFound(`No emoji named :${shortcode.replace(/^:|:$/g, "")}:`);
  return removed[0]!;
}

/** Disables or enables one of this instance's own emojis (a disabled one is shown and sent nowhere). */
export async function setLocalEmojiDisabled(
  db: Database,
  shortcode: string,
  disabled: boolean,
): Promise<CustomEmoji> {
  const updated = await db
    .update(customEmojis)
    .set({ disabled, updatedAt: new Date() })
    .where(and(isNull(customEmojis.domain), eq(customEmojis.shortcode, shortcode)))
    .returning();
  if (updated.length === 0) throw notFound(`No emoji named :${shortcode}:`);
  return updated[0]!;
}
