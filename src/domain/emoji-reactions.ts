// Emoji reactions on statuses (Misskey's and Akkoma's EmojiReact, Misskey's Like with content): what a
// local user may react with (one unicode emoji, one of this instance's enabled custom emojis, or another
// server's emoji known here), and storing, notifying and taking back a reaction by any account. Each
// change records its event, so the federation outbox sends a local user's EmojiReact and its Undo, as
// favourites are sent.
import { and, eq } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { findLocalEmoji, findRemoteEmoji } from "../db/queries/emojis.ts";
import { findReactionImage } from "../db/queries/reactions.ts";
import {
  type Account,
  type EmojiReaction,
  emojiReactions,
  type Status,
} from "../db/schema/index.ts";
import { badRequest } from "../errors.ts";
import { refuseAcrossBlock } from "./block-policy.ts";
import { isValidEmojiShortcode } from "./custom-emojis.ts";
import { recordEvent } from "./events.ts";
import { requireVisible } from "./interactions.ts";
import type { LocalUrls } from "./local-urls.ts";
import { addNotification, withdrawNotification } from "./notification-records.ts";

/** The longest reaction name stored: ":shortcode@host:" with a 64-character shortcode and a long host. */
const MAX_NAME_LENGTH = 330;

// One emoji as Unicode recommends it (with its variation selector, skin tone, ZWJ sequence or flag),
// or one pictographic character written without the selector (as "❤" often is).
const ONE_EMOJI = /^(?:\p{RGI_Emoji}|\p{Extended_Pictographic}\uFE0F?)$/v;

/** A reaction resolved: its stored name and a custom emoji's image. */
export interface ResolvedReaction {
  /** The emoji itself, or ":shortcode:" for a custom one. */
  name: string;
  emojiUrl: string | null;
}

/** Another server's custom emoji known here, which a local user may react with. */
export interface KnownRemoteEmoji {
  shortcode: string;
  /** The server it is named after (lowercase host, with its port). */
  domain: string;
  /** Its image on its own server (what the receivers of our EmojiReact are pointed at). */
  url: string;
  /** Its `Emoji` object's id, when the server that used it gave one. */
  iri: string | null;
}

/**
 * Another server's emoji `shortcode` of `domain`, when this server knows it, as Akkoma lets its users
 * react with one: stored from the `Emoji` tags of a post or a profile received from that server (not
 * disabled by an administrator), or used already in a reaction on `statusId` (Akkoma's own rule: a
 * reaction there gave its image). A name merely typed is not enough: we would have no image to send.
 */
export async function knownRemoteEmoji(
  db: DatabaseLike,
  shortcode: string,
  domain: string,
  statusId: string,
): Promise<KnownRemoteEmoji | null> {
  const host = domain.toLowerCase();
  const stored = await findRemoteEmoji(db, shortcode, host);
  if (stored !== undefined) {
    if (stored.disabled || stored.remoteUrl === null) return null;
    return { shortcode, domain: host, url: stored.remoteUrl, iri: stored.iri };
  }
  const url = await findReactionImage(db, statusId, `:${shortcode}@${host}:`);
  return url === undefined ? null : { shortcode, domain: host, url, iri: null };
}

// What a user may type for another server's emoji: Akkoma's `shortcode@host`, with or without colons.
const REMOTE_INPUT = /^:?([a-zA-Z0-9_]{2,64})@([^\s:@/]{1,255}(?::\d{1,5})?):?$/;

/**
 * What `input` reacts with, for a local user reacting to the status `statusId`: one unicode emoji, this
 * instance's enabled custom emoji `:shortcode:` (Pleroma's clients also send the bare shortcode), or
 * another server's emoji known here (`shortcode@host`, see knownRemoteEmoji). Anything else is refused
 * with a 400: an unknown emoji is not one we could show or send, and free text is no reaction.
 */
