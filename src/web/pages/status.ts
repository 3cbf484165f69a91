// A post: its images at full size (opening a keyboard-accessible lightbox), alt text, the AI label with a
// Remix link, counts, emoji reactions (with a picker when signed in), its remixes, the post it replies to
// and its replies (local and remote).
import { html } from "hono/html";
import type { CustomEmoji } from "../../db/queries/emojis.ts";
import type { GalleryTile } from "../../db/queries/gallery.ts";
import type { MediaAttachment } from "../../db/queries/rows.ts";
import { accountLine, displayNameOf, handleOf, statusPath } from "../components/account.ts";
import { actionBar, actionTargetOf, statusActions } from "../components/actions.ts";
import { emojiImages } from "../components/emoji.ts";
import { gallery, placeholderStyles } from "../components/gallery.ts";
import { layout, type View } from "../components/layout.ts";
import {
  altText,
  imageUrls,
  isAiGenerated,
  loadingAttrs,
  srcsetAttrs,
} from "../components/media.ts";
import { placeholderStylesFor } from "../components/placeholder-styles.ts";
import { pollBlock } from "../components/poll.ts";
import { previewCardBlock } from "../components/preview-card.ts";
import { reactionsBlock } from "../components/reactions.ts";
import {
  aiLabel,
  quoteBlock,
  statusBody,
  statusCard,
  statusCounts,
  timeTag,
  visibilityLabel,
} from "../components/status.ts";
import type { Html } from "../context.ts";
import type { StatusView } from "../views.ts";

/** The post's column is 880 pixels wide at most (less its padding), the screen's width on a phone. */
const POST_IMAGE_SIZES = "(min-width: 912px) 848px, 100vw";

function images(v: View, view: StatusView): Html {
  const shown = view.media.flatMap((m) => {
    const u = imageUrls(m, v.urls);
    return u === null ? [] : [{ m, u }];
  });
  if (shown.length === 0) return html``;
  return html`<div class="post-images${shown.length > 1 ? " several" : ""}" data-lightbox>
${shown.map(
  ({ m, u }, i) => html`<figure class="post-image">
  <a href="${u.full}" class="lightbox-open" data-index="${i}" data-full="${u.full}" data-alt="${altText(m, v.t)}"${promptAttr(m)} aria-label="${v.t("status.openImage", { n: v.t.number(i + 1), total: v.t.number(shown.length) })}">
    ${u.avif ? html`<picture><source type="image/avif" srcset="${u.avif}">` : ""}<img class="ph-${m.id}" src="${u.full}" alt="${altText(m, v.t)}"${u.width && u.height ? html` width="${u.width}" height="${u.height}"` : ""}${srcsetAttrs(u, POST_IMAGE_SIZES)}${loadingAttrs(v)}>${u.avif ? html`</picture>` : ""}
  </a>
  ${m.description ? html`<figcaption class="alt-text"><span class="tag">${v.t("status.alt")}</span> ${m.description}</figcaption>` : ""}
</figure>`,
)}
</div>`;
}

/** The prompt an AI image was made with, for the lightbox to show beside it (each image has its own). */
function promptAttr(m: MediaAttachment): Html {
  if (!isAiGenerated(m)) return html``;
  const prompt = m.provenance?.prompt ?? m.provenance?.revisedPrompt;
  return prompt ? html` data-prompt="${prompt}"` : html``;
}

/**
 * The lightbox dialog app.js drives: the image at full size with its alt text, the prompt of an AI
 * image, Remix, and the post's like and boost buttons (the same forms as below the post), so looking
 * through the images never means closing the viewer to act. Without JavaScript, the image links open
 * the files.
 */
function lightbox(v: View, view: StatusView, remixHref: string | null, returnTo: string): Html {
  return html`<dialog class="lightbox" id="lightbox" aria-label="${v.t("status.imageViewer")}">
  <figure>
    <img alt="">
    <figcaption></figcaption>
  </figure>
  <div class="lightbox-about">
    <p class="prompt lightbox-prompt" hidden><span class="tag tag-ai">${v.t("status.aiGenerated")}</span> <span class="muted">${v.t("status.prompt")}</span> <span class="lightbox-prompt-text"></span></p>
    <div class="lightbox-actions">
      ${actionBar(v, actionTargetOf(view), returnTo, { reply: false })}
      ${remixHref ? html`<a class="button button-small" href="${remixHref}">${v.t("status.remixPrompt")}</a>` : ""}
    </div>
  </div>
  <div class="lightbox-controls">
    <button type="button" class="button" data-lightbox-prev aria-label="${v.t("status.previousImage")}">←</button>
    <span class="lightbox-position" aria-live="polite"></span>
    <button type="button" class="button" data-lightbox-next aria-label="${v.t("status.nextImage")}">→</button>
    <button type="button" class="button" data-lightbox-close aria-label="${v.t("status.close")}">✕ ${v.t("status.close")}</button>
  </div>
</dialog>`;
}

