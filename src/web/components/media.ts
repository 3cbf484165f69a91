// Where an attachment's image files are: our own stored files by key, or the remote URL we keep.
import type { MediaAttachment } from "../../db/queries/rows.ts";
import type { LocalUrls } from "../../domain/local-urls.ts";

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
  };
}

/** Alt text, or a plain statement that the author gave none (never an empty alt on content images). */
export function altText(m: MediaAttachment): string {
  const d = m.description?.trim();
  return d ? d : "Image without a description";
}

/** Whether the attachment says it was made by an AI model (IPTC digital source type). */
export function isAiGenerated(m: MediaAttachment): boolean {
  return (
    m.provenance?.digitalSourceType?.includes("trainedAlgorithmicMedia") === true ||
    m.provenance?.digitalSourceType?.includes("compositeSynthetic") === true
  );
}