export async function resolveLocalReaction(
  db: Database,
  urls: LocalUrls,
  input: string,
  statusId: string,
): Promise<ResolvedReaction> {
  const text = input.trim();
  if (text.length > MAX_NAME_LENGTH) throw badRequest("Invalid emoji: too long");
  if (ONE_EMOJI.test(text)) return { name: text, emojiUrl: null };
  const remote = REMOTE_INPUT.exec(text);
  if (remote !== null) {
    const known = await knownRemoteEmoji(db, remote[1]!, remote[2]!, statusId);
    if (known !== null) {
      return { name: `:${known.shortcode}@${known.domain}:`, emojiUrl: known.url };
    }
    throw badRequest(`Invalid emoji: ${text} is not an emoji this server knows`);
  }
  const shortcode = text.replace(/^:(.*):$/, "$1");
  if (isValidEmojiShortcode(shortcode)) {
    const emoji = await findLocalEmoji(db, shortcode);
    if (emoji !== undefined && !emoji.disabled && emoji.imageKey !== null) {
      return { name: `:${shortcode}:`, emojiUrl: urls.media(emoji.imageKey) };
    }
  }
  throw badRequest(
    "Invalid emoji: use one unicode emoji, a custom emoji of this instance or another server's known here",
  );
}

// A custom emoji reaction as stored: ":shortcode:" for ours, ":shortcode@host:" for another server's.
const CUSTOM_NAME = /^:([a-zA-Z0-9_]{2,64})(?:@([^\s:@/]{1,255}(?::\d{1,5})?))?:$/;

/**
 * The image a reaction's emoji is shown with: our copy of another server's emoji once made (as Status
 * `emojis` point at it), else the URL the reaction came with; null for a unicode emoji.
 */
export function reactionImageUrl(
  r: { emojiUrl: string | null; emojiKey: string | null },
  urls: LocalUrls,
): string | null {
  return r.emojiKey !== null ? urls.media(r.emojiKey) : r.emojiUrl;
}

/** A stored custom emoji reaction's shortcode and, for another server's, its domain; null for unicode. */
export function customReactionParts(
  name: string,
): { shortcode: string; domain: string | null } | null {
  const custom = CUSTOM_NAME.exec(name);
  return custom === null ? null : { shortcode: custom[1]!, domain: custom[2] ?? null };
}

/**
 * A reaction's name as Pleroma's API shows it: a custom emoji's shortcode has no colons, and another
 * server's is `shortcode@host`, as Akkoma names it (so it is never taken for ours).
 */
export function pleromaReactionName(name: string): string {
  const custom = CUSTOM_NAME.exec(name);
  return custom ? name.slice(1, -1) : name;
}

/** The stored name an API path's emoji names: Pleroma's `shortcode` / `shortcode@host` mean ":…:". */
export function storedReactionName(apiName: string): string {
  return CUSTOM_NAME.test(`:${apiName}:`) ? `:${apiName}:` : apiName;
}

/**
 * A reaction's emoji as the reactor wrote it, for a notification's `emoji` (Akkoma shows the activity's
 * content there): ":shortcode:" without the host we name another server's emoji after.
 */
export function reactionEmojiText(name: string): string {
  const custom = CUSTOM_NAME.exec(name);
  return custom ? `:${custom[1]}:` : name;
}

/** An `Emoji` tag of a remote reaction, as the inbox read it. */
export interface RemoteReactionEmoji {
  /** "blob" or ":blob:" (Akkoma writes the one, Misskey the other). */
  name: string;
  iconUrl: string | null;
}

// Longer than any emoji or ":shortcode@host:" a real server sends.
const MAX_REMOTE_CONTENT = 400;
const MAX_ICON_URL_LENGTH = 2048;

function iconUrl(url: string | null): string | null {
  if (url === null || url.length > MAX_ICON_URL_LENGTH) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
    // Credentials in an image URL are someone's secret or a trick; neither is shown to our users.
    if (parsed.username !== "" || parsed.password !== "") return null;
    return parsed.href;
  } catch {
    return null;
  }
}

/**
 * What a reaction received from `reactorDomain` reacts with: one unicode emoji, or a custom emoji
 * ":shortcode:" (Misskey may write ":shortcode@host:") whose image an `Emoji` tag of the activity
 * gives. A custom emoji is stored as ":shortcode@reactorDomain:" — the signed sender's server vouches for
 * the image it sent, as Misskey keys remote emojis by the reacting user's host — so it is never taken
 * for one of ours or another server's of the same shortcode. Null for anything else (free text, a
 * custom emoji without a usable image): it is no reaction anyone could be shown.
 */