/** The remixes of a post the viewer may see: how many, and the newest as a small grid. */
export interface RemixesView {
  count: number;
  items: GalleryTile[];
}

function remixesSection(v: View, remixes: RemixesView): Html {
  if (remixes.count === 0) return html``;
  const title = v.t("status.remixes", { count: remixes.count });
  return html`<section class="remixes" aria-labelledby="remixes-title">
  <h2 id="remixes-title">${title}</h2>
  ${gallery(v, remixes.items, null, () => "", v.t("status.remixesOf"), v.t("status.noRemix"))}
</section>`;
}

export function statusPage(
  v: View,
  view: StatusView,
  parent: StatusView | undefined,
  replies: StatusView[],
  /** This instance's enabled custom emojis, for a signed-in viewer's reaction picker. */
  pickerEmojis: readonly CustomEmoji[] = [],
  remixes: RemixesView = { count: 0, items: [] },
): Html {
  const s = view.status;
  const a = view.account;
  const name = displayNameOf(a);
  const handle = handleOf(a, new URL(v.origin).host);
  const text = s.content
    .replaceAll(/<[^>]*>/g, " ")
    .replaceAll(/\s+/g, " ")
    .trim();
  const cover = view.media[0];
  const coverUrls = cover ? imageUrls(cover, v.urls) : null;
  const sensitive = s.sensitive || s.spoilerText !== "";
  const description = sensitive
    ? s.spoilerText || v.t("common.sensitiveContent")
    : text.slice(0, 200) || (cover ? altText(cover, v.t) : v.t("status.postByName", { name }));
  const remixHref = a.domain === null ? `/compose?remix=${encodeURIComponent(s.id)}` : null;
  // Rendered before the post it replies to, so that the post's own first image is the one fetched first.
  const postImages = images(v, view);
  const body = html`${
    parent
      ? html`<section class="parent" aria-label="${v.t("status.inReplyTo")}">${statusCard(v, parent)}</section>`
      : ""
  }
<article class="post" aria-labelledby="post-author">
  <header class="status-header" id="post-author">
    ${accountLine(v, a, emojiImages(view.accountEmojis, v.urls))}
    <span class="status-time">${timeTag(v.t, s)}</span>
  </header>
  ${statusBody(v.t, s, html`${postImages}${quoteBlock(v, view.quote)}${previewCardBlock(v, view.card)}${pollBlock(v, view, statusPath(a, s.id))}`, emojiImages(view.emojis, v.urls))}
  ${aiLabel(v.t, view.media, remixHref)}
  <footer class="status-footer">
    ${statusCounts(v.t, s)}
    <span class="tag">${visibilityLabel(v.t, s.visibility)}</span>
    ${a.domain ? html`<a href="${s.url ?? s.iri}" rel="noopener">${v.t("status.originalPost")}</a>` : ""}
  </footer>
  ${reactionsBlock(v, s.id, view.reactions, pickerEmojis)}
  ${statusActions(v, view, statusPath(a, s.id))}
</article>
${remixesSection(v, remixes)}
<section class="replies" aria-labelledby="replies-title">
  <h2 id="replies-title">${v.t("status.repliesTitle")}</h2>
  ${replies.length === 0 ? html`<p class="empty">${v.t("status.noReplies")}</p>` : replies.map((r) => statusCard(v, r))}
</section>
${view.media.length > 0 ? lightbox(v, view, remixHref, statusPath(a, s.id)) : ""}`;
  return layout(
    v,
    {
      title: `${name}: ${description.slice(0, 60)}`,
      description,
      noindex: !a.indexable || s.visibility !== "public",
      social: {
        type: "article",
        title: `${name} (${handle})`,
        description,
        url: s.url ?? `${v.origin}${statusPath(a, s.id)}`,
        largeImage: coverUrls !== null && !sensitive,
        ...(coverUrls && cover && !sensitive
          ? {
              image: {
                url: coverUrls.full,
                alt: altText(cover, v.t),
                width: coverUrls.width,
                height: coverUrls.height,
              },
            }
          : a.avatarUrl
            ? { image: { url: a.avatarUrl, alt: v.t("status.avatarOf", { name }) } }
            : {}),
      },
      activityPubId: s.iri,
      // The remixes' tiles also need their aspect ratios, which the gallery's rules carry.
      head: html`${placeholderStylesFor(v, [
        ...view.media,
        ...(parent?.media ?? []),
        ...replies.flatMap((r) => r.media),
      ])}${placeholderStyles(v, remixes.items)}`,
    },
    body,
  );
}
