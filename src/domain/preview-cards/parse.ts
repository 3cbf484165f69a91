// What a fetched page says about itself, for its preview card: OpenGraph and Twitter meta tags, then
// <title> and <meta name="description"> as fallbacks, the page's language, and its oEmbed discovery
// link; and the fields an oEmbed answer gives. Everything is untrusted: texts are trimmed of markup
// and bounded, URLs resolved against the page and kept only when http(s), numbers kept only when sane.
import { z } from "zod";
import type { PreviewCardType } from "../../db/schema/index.ts";
import { walkHtml } from "./html-walk.ts";

/** Bounds of the stored texts (Mastodon's PreviewCard limits, roughly: its columns are strings). */
export const LIMITS = {
  title: 300,
  description: 1000,
  name: 300,
  url: 2048,
  html: 4000,
  language: 16,
} as const;
const MAX_SIDE = 10_000;

export interface PageMeta {
  title: string;
  description: string;
  imageUrl: string | undefined;
  imageDescription: string;
  providerName: string;
  authorName: string;
  authorUrl: string;
  language: string | null;
  publishedAt: Date | null;
  /** The page's oEmbed JSON endpoint, if it names one. */
  oembedUrl: string | undefined;
}

/** Whitespace collapsed, trimmed, and cut at `max` characters (whole code points). */
export function boundText(value: string | undefined | null, max: number): string {
  const text = (value ?? "").replace(/\s+/g, " ").trim();
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join("")}…`;
}

/** An absolute http(s) URL from `value` resolved against `base`, or undefined. */
export function safeUrl(value: string | undefined | null, base?: string): string | undefined {
  if (!value) return undefined;
  const url = URL.parse(value.trim(), base);
  if (url === null || (url.protocol !== "http:" && url.protocol !== "https:")) return undefined;
  if (url.username || url.password || url.href.length > LIMITS.url) return undefined;
  return url.href;
}

function safeLanguage(value: string | undefined): string | null {
  // "en_US" (og:locale) and "en-US" (lang) both become "en", as Mastodon keeps ISO 639 codes.
  const code = /^([a-z]{2,3})(?:[-_][a-z0-9]+)*$/i.exec((value ?? "").trim())?.[1];
  return code ? code.toLowerCase() : null;
}

function safeDate(value: string | undefined): Date | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time) : null;
}

/** Reads the card fields of an HTML page fetched from `pageUrl` (only the <head> matters, mostly). */
export function parsePage(html: string, pageUrl: string): PageMeta {
  const meta = new Map<string, string>();
  let title = "";
  let inTitle = false;
  let lang: string | undefined;
  let oembed: string | undefined;
  walkHtml(html, {
    open(name, a) {
      if (name === "html" && a.lang) lang ??= a.lang;
      else if (name === "title") inTitle = title === "";
      else if (name === "meta") {
        const key = (a.property ?? a.name ?? "").trim().toLowerCase();
        // The first value of a key wins, as pages list the main image first.
        if (key !== "" && a.content !== undefined && !meta.has(key)) meta.set(key, a.content);
      } else if (name === "link" && oembed === undefined) {
        const rel = (a.rel ?? "").toLowerCase().split(/\s+/);
        if (
          rel.includes("alternate") &&
          (a.type ?? "").toLowerCase() === "application/json+oembed"
        ) {
          oembed = safeUrl(a.href, pageUrl);
        }
      }
    },
    close(name) {
      if (name === "title") inTitle = false;
    },
    text(text) {
      if (inTitle && title.length < LIMITS.title * 4) title += text;
    },
  });
  const get = (...keys: string[]) => keys.map((k) => meta.get(k)).find((v) => v?.trim());
  return {
    title: boundText(get("og:title", "twitter:title") ?? title, LIMITS.title),
    description: boundText(
      get("og:description", "twitter:description", "description"),
      LIMITS.description,
    ),
    imageUrl: safeUrl(
      get("og:image:secure_url", "og:image", "og:image:url", "twitter:image", "twitter:image:src"),
      pageUrl,
    ),
    imageDescription: boundText(get("og:image:alt", "twitter:image:alt"), LIMITS.description),
    providerName: boundText(get("og:site_name", "application-name"), LIMITS.name),
    authorName: boundText(get("author", "article:author", "twitter:creator"), LIMITS.name),
    // article:author is often a profile URL; a plain name is not a URL and is dropped here.
    authorUrl: safeUrl(get("article:author"), pageUrl) ?? "",
    language: safeLanguage(get("og:locale") ?? lang),
    publishedAt: safeDate(get("article:published_time", "og:published_time", "datepublished")),
    oembedUrl: oembed,
  };
}

const dimension = z.preprocess(
  (v) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v),
  z.number().int().min(0).max(MAX_SIDE),
);
const text = z.string().max(100_000);

/** The oEmbed 1.0 answer fields a card uses (every field optional but `type`; unknown ones ignored). */
const oembedSchema = z.object({
  type: z.enum(["photo", "video", "rich", "link"]),
  title: text.optional().catch(undefined),
  author_name: text.optional().catch(undefined),
  author_url: text.optional().catch(undefined),
  provider_name: text.optional().catch(undefined),
  provider_url: text.optional().catch(undefined),
  thumbnail_url: text.optional().catch(undefined),
  url: text.optional().catch(undefined),
  html: text.optional().catch(undefined),
  width: dimension.optional().catch(undefined),
  height: dimension.optional().catch(undefined),
});

export interface OembedCard {
  type: PreviewCardType;
  title: string;
  authorName: string;
  authorUrl: string;
  providerName: string;
  providerUrl: string;
  /** The raw html, still to be sanitized. */
  html: string;
  width: number;
  height: number;
  thumbnailUrl: string | undefined;
  /** A photo's own URL (the card's embed_url). */
  photoUrl: string | undefined;
}

/** The card fields of an oEmbed JSON answer, or undefined when it is not one. */
export function parseOembed(json: unknown, base: string): OembedCard | undefined {
  const parsed = oembedSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const o = parsed.data;
  return {
    type: o.type,
    title: boundText(o.title, LIMITS.title),
    authorName: boundText(o.author_name, LIMITS.name),
    authorUrl: safeUrl(o.author_url, base) ?? "",
    providerName: boundText(o.provider_name, LIMITS.name),
    providerUrl: safeUrl(o.provider_url, base) ?? "",
    html: o.html ?? "",
    width: o.width ?? 0,
    height: o.height ?? 0,
    thumbnailUrl: safeUrl(o.thumbnail_url, base),
    photoUrl: o.type === "photo" ? safeUrl(o.url, base) : undefined,
  };
}
