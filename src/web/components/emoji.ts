// Custom emojis on the pages: :shortcode: in a status's HTML or in a name becomes an <img> with the
// shortcode as alt text (what a screen reader says, and what is copied), sized by the stylesheet
// (.custom-emoji). Only the emojis the status or account is linked to are replaced; any other :text:
// stays as typed.
import { html, raw } from "hono/html";
import type { CustomEmoji } from "../../db/queries/emojis.ts";
import { emojiImageUrls } from "../../domain/custom-emojis.ts";
import type { LocalUrls } from "../../domain/local-urls.ts";
import type { Html } from "../context.ts";

/** Image URLs by shortcode. */
export type EmojiImages = ReadonlyMap<string, { url: string; staticUrl: string }>;

export const NO_EMOJIS: EmojiImages = new Map();

/**
 * The emojis our pages show as images: only those with our own copy. A remote one not copied (yet, or
 * ever: too big, not an image, a blocked host) stays `:code:` text, so that a visitor's browser is
 * never sent to another server by our page.
 */
export function emojiImages(emojis: readonly CustomEmoji[], urls: LocalUrls): EmojiImages {
  return new Map(
    emojis.filter((e) => e.imageKey !== null).map((e) => [e.shortcode, emojiImageUrls(e, urls)]),
  );
}

const SHORTCODE = /:([a-zA-Z0-9_]{2,64}):/g;
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function image(shortcode: string, emojis: EmojiImages): string | undefined {
  const found = emojis.get(shortcode);
  if (found === undefined) return undefined;
  const alt = escapeHtml(`:${shortcode}:`);
  return `<img class="custom-emoji" src="${escapeHtml(found.url)}" alt="${alt}" title="${alt}" draggable="false">`;
}

/** Escaped text with the linked emojis as images. */
export function emojifyText(text: string, emojis: EmojiImages): Html {
  if (emojis.size === 0) return html`${text}`;
  let out = "";
  let last = 0;
  for (const m of text.matchAll(SHORTCODE)) {
    const img = image(m[1]!, emojis);
    if (img === undefined) continue;
    out += escapeHtml(text.slice(last, m.index)) + img;
    last = m.index + m[0].length;
  }
  return raw(out + escapeHtml(text.slice(last)));
}

/**
 * Stored (sanitized) HTML with the linked emojis as images, in text only: the HTML is split at its
 * tags, and the sanitizer escapes < and > inside attribute values, so no attribute is ever touched.
 */
export function emojifyHtml(sanitized: string, emojis: EmojiImages): Html {
  if (emojis.size === 0) return raw(sanitized);
  return raw(
    sanitized
      .split(/(<[^>]*>)/)
      .map((part, i) =>
        i % 2 === 1
          ? part
          : part.replace(SHORTCODE, (whole, code: string) => image(code, emojis) ?? whole),
      )
      .join(""),
  );
}
