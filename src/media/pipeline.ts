// The image pipeline (sharp), shared by uploads and generated images: checks size, type and pixel count,
// auto-orients, strips every bit of metadata (EXIF, GPS, ICC, comments), writes the three variants
// (original, display WebP ≤ 2048 px, thumbnail WebP ≤ 640 px), computes the blurhash and finds a focal
// point (sharp's attention strategy); for remote attachments it only measures (size and blurhash,
// summarizeImage).
import { encode as encodeBlurhash } from "blurhash";
import type { Metadata, OutputInfo, SharpOptions } from "sharp";
import { AppError, unprocessable } from "../errors.ts";
import { pngTexts, withPngText } from "./png-text.ts";
import { provenanceXmp, type XmpProvenance } from "./provenance.ts";
import { sharp } from "./sharp.ts";
import type { MediaExtension } from "./store.ts";

export const DISPLAY_MAX_SIDE = 2048;
export const THUMBNAIL_MAX_SIDE = 640;
// Mastodon drops blurhashes with more than 5 components per axis; it encodes 4×4 itself.
const BLURHASH_COMPONENTS = 4;
const BLURHASH_SOURCE_SIDE = 32;
// The focal point is looked for on a copy this size: enough for libvips' attention (skin tones,
// saturation, edges) to find the subject, and a few milliseconds even for a large image.
const FOCUS_SOURCE_SIDE = 256;
// Below this standard deviation (of 255) in every channel an image is one flat colour to the eye.
const FLAT_STDEV = 2;
// A pathological image must not hold a worker forever.
const SHARP_TIMEOUT_SECONDS = 30;

export interface PipelineLimits {
  maxBytes: number;
  /** width × height above which an image is refused before it is decoded (decompression bombs). */
  maxPixels: number;
}

export interface ImageVariant {
  bytes: Buffer;
  extension: MediaExtension;
  width: number;
  height: number;
}

export interface ProcessedImage {
  original: ImageVariant;
  display: ImageVariant;
  thumbnail: ImageVariant;
  blurhash: string;
  /** Where the subject is, in Mastodon's focal point convention (x, y in −1…1, y up). */
  focus: { x: number; y: number };
  /** The format the input was in ("jpeg", "png", "webp", "avif", "gif"). */
  inputFormat: string;
}

type InputFormat = "jpeg" | "png" | "webp" | "avif" | "gif";

function detectFormat(meta: Metadata): InputFormat | undefined {
  switch (meta.format) {
    case "jpeg":
    case "png":
    case "webp":
    case "gif":
      return meta.format;
    case "heif":
      // libvips reports AVIF as HEIF with AV1 compression; HEIC (HEVC) is not accepted.
      return meta.compression === "av1" ? "avif" : undefined;
    default:
      return undefined;
  }
}

const decodeOptions = (limits: PipelineLimits): SharpOptions => ({
  limitInputPixels: limits.maxPixels,
  // GIF: the first frame only (animated media is not supported yet).
  pages: 1,
  failOn: "error",
});

/**
 * Reads only the header of untrusted bytes and refuses (with a clear AppError) empty or too large files,
 * anything that is not JPEG, PNG, WebP, AVIF or GIF, and images with more pixels than allowed — so a
 * 30000×30000 "bomb" is never decoded.
 */
async function checkImage(
  input: Uint8Array,
  limits: PipelineLimits,
): Promise<{ meta: Metadata; format: InputFormat }> {
  if (input.byteLength === 0) throw unprocessable("The file is empty");
  if (input.byteLength > limits.maxBytes) {
    throw new AppError(
      "payload_too_large",
      `The file is too large: at most ${Math.floor(limits.maxBytes / (1024 * 1024))} MB`,
    );
  }
  let meta: Metadata;
  try {
    // Only the header is read here, so the pixel limit is checked by us below with a clear message.
    meta = await sharp(input, { ...decodeOptions(limits), limitInputPixels: false }).metadata();
  } catch (error) {
    throw unprocessable("The file is not a readable image (JPEG, PNG, WebP, AVIF or GIF)", {
      cause: String(error),
    });
  }
  const format = detectFormat(meta);
  if (format === undefined) {
    throw unprocessable(
      `Unsupported image type${meta.format ? ` (${meta.format})` : ""}: use JPEG, PNG, WebP, AVIF or GIF`,
    );
  }
  const pixels = (meta.width ?? 0) * (meta.pageHeight ?? meta.height ?? 0);
  if (pixels === 0) throw unprocessable("The image has no pixels");
  if (pixels > limits.maxPixels) {
    throw unprocessable(
      `The image is too large: ${meta.width}×${meta.pageHeight ?? meta.height} pixels, at most ${limits.maxPixels.toLocaleString("en")} pixels`,
    );
  }
  return { meta, format };
}

/** A 4×4 blurhash of the (auto-oriented) image, from a 32 px copy. */
async function blurhashOf(input: Uint8Array, options: SharpOptions): Promise<string> {
  const tiny = await sharp(input, options)
    .autoOrient()
    .timeout({ seconds: SHARP_TIMEOUT_SECONDS })
    .resize(BLURHASH_SOURCE_SIDE, BLURHASH_SOURCE_SIDE, { fit: "inside" })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return encodeBlurhash(
    new Uint8ClampedArray(tiny.data.buffer, tiny.data.byteOffset, tiny.data.byteLength),
    tiny.info.width,
    tiny.info.height,
    BLURHASH_COMPONENTS,
    BLURHASH_COMPONENTS,
  );
}

/**
 * The focal point of the (auto-oriented) image: the centre of what libvips' attention strategy picks as
 * the most interesting region, on a small copy, in Mastodon's convention (−1…1, y up, two decimals).
 */
