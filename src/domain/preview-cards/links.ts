// Which link of a status gets a preview card: the first http(s) link of its content that is not a
// mention or hashtag (class mention/hashtag/u-url/h-card, rel=tag, as Mastodon skips them), not inside
// the "Remix of" quote line (.quote-inline), not to this instance, and not to media (one of the status's
// own attachments, or a file whose name says it is an image, video or audio).
import { walkHtml } from "./html-walk.ts";

/** URLs longer than this are not previewed (and never stored as a card's key). */
export const MAX_CARD_URL_LENGTH = 2048;

const MEDIA_PATH =
  /\.(jpe?g|png|gif|webp|avif|heic|svg|bmp|tiff?|mp4|m4v|mov|webm|mkv|ogv|mp3|m4a|ogg|oga|opus|flac|wav)$/i;

function skippedAnchor(attributes: Record<string, string>): boolean {
  const classes = (attributes.class ?? "").split(/\s+/);
  if (classes.some((c) => c === "mention" || c === "hashtag" || c === "u-url" || c === "h-card")) {
    return true;
  }
  return (attributes.rel ?? "").split(/\s+/).includes("tag");
}

/** The URL to preview for a status with this content, or undefined when none qualifies. */
export function cardLinkOf(
  content: string,
  options: { localHost: string; mediaUrls: readonly string[] },
): string | undefined {
  const media = new Set(options.mediaUrls);
  let found: string | undefined;
  // Depth inside a .quote-inline element (the quoted source is a status, not a page to preview).
  const stack: boolean[] = [];
  let quoted = 0;
  walkHtml(content, {
    open(name, attributes) {
      const quote = (attributes.class ?? "").split(/\s+/).includes("quote-inline");
      stack.push(quote);
      if (quote) quoted++;
      if (found !== undefined || name !== "a" || quoted > 0 || skippedAnchor(attributes)) return;
      const href = attributes.href ?? "";
      if (href.length > MAX_CARD_URL_LENGTH) return;
      const url = URL.parse(href);
      if (url === null || (url.protocol !== "http:" && url.protocol !== "https:")) return;
      if (url.username || url.password || url.host.toLowerCase() === options.localHost) return;
      if (media.has(url.href) || media.has(href) || MEDIA_PATH.test(url.pathname)) return;
      url.hash = "";
      found = url.href;
    },
    close() {
      if (stack.pop()) quoted--;
    },
  });
  return found;
}
