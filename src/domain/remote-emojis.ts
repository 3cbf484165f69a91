// Other servers' custom emojis: the `Emoji` tags of their posts and actors stored once per shortcode and
// domain (the author's: a server names only its own emojis), and our copy of each image, made in the
// background — never while the inbox request waits — through the guarded downloader and media/emoji.ts.
// Until the copy exists the API points at the remote URL; a copy that failed a few times is given up on
// and the remote URL stays.
import { and, eq, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { isOpen } from "../db/dialect.ts";
import { newId } from "../db/ids.ts";
import { type CustomEmoji, customEmojis } from "../db/schema/index.ts";
import { logger } from "../logging.ts";
import { EMOJI_MAX_BYTES, processEmoji } from "../media/emoji.ts";
import type { FetchedImage } from "../media/remote-fetch.ts";
import type { MediaStore } from "../media/store.ts";
import { isValidEmojiShortcode, MAX_EMOJIS_PER_OBJECT, shortcodesIn } from "./custom-emojis.ts";
import { recordEvent } from "./events.ts";
import { isDomainBlocked } from "./moderation.ts";

const log = logger("domain", "remote-emojis");

/** A remote `Emoji` tag as the mapper read it. */
export interface RemoteEmojiInput {
  /** Without colons. */
  shortcode: string;
  /** The icon's http(s) URL. */
  url: string;
  iri?: string | null;
  updated?: Date | null;
}

// Tries of one image before it is given up on (a file that is too large or not an image fails each time).
const MAX_COPY_ATTEMPTS = 3;

/**
 * The emoji tags worth keeping: valid shortcodes that `texts` use (an unused tag shows nowhere, and is
 * not downloaded), the first of each shortcode, at most MAX_EMOJIS_PER_OBJECT.
 */
export function usedEmojiInputs(
  inputs: readonly RemoteEmojiInput[],
  texts: readonly string[],
): RemoteEmojiInput[] {
  const used = new Set(shortcodesIn(texts));
  const seen = new Set<string>();
  const out: RemoteEmojiInput[] = [];
  for (const input of inputs) {
    if (!isValidEmojiShortcode(input.shortcode) || !used.has(input.shortcode)) continue;
    if (seen.has(input.shortcode)) continue;
    seen.add(input.shortcode);
    out.push(input);
    if (out.length >= MAX_EMOJIS_PER_OBJECT) break;
  }
  return out;
}

/**
 * Stores the emojis of `domain` that an object used (inputs already chosen by usedEmojiInputs): new ones
 * are inserted, one whose image changed (a newer `updated`, or no date and another URL) gets the new URL
 * and loses our old copy. Those that need a copy are named in an `emojis.discovered` event, recorded in
 * the caller's transaction.
 */
export async function persistRemoteEmojis(
  tx: DatabaseLike,
  domain: string,
  inputs: readonly RemoteEmojiInput[],
): Promise<void> {
  if (inputs.length === 0) return;
  const host = domain.toLowerCase();
  // Two objects naming a new emoji at once would both insert it: the unique index keeps one.
  await tx
    .insert(customEmojis)
    .values(
      inputs.map((e) => ({
        id: newId(),
        shortcode: e.shortcode,
        domain: host,
        iri: e.iri ?? null,
        remoteUrl: e.url,
        updatedAt: e.updated ?? null,
      })),
    )
    .onConflictDoNothing();
  const stored = await tx
    .select()
    .from(customEmojis)
    .where(
      and(
        eq(customEmojis.domain, host),
        inArray(
          customEmojis.shortcode,
          inputs.map((e) => e.shortcode),
        ),
      ),
    );
  const byShortcode = new Map(stored.map((e) => [e.shortcode, e]));
  const needCopy: string[] = [];
  for (const input of inputs) {
    const emoji = byShortcode.get(input.shortcode);
    if (emoji === undefined) continue;
    if (changedImage(emoji, input)) {
      await tx
        .update(customEmojis)
        .set({
          remoteUrl: input.url,
          iri: input.iri ?? emoji.iri,
          updatedAt: input.updated ?? null,
          imageKey: null,
          staticKey: null,
          copyAttempts: 0,
        })
        .where(eq(customEmojis.id, emoji.id));
      needCopy.push(emoji.id);
    } else if (emoji.imageKey === null && emoji.copyAttempts === 0 && !emoji.disabled) {
      needCopy.push(emoji.id);
    }
  }
  if (needCopy.length > 0) await recordEvent(tx, { type: "emojis.discovered", emojiIds: needCopy });
}

function changedImage(emoji: CustomEmoji, input: RemoteEmojiInput): boolean {
  if (emoji.remoteUrl === input.url) return false;
  // Mastodon's rule: the image is replaced by a newer one; without dates, a different URL is newer.
  if (input.updated && emoji.updatedAt) return input.updated > emoji.updatedAt;
  return true;
}

export interface RemoteEmojiCopierOptions {
  db: Database;
  store: MediaStore;
  /** The pipeline's pixel limit (MEDIA_MAX_PIXELS); media/emoji.ts bounds emojis further. */
  maxPixels: number;
  /** Downloads one image, bounded and guarded (media/remote-fetch.ts), at most `maxBytes`. */
  fetchImage: (url: string, maxBytes: number, signal: AbortSignal) => Promise<FetchedImage>;
  /** Downloads at once (default 2). */
  concurrency?: number;
}

/**
 * Copies remote emoji images into the media store, fed by the `emojis.discovered` event (and at start by
 * resume(), for what a stopped process left). The work is in memory: a copy lost to a restart is found
 * again by resume(), and two processes copying the same emoji store the same content-addressed file.
 */
export class RemoteEmojiCopier {
  readonly #options: RemoteEmojiCopierOptions;
  readonly #waiting = new Set<string>();
  readonly #abort = new AbortController();
  readonly #idleWaiters: (() => void)[] = [];
  #running = 0;
  #closed = false;

  constructor(options: RemoteEmojiCopierOptions) {
    this.#options = options;
  }

  /** Queues emojis for copying and returns at once (the event handler must not wait for downloads). */
  enqueue(emojiIds: readonly string[]): void {
    if (this.#closed) return;
    for (const id of emojiIds) this.#waiting.add(id);
    this.#pump();
  }

  /** At start-up: queues the remote emojis still without a copy that have tries left. */
  async resume(): Promise<void> {
    const { db } = this.#options;
    if (this.#closed || !isOpen(db)) return;
    const rows = await db
      .select({ id: customEmojis.id })
      .from(customEmojis)
      .where(
        and(
          isNotNull(customEmojis.domain),
          isNull(customEmojis.imageKey),
          eq(customEmojis.disabled, false),
          lt(customEmojis.copyAttempts, MAX_COPY_ATTEMPTS),
        ),
      )
      .limit(1000);
    this.enqueue(rows.map((r) => r.id));
  }

  /** Resolves once nothing is waiting or being copied (tests). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#waiting.clear();
    this.#abort.abort();
    await this.idle();
  }

  #isIdle(): boolean {
    return this.#running === 0 && this.#waiting.size === 0;
  }

  #pump(): void {
    while (
      !this.#closed &&
      this.#waiting.size > 0 &&
      this.#running < (this.#options.concurrency ?? 2)
    ) {
      const id = this.#waiting.values().next().value!;
      this.#waiting.delete(id);
      this.#running++;
      void this.#copy(id)
        .catch((error: unknown) => {
          if (!this.#closed) log.warning("Copying emoji {id} failed: {error}", { id, error });
        })
        .finally(() => {
          this.#running--;
          this.#pump();
          if (this.#isIdle()) for (const resolve of this.#idleWaiters.splice(0)) resolve();
        });
    }
    if (this.#isIdle()) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  async #copy(id: string): Promise<void> {
    const { db, store, maxPixels, fetchImage } = this.#options;
    if (!isOpen(db)) return;
    // Counted before the download, so a file that takes the process down is not tried for ever.
    const [emoji] = await db
      .update(customEmojis)
      .set({ copyAttempts: sql`${customEmojis.copyAttempts} + 1` })
      .where(
        and(
          eq(customEmojis.id, id),
          isNull(customEmojis.imageKey),
          isNotNull(customEmojis.remoteUrl),
          lt(customEmojis.copyAttempts, MAX_COPY_ATTEMPTS),
        ),
      )
      .returning();
    if (emoji === undefined) return;
    const url = emoji.remoteUrl!;
    const host = URL.parse(url)?.host;
    // A file on a blocked host is not fetched: the block means no request of ours reaches it.
    if (host === undefined || (await isDomainBlocked(db, host))) {
      log.info("Not copying emoji {url}: its host is blocked.", { url });
      return;
    }
    try {
      const fetched = await fetchImage(url, EMOJI_MAX_BYTES, this.#abort.signal);
      const processed = await processEmoji(fetched.bytes, maxPixels);
      const [imageKey, staticKey] = await Promise.all([
        store.put(processed.image.bytes, processed.image.extension),
        store.put(processed.still.bytes, processed.still.extension),
      ]);
      if (this.#closed || !isOpen(db)) return;
      // Only if the emoji still has that image (a newer one may have arrived meanwhile).
      await db
        .update(customEmojis)
        .set({ imageKey, staticKey })
        .where(and(eq(customEmojis.id, id), eq(customEmojis.remoteUrl, url)));
      log.debug("Copied emoji :{shortcode}: of {domain}.", {
        shortcode: emoji.shortcode,
        domain: emoji.domain,
      });
    } catch (error) {
      if (this.#closed) return;
      log.info("Could not copy emoji {url}: {reason}", {
        url,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