export function remoteReaction(
  reactorDomain: string,
  content: string,
  emojis: readonly RemoteReactionEmoji[],
): ResolvedReaction | null {
  const text = content.trim();
  if (text === "" || text.length > MAX_REMOTE_CONTENT) return null;
  if (ONE_EMOJI.test(text)) return { name: text, emojiUrl: null };
  const custom = CUSTOM_NAME.exec(text);
  if (custom === null) return null;
  const [, shortcode, host] = custom;
  for (const emoji of emojis) {
    const tagName = emoji.name.trim().replace(/^:(.*):$/, "$1");
    if (tagName !== shortcode && (host === undefined || tagName !== `${shortcode}@${host}`))
      continue;
    const url = iconUrl(emoji.iconUrl);
    if (url === null) continue;
    return { name: `:${shortcode}@${reactorDomain.toLowerCase()}:`, emojiUrl: url };
  }
  return null;
}

/**
 * `account` reacts to `status` with an emoji (`input.iri` is the activity's id when it came from
 * elsewhere; a local reaction gets one of ours). Only on a status `account` may see, never across a
 * block. Idempotent: the same emoji twice by one account is one reaction. True when it was new.
 */
export async function reactToStatus(
  db: Database,
  urls: LocalUrls,
  account: Account,
  status: Status,
  input: { iri?: string; name: string; emojiUrl: string | null },
): Promise<boolean> {
  await requireVisible(db, account, status);
  await refuseAcrossBlock(db, account.id, status.accountId);
  const name = input.name;
  if (name.trim() === "") throw badRequest("Empty emoji reaction");
  // Callers resolve the name first (resolveLocalReaction, remoteReaction); this is the store's bound.
  if (name.length > MAX_NAME_LENGTH) throw badRequest("Emoji reaction name too long");
  return await db.transaction(async (tx) => {
    const id = newId();
    const inserted = (
      await tx
        .insert(emojiReactions)
        .values({
          id,
          iri: input.iri ?? urls.reaction(id),
          accountId: account.id,
          statusId: status.id,
          name,
          emojiUrl: input.emojiUrl,
        })
        .onConflictDoNothing()
        .returning()
    )[0];
    if (inserted === undefined) return false;
    await addNotification(tx, {
      accountId: status.accountId,
      fromAccountId: account.id,
      type: "emoji_reaction",
      statusId: status.id,
      emoji: name,
    });
    await recordEvent(tx, { type: "reaction.created", reactionId: inserted.id });
    return true;
  });
}

async function removeReaction(db: Database, reaction: EmojiReaction | undefined): Promise<boolean> {
  if (reaction === undefined) return false;
  return await db.transaction(async (tx) => {
    const removed = (
      await tx.delete(emojiReactions).where(eq(emojiReactions.id, reaction.id)).returning()
    )[0];
    if (removed === undefined) return false;
    await withdrawNotification(tx, {
      type: "emoji_reaction",
      fromAccountId: removed.accountId,
      statusId: removed.statusId,
      emoji: removed.name,
    });
    await recordEvent(tx, {
      type: "reaction.undone",
      reactionId: removed.id,
      reactionIri: removed.iri,
      accountId: removed.accountId,
      statusId: removed.statusId,
      name: removed.name,
    });
    return true;
  });
}

/** Takes back `account`'s reaction to `status` with the emoji `name` (stored form), if any. */
export async function unreactToStatus(
  db: Database,
  account: Account,
  status: Status,
  name: string,
): Promise<boolean> {
  const reaction = (
    await db
      .select()
      .from(emojiReactions)
      .where(
        and(
          eq(emojiReactions.accountId, account.id),
          eq(emojiReactions.statusId, status.id),
          eq(emojiReactions.name, name),
        ),
      )
      .limit(1)
  )[0];
  return await removeReaction(db, reaction);
}

/** Removes an emoji reaction by its activity id, if `account` made it (an incoming Undo). */
export async function undoReactionByIri(
  db: Database,
  account: Account,
  iri: string,
): Promise<boolean> {
  const reaction = (
    await db
      .select()
      .from(emojiReactions)
      .where(and(eq(emojiReactions.iri, iri), eq(emojiReactions.accountId, account.id)))
      .limit(1)
  )[0];
  return await removeReaction(db, reaction);
}
