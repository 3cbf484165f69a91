// The image grid of the explore and profile pages: a justified gallery (rows of equal height, each image
// at its own aspect ratio, laid out by CSS flexbox alone) with blurhash placeholders, and an "Older"
// link that pages without JavaScript (app.js turns it into infinite scroll).
import { html } from "hono/html";
import type { GalleryTile } from "../../db/queries/gallery.ts";
import type { Html } from "../context.ts";
import { displayNameOf, statusPath } from "./account.ts";
import { actionBar } from "./actions.ts";
import type { View } from "./layout.ts";
import { altText, imageUrls, isAiGenerated, loadingAttrs, srcsetAttrs } from "./media.ts";
import { blurhashBackground } from "./placeholder.ts";

// A panorama or a tall strip at its own ratio would fill a row alone or shrink to a sliver: past these
// the tile is cropped (object-fit: cover) to the bound.
const MIN_RATIO = 0.5;
const MAX_RATIO = 2.5;

/** A tile's width over its height, from the stored size of its cover image (square when unknown). */
function tileRatio(t: GalleryTile): number {
  const w = t.media.thumbnailWidth ?? t.media.width;
  const h = t.media.thumbnailHeight ?? t.media.height;
  if (!w || !h) return 1;
  return Math.round(Math.min(MAX_RATIO, Math.max(MIN_RATIO, w / h)) * 1000) / 1000;
}

/**
 * The nonced <style> giving each tile its aspect ratio (`--ar`, which sets its share of a row in
 * app.css) and its placeholder; style attributes are barred by the CSP.
 */
export function placeholderStyles(v: View, tiles: GalleryTile[]): Html {
  const rules = tiles.map((t) => {
    const bg = blurhashBackground(t.media.blurhash);
    return `.ph-${t.media.id}{${bg === null ? "" : `background:${bg};`}--ar:${tileRatio(t)}}`;
  });
  return rules.length === 0 ? html`` : html`<style nonce="${v.nonce}">${rules.join("\n")}</style>`;
}

/**
 * The widths a tile may be drawn at, for choosing between its variants: a row's tiles grow from
 * `ratio × row height` (app.css: 120, 200 and 240 px rows) by up to about half again to fill the row.
 */
function tileSizes(ratio: number): string {
  const at = (row: number, cap: string) => `min(${Math.round(ratio * row * 1.5)}px, ${cap})`;
  return `(min-width: 960px) ${at(240, "1168px")}, (min-width: 600px) ${at(200, "100vw")}, ${at(120, "100vw")}`;
}

/** A tile's prompt is cut here: the post page has it whole, and 24 tiles stay light. */
const PROMPT_SHOWN = 120;

function shortPrompt(prompt: string): string {
  const text = prompt.trim().replace(/\s+/g, " ");
  return text.length <= PROMPT_SHOWN ? text : `${text.slice(0, PROMPT_SHOWN - 1).trimEnd()}…`;
}

/**
 * The line over a tile's foot: why it is there (the trends' reason), the AI label with the prompt that
 * made the image, and a content warning instead of the prompt when the image is hidden (a sensitive
 * image's prompt may say what the warning hides). It sits outside the link, so a screen reader reads
 * it after the link's name.
 */
function caption(v: View, t: GalleryTile, hidden: boolean, note: string | undefined): Html {
  const ai = isAiGenerated(t.media);
  const prompt = ai ? (t.media.provenance?.prompt ?? t.media.provenance?.revisedPrompt) : undefined;
  if (!ai && !hidden && !note) return html``;
  return html`<div class="tile-caption">
    ${note ? html`<p class="tile-note">${note}</p>` : ""}
    <p class="tile-prompt">${ai ? html`<span class="tag tag-ai">${v.t("gallery.ai")}<span class="visually-hidden">${v.t("gallery.aiHidden")}${prompt && !hidden ? ":" : ""}</span></span> ` : ""}${
      hidden
        ? html`<span class="cw-label">${t.spoilerText || v.t("gallery.sensitive")}</span>`
        : prompt
          ? shortPrompt(prompt)
          : ""
    }</p>
  </div>`;
}

function tile(v: View, t: GalleryTile, note: string | undefined): Html {
  const urls = imageUrls(t.media, v.urls);
  if (urls === null) return html``;
  const bg = blurhashBackground(t.media.blurhash);
  const hidden = t.sensitive || t.spoilerText !== "";
  const w = t.media.thumbnailWidth ?? t.media.width ?? 400;
  const h = t.media.thumbnailHeight ?? t.media.height ?? 400;
  const ratio = tileRatio(t);
  const anchor = `t-${t.statusId}`;
  // data-ar and data-ph carry the tile's style rule for app.js, which appends tiles the page's <style>
  // does not cover.
  return html`<li class="tile ph-${t.media.id}" id="${anchor}" data-ar="${ratio}"${bg ? html` data-ph="${bg}"` : ""}>
  <a href="${statusPath(t.account, t.statusId)}" aria-label="${v.t("gallery.postBy", { name: displayNameOf(t.account) })}${
    t.imageCount > 1 ? `, ${v.t("gallery.images", { count: t.imageCount })}` : ""
  }">
    <img src="${urls.thumbnail}" alt="${hidden ? `${v.t("gallery.sensitiveImage")}${t.spoilerText ? `: ${t.spoilerText}` : ""}` : altText(t.media, v.t)}" width="${w}" height="${h}"${srcsetAttrs(urls, tileSizes(ratio))}${loadingAttrs(v)}${hidden ? html` class="blurred"` : ""}>
    ${t.imageCount > 1 ? html`<span class="multi" aria-hidden="true">${t.imageCount}</span>` : ""}
  </a>
  ${caption(v, t, hidden, note)}
  ${
    t.viewer
      ? actionBar(
          v,
          {
            id: t.statusId,
            author: t.account,
            visibility: t.visibility,
            counts: t.counts,
            viewer: t.viewer,
          },
          `${v.here.split("#")[0]}#${anchor}`,
          { compact: true },
        )
      : ""
  }
</li>`;
}

export interface GalleryOptions {
  /** A line under a tile saying why it is there (the trends' reason); none by default. */
  noteOf?: (t: GalleryTile) => string | undefined;
  /** The next page link's text ("Older images": the grids paged by id). */
  more?: string;
}

/**
 * A grid of tiles with the link to the next page. `pageUrl(next)` builds that link (`next` is the
 * last id shown, or whatever the grid pages by); app.js follows it on scroll and appends the next
 * page's tiles to the grid.
 */
export function gallery(
  v: View,
  tiles: GalleryTile[],
  next: string | null,
  pageUrl: (next: string) => string,
  label: string,
  empty: Html | string,
  options: GalleryOptions = {},
): Html {
  if (tiles.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<ul class="grid" data-infinite aria-label="${label}">
${tiles.map((t) => tile(v, t, options.noteOf?.(t)))}
</ul>
${
  next
    ? html`<nav class="pager" aria-label="${v.t("common.more")}"><a class="button" rel="next" data-next href="${pageUrl(next)}">${options.more ?? v.t("gallery.older")}</a></nav>`
    : ""
}`;
}
