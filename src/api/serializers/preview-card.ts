// PreviewCard rows → Mastodon's PreviewCard: the image is the copy this instance stored (an absolute
// URL of our media), never the page's own; `authors` (4.3) repeats author_name/author_url, without a
// fediverse account (pages name one with fediverse:creator, which is not read yet).
import type { PreviewCard } from "../../db/schema/index.ts";
import type { ApiPreviewCard } from "../types.ts";
import type { SerializeContext } from "./context.ts";

export function toApiPreviewCard(card: PreviewCard, ctx: SerializeContext): ApiPreviewCard {
  const hasAuthor = card.authorName !== "" || card.authorUrl !== "";
  return {
    url: card.url,
    title: card.title,
    description: card.description,
    type: card.type,
    authors: hasAuthor ? [{ name: card.authorName, url: card.authorUrl, account: null }] : [],
    author_name: card.authorName,
    author_url: card.authorUrl,
    provider_name: card.providerName,
    provider_url: card.providerUrl,
    html: card.html,
    width: card.width,
    height: card.height,
    image: card.imageKey === null ? null : ctx.urls.media(card.imageKey),
    image_description: card.imageDescription,
    embed_url: card.embedUrl,
    blurhash: card.blurhash,
    language: card.language,
    published_at: card.publishedAt?.toISOString() ?? null,
  };
}
