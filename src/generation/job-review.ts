// What happens to each generated image before it becomes a candidate: its alt text is drafted (the
// provider's describe, e.g. a vision model, else the prompt) and output moderation gives its verdict.
import type { Config } from "../config.ts";
import type { GenerationJob } from "../db/schema/index.ts";
import { logger } from "../logging.ts";
import { ALT_TEXT_MAX_LENGTH, type MediaService } from "../media/service.ts";
import { sharp } from "../media/sharp.ts";
import { moderateOutput } from "./output-moderation.ts";
import {
  type GeneratedImage,
  GenerationError,
  type ImageProvider,
  type ModerationVerdict,
} from "./provider.ts";

export interface ReviewDeps {
  config: Config;
  provider: ImageProvider;
  media: MediaService;
}

const log = logger("generation", "jobs");

// A slow vision model must not hold the job: past this the prompt is the draft.
const DESCRIBE_TIMEOUT_MS = 60_000;

export interface ImageReview {
  /** The drafted alt text; never empty. */
  description: string;
  /** Undefined when nothing checks generated images on this instance. */
  verdict: ModerationVerdict | undefined;
}

/**
 * Drafts the alt text of `image` and moderates it. Rejects with a GenerationError when the image cannot
 * be read ("invalid_image") or when moderation fails (the job fails rather than keep an unchecked image);
 * a failed description only falls back to the prompt.
 */
export async function reviewImage(
  deps: ReviewDeps,
  job: GenerationJob,
  image: GeneratedImage,
  signal: AbortSignal,
): Promise<ImageReview> {
  let png: Buffer;
  try {
    // Describe endpoints, the moderation endpoint and the hook all take PNG; the pixel limit is the
    // upload's, so a provider's answer cannot be a decompression bomb either.
    const decoded = sharp(image.bytes, { limitInputPixels: deps.media.limits.maxPixels, pages: 1 });
    const { format, width = 0, height = 0 } = await decoded.metadata();
    if (width * height > deps.media.limits.maxPixels)
      throw new Error("The image has too many pixels");
    // A PNG goes as it is, once sharp has read it within the limit: re-encoding would drop its text
    // chunks, where the local generator keeps the scene it describes.
    png = format === "png" ? image.bytes : await decoded.png().toBuffer();
  } catch (error) {
    throw new GenerationError(
      "invalid_image",
      "The image service returned an image that could not be processed",
      { cause: error },
    );
  }
  const [description, verdict] = await Promise.all([
    draftDescription(deps, job, png, signal),
    moderateOutput(deps.provider, deps.config.generation.outputHook, png, signal),
  ]);
  return { description, verdict };
}

async function draftDescription(
  deps: ReviewDeps,
  job: GenerationJob,
  png: Buffer,
  signal: AbortSignal,
): Promise<string> {
  const fallback = job.prompt.trim().slice(0, ALT_TEXT_MAX_LENGTH);
  if (deps.provider.describe === undefined) return fallback;
  try {
    const text = (
      await deps.provider.describe(
        png,
        job.prompt,
        AbortSignal.any([signal, AbortSignal.timeout(DESCRIBE_TIMEOUT_MS)]),
      )
    )
      .trim()
      .slice(0, ALT_TEXT_MAX_LENGTH);
    return text === "" ? fallback : text;
  } catch (error) {
    log.warning("Generation job {jobId}: no drafted description, the prompt stands in: {error}", {
      jobId: job.id,
      error: error instanceof GenerationError ? error.message : error,
    });
    return fallback;
  }
}
