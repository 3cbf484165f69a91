// The image grid of the explore and profile pages: square tiles with blurhash placeholders, and an
// "Older" link that pages without JavaScript (app.js turns it into infinite scroll).
import { html } from "hono/html";
import type { GalleryTile } from "../../db/queries/gallery.ts";
import type { Html } from "../context.ts";
import { displayNameOf, statusPath } from "./account.ts";
import { actionBar } from "./actions.ts";
import type { View } from "./layout.ts";
import { altText, imageUrls, isAiGenerated } from "./media.ts";
import { blurhashBackground } from "./placeholder.ts";
import { placeholderStylesFor } from "./placeholder-styles.ts";

/** The nonced <style> that paints each tile's placeholder (style attributes are barred by the CSP). */
export function placeholderStyles(v: View, tiles: GalleryTile[]): Html {
  return placeholderStylesFor(
    v,
    tiles.map((t) => t.media),
  );
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
  const anchor = `t-${t.statusId}`;
  return html`<li class="tile ph-${t.media.id}" id="${anchor}"${bg ? html` data-ph="${bg}"` : ""}>
  <a href="${statusPath(t.account, t.statusId)}" aria-label="${v.t("gallery.postBy", { name: displayNameOf(t.account) })}${
    t.imageCount > 1 ? `, ${v.t("gallery.images", { count: t.imageCount })}` : ""
  }">
    <img src="${urls.thumbnail}" alt="${hidden ? `${v.t("gallery.sensitiveImage")}${t.spoilerText ? `: ${t.spoilerText}` : ""}` : altText(t.media)}" width="${w}" height="${h}" loading="lazy" decoding="async"${hidden ? html` class="blurred"` : ""}>
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
