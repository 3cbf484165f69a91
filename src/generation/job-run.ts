// One claimed job, run to the end: the provider is called (generate, or edit the source image), each
// image gets its drafted alt text and output moderation verdict (job-review.ts), the images are stored as
// media attachments with provenance, and the job is settled in one transaction with its spending record.
import { eq, inArray } from "drizzle-orm";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import {
  type GenerationJob,
  generationCandidates,
  generationJobs,
  type LineageStep,
  type MediaAttachment,
  mediaAttachments,
} from "../db/schema/index.ts";
import { logger } from "../logging.ts";
import { isPng } from "../media/png-text.ts";
import { DIGITAL_SOURCE_TYPE } from "../media/provenance.ts";
import type { MediaService } from "../media/service.ts";
import { sharp } from "../media/sharp.ts";
import { reviewImage } from "./job-review.ts";
import { MASK_DROPPED, markJobFailed } from "./job-store.ts";
import {
  type GeneratedImage,
  GenerationError,
  type ImageProvider,
  type ModerationVerdict,
  parseSize,
} from "./provider.ts";
import { priceOf, recordSpending } from "./quota.ts";
import { lineageOf, maskOf, sourceImageOf } from "./studio.ts";

const log = logger("generation", "jobs");

export interface JobRunDeps {
  db: Database;
  config: Config;
  provider: ImageProvider;
  media: MediaService;
}

interface IngestedImage {
  row: MediaAttachment;
  image: GeneratedImage;
  verdict: ModerationVerdict | undefined;
}

/**
 * Runs a job the worker has claimed. Provider failures settle the job as failed; an abort (a local job
 * cancelled, or the process stopping) returns without touching the row. A paid job cancelled meanwhile
 * is not aborted (see GenerationService.cancel): its answer is settled as cancelled, with its spending.
 * Only a database failure rejects.
 */
export async function runJob(
  deps: JobRunDeps,
  job: GenerationJob,
  signal: AbortSignal,
): Promise<void> {
  if (job.provider !== deps.provider.name) {
    await markJobFailed(
      deps.db,
      job.id,
      new GenerationError(
        "provider_error",
        `This instance no longer uses the ${job.provider} image service; try again`,
      ),
    );
    return;
  }
  let images: GeneratedImage[];
  try {
    images = await callProvider(deps, job, signal);
  } catch (error) {
    // A local job cancelled by the user (the row already says so), or cut off by a stop: left
    // "running" for the next start to settle.
    if (signal.aborted) return;
    const failure =
      error instanceof GenerationError
        ? error
        : new GenerationError("internal", "The generation failed unexpectedly", { cause: error });
    if (failure.reason === "internal")
      log.error("Generation job {jobId} failed: {error}", { jobId: job.id, error });
    else
      log.info("Generation job {jobId} failed: {reason}.", {
        jobId: job.id,
        reason: failure.reason,
      });
    await markJobFailed(deps.db, job.id, failure);
    return;
  }
  const ingested: IngestedImage[] = [];
  let failure: GenerationError | undefined;
  const lineage = await lineageOf(deps.db, job);
  try {
    for (const image of images.slice(0, job.n)) {
      const { description, verdict } = await reviewImage(deps, job, image, signal);
      ingested.push({
        row: await ingestImage(deps.media, job, image, description, lineage),
        image,
        verdict,
      });
    }
  } catch (error) {
    // A failed moderation check says so; anything else here is an image that could not be stored.
    failure =
      error instanceof GenerationError
        ? error
        : new GenerationError(
            "invalid_image",
            "The image service returned an image that could not be processed",
            { cause: error },
          );
    log.warning("Generation job {jobId}: images not kept: {error}", {
      jobId: job.id,
      error: failure.reason === "invalid_image" ? error : failure.message,
    });
  }
  await settleJob(deps, job, images, ingested, failure);
  if (failure !== undefined) await markJobFailed(deps.db, job.id, failure);
}

