// Custom emoji images (an administrator's upload, or a copy of another server's): PNG, GIF or WebP, a
// small byte cap (Mastodon's 256 KB), the pixel count checked from the header before anything is decoded,
// scaled to fit EMOJI_MAX_SIDE. An animated GIF or WebP stays animated (sharp re-encodes every frame in
// the same format); an animated PNG (APNG), which libvips reads as one frame, becomes a still PNG. Every
// emoji also gets a still PNG of its first frame, Mastodon's static_url. No metadata survives.
import type { Metadata } from "sharp";
import { AppError, unprocessable } from "../errors.ts";
import { sharp } from "./sharp.ts";
import type { MediaExtension } from "./store.ts";

/** At most this many bytes, as Mastodon's limit for local and remote custom emojis. */
export const EMOJI_MAX_BYTES = 256 * 1024;
/** Stored at most this many pixels on a side (shown at text height; twice that for dense screens). */
export const EMOJI_MAX_SIDE = 128;
// One frame larger than this is refused: a 256 KB PNG of one colour can claim 20000×20000 pixels.
const EMOJI_MAX_FRAME_PIXELS = 1024 * 1024;
// All frames together (an animation of many large frames is as costly as one huge image).
const EMOJI_MAX_TOTAL_PIXELS = 32 * 1024 * 1024;
const SHARP_TIMEOUT_SECONDS = 20;

export interface EmojiImage {
  /** Animated when the input was an animated GIF or WebP. */
  image: { bytes: Buffer; extension: MediaExtension };
  still: { bytes: Buffer; extension: MediaExtension };
  animated: boolean;
}

/** Refuses what is not a small PNG, GIF or WebP, with a clear AppError. */
async function checkEmoji(input: Uint8Array, maxPixels: number): Promise<Metadata> {
  if (input.byteLength === 0) throw unprocessable("The emoji image is empty");
  if (input.byteLength > EMOJI_MAX_BYTES) {
    throw new AppError(
      "payload_too_large",
      `The emoji image is too large: at most ${EMOJI_MAX_BYTES / 1024} KB`,
    );
  }
  let meta: Metadata;
  try {
    meta = await sharp(input, { animated: true, limitInputPixels: false }).metadata();
  } catch (error) {
    throw unprocessable("The emoji is not a readable image (PNG, GIF or WebP)", {
      cause: String(error),
    });
  }
  if (meta.format !== "png" && meta.format !== "gif" && meta.format !== "webp") {
    throw unprocessable(
      `Unsupported emoji image type${meta.format ? ` (${meta.format})` : ""}: use PNG, GIF or WebP`,
    );
  }
  const frame = (meta.width ?? 0) * (meta.pageHeight ?? meta.height ?? 0);
  const total = frame * (meta.pages ?? 1);
  if (frame === 0) throw unprocessable("The emoji image has no pixels");
  if (frame > Math.min(EMOJI_MAX_FRAME_PIXELS, maxPixels) || total > EMOJI_MAX_TOTAL_PIXELS) {
    throw unprocessable(
      `The emoji image is too large: ${meta.width}×${meta.pageHeight ?? meta.height} pixels${
        (meta.pages ?? 1) > 1 ? ` in ${meta.pages} frames` : ""
      }, at most ${EMOJI_MAX_FRAME_PIXELS.toLocaleString("en")} pixels a frame`,
    );
  }
  return meta;
}

/** The stored files of a custom emoji, from untrusted bytes. */
export async function processEmoji(input: Uint8Array, maxPixels: number): Promise<EmojiImage> {
  const meta = await checkEmoji(input, maxPixels);
  const animated = (meta.pages ?? 1) > 1 && (meta.format === "gif" || meta.format === "webp");
  const fit = { fit: "inside", withoutEnlargement: true } as const;
  try {
    const still = await sharp(input, { pages: 1, failOn: "error" })
      .timeout({ seconds: SHARP_TIMEOUT_SECONDS })
      .resize(EMOJI_MAX_SIDE, EMOJI_MAX_SIDE, fit)
      .png({ compressionLevel: 9 })
      .toBuffer();
    if (!animated) {
      return {
        image: { bytes: still, extension: "png" },
        still: { bytes: still, extension: "png" },
        animated,
      };
    }
    const moving = sharp(input, { animated: true, failOn: "error" })
      .timeout({ seconds: SHARP_TIMEOUT_SECONDS })
      .resize(EMOJI_MAX_SIDE, EMOJI_MAX_SIDE, fit);
    const bytes = await (meta.format === "gif"
      ? moving.gif()
      : moving.webp({ quality: 90 })
    ).toBuffer();
    return {
      image: { bytes, extension: meta.format === "gif" ? "gif" : "webp" },
      still: { bytes: still, extension: "png" },
      animated,
    };
  } catch (error) {
    throw unprocessable("The emoji image could not be processed (it may be damaged)", {
      cause: String(error),
    });
  }
}
