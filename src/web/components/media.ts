// Where an attachment's image files are (our own stored variants by key, or the remote URL we keep), the
// srcset that lets a browser pick the variant its layout and screen need, and the page's loading order.
import { html } from "hono/html";
import type { MediaAttachment } from "../../db/queries/rows.ts";
import type { LocalUrls } from "../../domain/local-urls.ts";
import { DEFAULT_LOCALE, type Translator, translatorFor } from "../../i18n/index.ts";
import type { Html } from "../context.ts";
import type { View } from "./layout.ts";

export interface ImageUrls {
  /** Grid-sized image. */
  thumbnail: string;
  /** Full display size. */
  full: string;
  width: number | null;
  height: number | null;
  /**
   * The kept original when it is AVIF: offered first to browsers that read it (a <picture> source),
   * the WebP display file standing in for the others.
   */
  avif?: string;
  /**
   * The thumbnail (≤ 640 px) and display (≤ 2048 px) variants with their widths, when both are ours
   * and differ: a phone then downloads the thumbnail where a desktop shows the display file. A remote
   * attachment has one URL, so none.
   */
  srcset?: string;
}

export function imageUrls(m: MediaAttachment, urls: LocalUrls): ImageUrls | null {
  const full = m.displayKey
    ? urls.media(m.displayKey)
    : m.originalKey
      ? urls.media(m.originalKey)
      : m.remoteUrl;
  if (!full) return null;
  return {
    thumbnail: m.thumbnailKey ? urls.media(m.thumbnailKey) : full,
    full,
    width: m.width,
    height: m.height,
    ...(m.originalKey?.endsWith(".avif") ? { avif: urls.media(m.originalKey) } : {}),
    ...(m.thumbnailKey && m.displayKey && m.thumbnailWidth && m.width && m.thumbnailWidth < m.width
      ? {
          srcset: `${urls.media(m.thumbnailKey)} ${m.thumbnailWidth}w, ${urls.media(m.displayKey)} ${m.width}w`,
        }
      : {}),
  };
}

/** The `srcset` and `sizes` attributes of an image, or nothing when it has a single file. */
export function srcsetAttrs(u: ImageUrls, sizes: string): Html {
  return u.srcset ? html` srcset="${u.srcset}" sizes="${sizes}"` : html``;
}

/**
 * The loading hints of a content image. The page's first one is most likely its largest element above
 * the fold (what Largest Contentful Paint measures), so it is fetched at high priority and not lazily;
 * every later one waits until it nears the viewport and decodes off the main thread. The View carries
 * which came first, so a page needs no index bookkeeping across its components.
 */
export function loadingAttrs(v: View): Html {
  if (!v.firstImage.claimed) {
    v.firstImage.claimed = true;
    return html` fetchpriority="high" decoding="async"`;
  }
  return html` loading="lazy" decoding="async"`;
}

/**
 * Alt text, or a plain statement that the author gave none (never an empty alt on content images), in
 * the page's language; without a translator (a caller not yet given one), in the default language.
 */
export function altText(m: MediaAttachment, t?: Translator): string {
  const d = m.description?.trim();
  if (d) return d;
  return (t ?? translatorFor(DEFAULT_LOCALE))("c_media.noDescription");
}

/** Whether the attachment says it was made by an AI model (IPTC digital source type). */
export function isAiGenerated(m: MediaAttachment): boolean {
  return (
    m.provenance?.digitalSourceType?.includes("trainedAlgorithmicMedia") === true ||
    m.provenance?.digitalSourceType?.includes("compositeSynthetic") === true
  );
}