async function callProvider(
  deps: JobRunDeps,
  job: GenerationJob,
  signal: AbortSignal,
): Promise<GeneratedImage[]> {
  const { provider } = deps;
  const request = {
    prompt: job.prompt,
    negativePrompt: job.negativePrompt ?? undefined,
    model: job.model,
    size: job.size,
    quality: job.quality,
    background: job.background,
    n: job.n,
    seed: job.seed ?? undefined,
  };
  // A variation draws its prompt anew (with another seed); the other steps edit the parent's image.
  if (job.sourceMediaId === null || job.kind === "vary") return provider.generate(request, signal);
  const stored = await sourceImageOf(deps.db, deps.media.store, job.sourceMediaId);
  if (stored === undefined || provider.edit === undefined) {
    throw new GenerationError("invalid_image", "The image to edit is no longer available");
  }
  // EditRequest takes PNG (what image edit endpoints accept); the stored original may be another format.
  // A PNG goes as stored: re-encoding would drop the text chunk where the local generator keeps its scene.
  const png = isPng(stored) ? Buffer.from(stored) : await sharp(stored).png().toBuffer();
  const images = await provider.edit({ ...request, image: png, mask: maskOf(job) }, signal);
  return job.kind === "resize" ? await Promise.all(images.map((i) => fitted(i, job.size))) : images;
}

/**
 * A reframed image at exactly the size asked for: a provider that kept the old frame (or an upload's
 * pixel edit) is cropped to it around what draws the eye.
 */
async function fitted(image: GeneratedImage, size: string): Promise<GeneratedImage> {
  const target = parseSize(size);
  if (target === undefined) return image;
  const meta = await sharp(image.bytes).metadata();
  if (meta.width === target.width && meta.height === target.height) return image;
  const bytes = await sharp(image.bytes)
    .resize(target.width, target.height, { fit: "cover", position: "attention" })
    .png()
    .toBuffer();
  return { ...image, bytes };
}

/** Stores one generated image as an unattached media attachment carrying its provenance. */
function ingestImage(
  media: MediaService,
  job: GenerationJob,
  image: GeneratedImage,
  description: string,
  lineage: LineageStep[],
): Promise<MediaAttachment> {
  return media.ingest(job.accountId, image.bytes, {
    description,
    provenance: {
      digitalSourceType: DIGITAL_SOURCE_TYPE.trainedAlgorithmicMedia,
      provider: job.provider,
      model: job.model,
      prompt: job.prompt,
      ...(job.negativePrompt ? { negativePrompt: job.negativePrompt } : {}),
      ...(image.revisedPrompt ? { revisedPrompt: image.revisedPrompt } : {}),
      ...(image.seed !== undefined ? { seed: image.seed } : {}),
      generationId: job.id,
      ...(lineage.length > 0 ? { lineage } : {}),
    },
  });
}

/**
 * Records what the provider call cost and, unless the job was cancelled meanwhile or `failure` is set,
 * keeps the images as its candidates and marks it succeeded; otherwise the stored images are removed.
 */
async function settleJob(
  deps: JobRunDeps,
  job: GenerationJob,
  images: GeneratedImage[],
  ingested: IngestedImage[],
  failure: GenerationError | undefined,
): Promise<void> {
  const price = priceOf(deps.config.generation.prices, job.model, job.quality, job.size);
  await deps.db.transaction(async (tx) => {
    // The provider was paid whatever happens next (cancelled, unusable image): the record says so.
    const costMicros = await recordSpending(tx, {
      jobId: job.id,
      accountId: job.accountId,
      provider: job.provider,
      model: job.model,
      size: job.size,
      quality: job.quality,
      images: images.length,
      price,
    });
    const current = (
      await tx
        .select({ state: generationJobs.state, claimedBy: generationJobs.claimedBy })
        .from(generationJobs)
        .where(eq(generationJobs.id, job.id))
        .limit(1)
    )[0];
    // Cancelled meanwhile, or failed, or taken over by another worker after this one's lease ran out
    // (it settles the job): no candidates are kept.
    if (
      current?.state !== "running" ||
      current.claimedBy !== job.claimedBy ||
      failure !== undefined
    ) {
      if (ingested.length > 0)
        await tx.delete(mediaAttachments).where(
          inArray(
            mediaAttachments.id,
            ingested.map((m) => m.row.id),
          ),
        );
      await tx.update(generationJobs).set({ costMicros }).where(eq(generationJobs.id, job.id));
      return;
    }
    for (const [position, { row, image, verdict }] of ingested.entries()) {
      await tx.insert(generationCandidates).values({
        jobId: job.id,
        mediaId: row.id,
        position,
        seed: image.seed ?? null,
        revisedPrompt: image.revisedPrompt ?? null,
        flagged: verdict?.flagged ?? false,
        flaggedCategories: verdict?.flagged ? verdict.categories : [],
      });
    }
    await tx
      .update(generationJobs)
      .set({
        state: "succeeded",
        revisedPrompt: images.find((i) => i.revisedPrompt)?.revisedPrompt ?? null,
        costMicros,
        finishedAt: new Date(),
        ...MASK_DROPPED,
      })
      .where(eq(generationJobs.id, job.id));
  });
}
