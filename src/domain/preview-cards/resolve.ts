// Turns one URL into the fields of its preview card: the page (HTML, bounded and guarded by the
// fetchers it is given: media/remote-fetch.ts), its meta tags, its oEmbed answer when it names one, and
// its image, re-encoded by the media pipeline and stored in our MediaStore (clients load it from us, not
// from the page's server, and never see the original bytes). Any failure of the oEmbed answer or the
// image only drops that part; a page that cannot be read makes the whole card fail (RemoteFetchError).
import type { NewPreviewCard, PreviewCardType } from "../../db/schema/index.ts";
import { logger } from "../../logging.ts";
import { type PipelineLimits, processImage } from "../../media/pipeline.ts";
import type { FetchedImage } from "../../media/remote-fetch.ts";
import type { MediaStore } from "../../media/store.ts";
import { sanitizeEmbedHtml } from "../html-sanitizer.ts";
import { LIMITS, type OembedCard, parseOembed, parsePage, safeUrl } from "./parse.ts";

const log = logger("domain", "preview-cards");

/** The bounded, guarded downloads a resolution uses (deps.ts builds them from remote-fetch.ts). */
export interface CardFetchers {
  html(url: string, signal: AbortSignal): Promise<FetchedImage>;
  oembed(url: string, signal: AbortSignal): Promise<FetchedImage>;
  image(url: string, signal: AbortSignal): Promise<FetchedImage>;
}

export interface ResolveDeps {
  fetch: CardFetchers;
  store: MediaStore;
  limits: PipelineLimits;
}

/** Whether a URL the page names (its oEmbed endpoint, its image) may be fetched: not a blocked host. */
type MayFetch = (url: string) => Promise<boolean>;

/** The card's stored fields (all but id, url, state and the times). */
export type CardFields = Omit<
  NewPreviewCard,
  "id" | "url" | "state" | "fetchedAt" | "createdAt" | "trendable" | "reviewedAt"
>;

/** Decodes a page: UTF-8 (what nearly every page is); a page in another charset keeps its ASCII. */
function decode(bytes: Buffer): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

async function oembedOf(
  deps: ResolveDeps,
  endpoint: string,
  signal: AbortSignal,
  mayFetch: MayFetch,
): Promise<OembedCard | undefined> {
  try {
    if (!(await mayFetch(endpoint))) return undefined;
    const answer = await deps.fetch.oembed(endpoint, signal);
    return parseOembed(JSON.parse(decode(answer.bytes)), answer.url);
  } catch (error) {
    log.info("oEmbed {endpoint} unusable: {reason}", { endpoint, reason: String(error) });
    return undefined;
  }
}

async function imageOf(
  deps: ResolveDeps,
  url: string,
  signal: AbortSignal,
  mayFetch: MayFetch,
): Promise<{ key: string; width: number; height: number; blurhash: string } | undefined> {
  try {
    if (!(await mayFetch(url))) return undefined;
    const image = await deps.fetch.image(url, signal);
    // The thumbnail variant (≤ 640 px WebP, metadata stripped) is all a card shows.
    const processed = await processImage(image.bytes, deps.limits);
    const { thumbnail } = processed;
    const key = await deps.store.put(thumbnail.bytes, thumbnail.extension);
    return { key, width: thumbnail.width, height: thumbnail.height, blurhash: processed.blurhash };
  } catch (error) {
    log.info("Card image {url} unusable: {reason}", { url, reason: String(error) });
    return undefined;
  }
}

/** Fetches `url` and builds its card, or throws when the page itself cannot be had. */
export async function resolveCard(
  deps: ResolveDeps,
  url: string,
  signal: AbortSignal,
  mayFetch: MayFetch = async () => true,
): Promise<CardFields> {
  const page = await deps.fetch.html(url, signal);
  const meta = parsePage(decode(page.bytes), page.url);
  const oembed = meta.oembedUrl
    ? await oembedOf(deps, meta.oembedUrl, signal, mayFetch)
    : undefined;
  let type: PreviewCardType = "link";
  let html = "";
  let embedUrl = "";
  if (oembed?.type === "video" || oembed?.type === "rich") {
    html = sanitizeEmbedHtml(oembed.html.slice(0, LIMITS.html * 4));
    if (html.length > LIMITS.html) html = "";
    // Without safe markup there is nothing to embed: the card stays a link card.
    if (html !== "") type = oembed.type;
  } else if (oembed?.type === "photo" && oembed.photoUrl) {
    type = "photo";
    embedUrl = oembed.photoUrl;
  }
  const imageUrl =
    oembed?.thumbnailUrl ?? meta.imageUrl ?? (type === "photo" ? embedUrl : undefined);
  const image = imageUrl ? await imageOf(deps, imageUrl, signal, mayFetch) : undefined;
  const embedded = type !== "link" && oembed !== undefined && oembed.width > 0;
  const title = oembed?.title || meta.title;
  return {
    title,
    description: meta.description,
    type,
    authorName: oembed?.authorName || meta.authorName,
    authorUrl: oembed?.authorUrl || meta.authorUrl,
    // The page's own host when it names no provider, as Mastodon's cards show a domain.
    providerName: oembed?.providerName || meta.providerName,
    providerUrl: oembed?.providerUrl || (safeUrl("/", page.url) ?? ""),
    html,
    width: embedded ? oembed.width : (image?.width ?? 0),
    height: embedded ? oembed.height : (image?.height ?? 0),
    imageKey: image?.key ?? null,
    imageDescription: image === undefined ? "" : meta.imageDescription,
    blurhash: image?.blurhash ?? null,
    embedUrl,
    language: meta.language,
    publishedAt: meta.publishedAt,
  };
}
