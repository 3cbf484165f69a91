// Sanitizes HTML that comes from other servers (post content, bios, profile fields) to the small allowlist
// Mastodon keeps, before it is stored or shown. sanitize-html parses with htmlparser2, a real tokenizer, so
// tricks that fool regular expressions (unclosed tags, entities in schemes, comments) do not apply.
import { createRequire } from "node:module";
import type SanitizeHtml from "sanitize-html";

// Loaded on first use (with htmlparser2 and postcss, ~60 modules): only remote content needs it, and
// start-up does not. require() keeps the callers synchronous.
const require = createRequire(import.meta.url);
let loaded: typeof SanitizeHtml | undefined;
const sanitizeHtml = (html: string, options: SanitizeHtml.IOptions): string => {
  loaded ??= require("sanitize-html") as typeof SanitizeHtml;
  return loaded(html, options);
};

// The classes Mastodon lets through: microformats for mentions and hashtags, and its link shortening.
const ALLOWED_CLASSES = [
  "h-card",
  "u-url",
  "mention",
  "hashtag",
  "invisible",
  "ellipsis",
  "quote-inline",
];

const options: SanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "span",
    "a",
    "del",
    "s",
    "pre",
    "code",
    "em",
    "strong",
    "b",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "blockquote",
  ],
  allowedAttributes: {
    a: ["href", "rel", "class", "translate", "target"],
    span: ["class", "translate"],
    ol: ["start", "reversed"],
    li: ["value"],
  },
  allowedClasses: { a: ALLOWED_CLASSES, span: ALLOWED_CLASSES },
  // Only links a browser can follow safely; javascript:, data:, vbscript: and relative URLs go.
  allowedSchemes: [
    "http",
    "https",
    "dat",
    "dweb",
    "ipfs",
    "ipns",
    "ssb",
    "gopher",
    "xmpp",
    "magnet",
  ],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  // Script and style bodies disappear with their tags instead of surviving as text.
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "template", "title"],
  disallowedTagsMode: "discard",
  transformTags: {
    // Headings and other block elements keep their text as paragraphs, as Mastodon does.
    h1: "p",
    h2: "p",
    h3: "p",
    h4: "p",
    h5: "p",
    h6: "p",
    a: (tagName, attribs) => ({
      tagName,
      // Links to other sites never pass our referrer or window.opener.
      attribs: { ...attribs, rel: "nofollow noopener noreferrer", target: "_blank" },
    }),
  },
};

/** Remote HTML reduced to Mastodon's allowlist: no scripts, event handlers, styles or unsafe URLs. */
export function sanitizeRemoteHtml(html: string): string {
  return sanitizeHtml(html, options).trim();
}

/** Plain text as HTML (for names and other text that must not carry markup). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** The text of some HTML, without any markup (for display names and summaries of other objects). */
export function htmlToText(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: ["script", "style"],
  })
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();
}

/**
 * An oEmbed provider's `html` (a video or rich card) reduced to what Mastodon's oEmbed sanitizer keeps:
 * one <iframe> with an https src and its size attributes, nothing else (no script, no inline handler,
 * no srcdoc; clients put it in a sandboxed frame anyway). "" when no such iframe is left: the card
 * then shows as a plain link rather than with markup we cannot vouch for.
 */
export function sanitizeEmbedHtml(html: string): string {
  const out = sanitizeHtml(html, {
    allowedTags: ["iframe"],
    allowedAttributes: {
      iframe: ["src", "width", "height", "allowfullscreen", "frameborder", "scrolling", "title"],
    },
    allowedSchemes: ["https"],
    allowedSchemesAppliedToAttributes: ["src"],
    allowProtocolRelative: false,
    nonTextTags: ["script", "style", "textarea", "noscript", "template", "title"],
    disallowedTagsMode: "discard",
    // The iframe's inner text (fallback content) is not kept either.
    textFilter: () => "",
  }).trim();
  return /^<iframe [^>]*src="https:\/\/[^"]+"[^>]*><\/iframe>$/.test(out) ? out : "";
}