async function attentionFocus(
  input: Uint8Array,
  options: SharpOptions,
): Promise<{ x: number; y: number }> {
  const small = await sharp(input, options)
    .autoOrient()
    .timeout({ seconds: SHARP_TIMEOUT_SECONDS })
    .resize(FOCUS_SOURCE_SIDE, FOCUS_SOURCE_SIDE, { fit: "inside" })
    .toBuffer({ resolveWithObject: true });
  const { width, height } = small.info;
  // An image without detail has no subject: its centre, as Mastodon's default. (libvips then reports
  // the attention centre at 0,0, which would read as the top-left corner.)
  const stats = await sharp(small.data).stats();
  if (Math.max(...stats.channels.map((c) => c.stdev)) < FLAT_STDEV) return { x: 0, y: 0 };
  // A crop of half the width (or height) of the copy, as tall (wide) as it: no resizing, so the
  // reported attention centre is in the copy's pixels.
  const horizontal = width >= height;
  const crop = await sharp(small.data)
    .resize(
      horizontal ? Math.max(1, Math.floor(width / 2)) : width,
      horizontal ? height : Math.max(1, Math.floor(height / 2)),
      { fit: "cover", position: "attention" },
    )
    .toBuffer({ resolveWithObject: true });
  const info = crop.info as OutputInfo & { attentionX?: number; attentionY?: number };
  if (info.attentionX === undefined || info.attentionY === undefined) return { x: 0, y: 0 };
  if (info.attentionX === 0 && info.attentionY === 0) return { x: 0, y: 0 };
  const cx = info.attentionX;
  const cy = info.attentionY;
  const round = (v: number) => Math.round(Math.min(1, Math.max(-1, v)) * 100) / 100;
  return { x: round((cx / width) * 2 - 1), y: round(1 - (cy / height) * 2) };
}

export interface ImageSummary {
  /** As displayed (EXIF orientation applied). */
  width: number;
  height: number;
  blurhash: string;
}

/**
 * What a client needs to lay out an image before loading it — size and blurhash — for bytes stored
 * elsewhere (a remote attachment). The same checks as processImage; nothing is written.
 */
export async function summarizeImage(
  input: Uint8Array,
  limits: PipelineLimits,
): Promise<ImageSummary> {
  const { meta } = await checkImage(input, limits);
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  // EXIF orientations 5–8 turn the image a quarter: the displayed sides swap.
  const turned = (meta.orientation ?? 1) >= 5;
  try {
    return {
      width: turned ? height : width,
      height: turned ? width : height,
      blurhash: await blurhashOf(input, decodeOptions(limits)),
    };
  } catch (error) {
    throw unprocessable("The image could not be processed (it may be damaged or truncated)", {
      cause: String(error),
    });
  }
}

/**
 * Turns untrusted image bytes into the stored variants, after checkImage's checks.
 * `provenance` (generated images) is written into every variant as XMP; nothing else survives.
 */
export async function processImage(
  input: Uint8Array,
  limits: PipelineLimits,
  provenance?: XmpProvenance,
): Promise<ProcessedImage> {
  const { format } = await checkImage(input, limits);
  const options = decodeOptions(limits);
  const xmp = provenance === undefined ? undefined : provenanceXmp(provenance);
  // Every pipeline starts from the same decode options and orientation; metadata is dropped by default
  // (sharp writes none unless asked), so only our XMP is ever added back.
  const start = () => {
    const s = sharp(input, options).autoOrient().timeout({ seconds: SHARP_TIMEOUT_SECONDS });
    return xmp === undefined ? s : s.withXmp(xmp);
  };
  try {
    const originalPipeline = start();
    let originalExtension: MediaExtension;
    switch (format) {
      case "jpeg":
        originalPipeline.jpeg({ quality: 92, mozjpeg: true });
        originalExtension = "jpg";
        break;
      case "webp":
        originalPipeline.webp({ quality: 92 });
        originalExtension = "webp";
        break;
      case "avif":
        originalPipeline.avif({ quality: 70 });
        originalExtension = "avif";
        break;
      default:
        // PNG stays PNG; a GIF's first frame becomes a PNG (lossless, and displayed everywhere).
        originalPipeline.png({ compressionLevel: 6 });
        originalExtension = "png";
    }
    const [original, display, thumbnail, blurhash, focus] = await Promise.all([
      originalPipeline.toBuffer({ resolveWithObject: true }),
      start()
        .resize(DISPLAY_MAX_SIDE, DISPLAY_MAX_SIDE, { fit: "inside", withoutEnlargement: true })
        .webp({ quality: 85 })
        .toBuffer({ resolveWithObject: true }),
      start()
        .resize(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE, { fit: "inside", withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer({ resolveWithObject: true }),
      blurhashOf(input, options),
      attentionFocus(input, options),
    ]);
    // A generated PNG keeps the text chunks its generator wrote (the local generator's scene, read
    // back by an edit); an upload keeps nothing, and no other chunk of a generated image survives.
    if (provenance !== undefined && originalExtension === "png") {
      for (const [keyword, text] of pngTexts(input)) {
        if (keyword.startsWith("atelier:"))
          original.data = withPngText(original.data, keyword, text);
      }
    }
    const variant = (
      r: { data: Buffer; info: OutputInfo },
      extension: MediaExtension,
    ): ImageVariant => ({ bytes: r.data, extension, width: r.info.width, height: r.info.height });
    return {
      original: variant(original, originalExtension),
      display: variant(display, "webp"),
      thumbnail: variant(thumbnail, "webp"),
      blurhash,
      focus,
      inputFormat: format,
    };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw unprocessable("The image could not be processed (it may be damaged or truncated)", {
      cause: String(error),
    });
  }
}
