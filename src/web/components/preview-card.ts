// A status's link preview on the pages: the card's image (our re-encoded copy), provider, title and
// description, all one link to the page. The link is marked nofollow ugc (the author chose it, not us)
// and noopener. An oEmbed player is not embedded here: the pages show no third-party frames.
import { html } from "hono/html";
import type { PreviewCard } from "../../db/queries/rows.ts";
import type { Html } from "../context.ts";
import type { View } from "./layout.ts";

export function previewCardBlock(v: View, card: PreviewCard | undefined): Html {
  if (card === undefined || card.title === "") return html``;
  const provider = card.providerName || (URL.parse(card.url)?.host ?? "");
  const image =
    card.imageKey === null
      ? ""
      : html`<img src="${v.urls.media(card.imageKey)}" alt="${card.imageDescription}" ${
          card.width > 0 && card.height > 0 && card.type === "link"
            ? html`width="${card.width}" height="${card.height}"`
            : ""
        } loading="lazy" decoding="async">`;
  return html`<a class="preview-card${image === "" ? " preview-card-text-only" : ""}" href="${card.url}" rel="noopener nofollow ugc" target="_blank">${image}<span class="preview-card-text">${
    provider ? html`<span class="preview-card-provider">${provider}</span>` : ""
  }<strong class="preview-card-title">${card.title}</strong>${
    card.description ? html`<span class="preview-card-description">${card.description}</span>` : ""
  }</span></a>`;
}
