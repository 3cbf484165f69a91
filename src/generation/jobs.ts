// Generation jobs: a prompt is checked (quota, budget, moderation), stored as a queued job and run by a
// small in-process worker with bounded concurrency; its images become unattached media attachments
// (candidates) with provenance. Users poll or cancel; a job cut off by a stop is settled at the next start.
import { randomInt } from "node:crypto";
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import {
  type GenerationJob,
  generationCandidates,
  generationJobs,
  type MediaAttachment,
  mediaAttachments,
} from "../db/schema/index.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import { logger } from "../logging.ts";
import { DIGITAL_SOURCE_TYPE } from "../media/provenance.ts";
import type { MediaService } from "../media/service.ts";
import { sharp } from "../media/sharp.ts";
import { moderatePrompt } from "./moderation.ts";
import { type GeneratedImage, GenerationError, type ImageProvider } from "./provider.ts";
import { checkDailyQuota, checkMonthlyBudget, priceOf, recordSpending } from "./quota.ts";

const log = logger("generation", "jobs");

export const PROMPT_MAX_LENGTH = 4000;
export const NEGATIVE_PROMPT_MAX_LENGTH = 1000;
/** Models a request may name with IMAGE_PROVIDER=openai (the configured default is always allowed). */
export const KNOWN_OPENAI_MODELS = ["gpt-image-1", "gpt-image-1-mini", "dall-e-3", "dall-e-2"];
// A local job interrupted by a stop is run again at the next start, but not forever.
const MAX_LOCAL_ATTEMPTS = 3;

export interface GenerationRequestInput {
  prompt: string;
  negativePrompt?: string | undefined;
  model?: string | undefined;
  size?: string | undefined;
  quality?: string | undefined;
  background?: string | undefined;
  n?: number | undefined;
  seed?: number | undefined;
  /** Edit this image (one of the account's attachments) instead of generating from nothing. */
  sourceMediaId?: string | undefined;
  /** Set by the remix service: the status whose prompt is remixed. */
  remixOfStatusId?: string | undefined;
}

export interface JobWithCandidates {
  job: GenerationJob;
  candidates: MediaAttachment[];
}

export interface GenerationServiceOptions {
  db: Database;
  config: Config;
  provider: ImageProvider;
  media: MediaService;
}

export class GenerationService {
  readonly provider: ImageProvider;
  readonly #db: Database;
  readonly #config: Config;
  readonly #media: MediaService;
  readonly #running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  #started = false;
  #closed = false;
  #idleWaiters: (() => void)[] = [];

  constructor(options: GenerationServiceOptions) {
    this.#db = options.db;
    this.#config = options.config;
    this.provider = options.provider;
    this.#media = options.media;
  }

  /**
   * Checks and queues a generation for `accountId`. Refuses with a clear AppError: bad parameters (400),
   * a prompt refused by moderation (422, saying why), the daily quota (429) or the monthly budget (503).
   */
  async request(accountId: string, input: GenerationRequestInput): Promise<GenerationJob> {
    const prompt = input.prompt.trim();
    if (prompt === "") throw badRequest("The prompt must not be empty");
    if (prompt.length > PROMPT_MAX_LENGTH) {
      throw badRequest(`The prompt is too long: at most ${PROMPT_MAX_LENGTH} characters`);
    }
    const negativePrompt = input.negativePrompt?.trim() || undefined;
    if (negativePrompt !== undefined && negativePrompt.length > NEGATIVE_PROMPT_MAX_LENGTH) {
      throw badRequest(
        `The negative prompt is too long: at most ${NEGATIVE_PROMPT_MAX_LENGTH} characters`,
      );
    }
    const provider = this.provider;
    const model = input.model ?? provider.defaultModel;
    const allowedModels =
      provider.name === "openai"
        ? new Set([...KNOWN_OPENAI_MODELS, provider.defaultModel])
        : new Set([provider.defaultModel]);
    if (!allowedModels.has(model)) {
      throw badRequest(
        `Unknown model "${model}"; this instance offers ${[...allowedModels].join(", ")}`,
      );
    }
    const caps = provider.capabilities(model);
    const size = input.size ?? "1024x1024";
    if (!caps.sizes.includes(size))
      throw badRequest(`Size must be one of ${caps.sizes.join(", ")}`);
    const quality = input.quality ?? caps.qualities[0]!;
    if (!caps.qualities.includes(quality)) {
      throw badRequest(`Quality must be one of ${caps.qualities.join(", ")}`);
    }
    const background = input.background ?? "auto";
    if (!caps.backgrounds.includes(background)) {
      throw badRequest(`Background must be one of ${caps.backgrounds.join(", ")}`);
    }
    const n = input.n ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > caps.maxN) {
      throw badRequest(`The number of images must be between 1 and ${caps.maxN} for ${model}`);
    }
    if (
      input.seed !== undefined &&
      (!Number.isInteger(input.seed) || input.seed < 0 || input.seed > 2 ** 31 - 1)
    ) {
      throw badRequest("The seed must be a whole number between 0 and 2147483647");
    }
    const seed = caps.seeded ? (input.seed ?? randomInt(0, 2 ** 31 - 1)) : null;
    if (input.sourceMediaId !== undefined) {
      if (!caps.edit || provider.edit === undefined) {
        throw badRequest(`The model ${model} cannot edit an existing image`);
      }
      const source = this.#db
        .select()
        .from(mediaAttachments)
        .where(
          and(
            eq(mediaAttachments.id, input.sourceMediaId),
            eq(mediaAttachments.accountId, accountId),
          ),
        )
        .get();
      if (source?.originalKey == null) throw notFound("No such image of yours to edit");
    }
    const price = priceOf(this.#config.generation.prices, model, quality, size);
    checkDailyQuota(this.#db, this.#config, accountId, n);
    checkMonthlyBudget(this.#db, this.#config, price.microsPerImage * n + this.#pendingMicros());
    // Moderation before anything is paid for; a refused prompt says why and leaves no job behind.
    await moderatePrompt(this.#db, provider, prompt, negativePrompt);
    const job = this.#db.transaction((tx) => {
      // Checked again inside the write transaction: two requests racing cannot both pass the quota.
      checkDailyQuota(tx, this.#config, accountId, n);
      return tx
        .insert(generationJobs)
        .values({
          id: newId(),
          accountId,
          state: "queued",
          provider: provider.name,
          model,
          prompt,
          negativePrompt: negativePrompt ?? null,
          size,
          quality,
          background,
          n,
          seed,
          sourceMediaId: input.sourceMediaId ?? null,
          remixOfStatusId: input.remixOfStatusId ?? null,
        })
        .returning()
        .get();
    });
    log.info("Queued generation job {jobId} ({provider} {model}, {n} image(s)).", {
      jobId: job.id,
      provider: provider.name,
      model,
      n,
    });
    this.kick();
    return job;
  }

  /** What the queued and running jobs will cost once they finish (not yet in the spending record). */
  #pendingMicros(): number {
    return this.#db
      .select()
      .from(generationJobs)
      .where(inArray(generationJobs.state, ["queued", "running"]))
      .all()
      .reduce(
        (total, j) =>
          total +
          priceOf(this.#config.generation.prices, j.model, j.quality, j.size).microsPerImage * j.n,
        0,
      );
  }

  /** A job of the account with its candidate images (in order). */
  get(accountId: string, jobId: string): JobWithCandidates {
    const job = this.#db
      .select()
      .from(generationJobs)
      .where(and(eq(generationJobs.id, jobId), eq(generationJobs.accountId, accountId)))
      .get();
    if (job === undefined) throw notFound("No such generation job");
    const candidates = this.#db
      .select({ media: mediaAttachments })
      .from(generationCandidates)
      .innerJoin(mediaAttachments, eq(mediaAttachments.id, generationCandidates.mediaId))
      .where(eq(generationCandidates.jobId, jobId))
      .orderBy(asc(generationCandidates.position))
      .all()
      .map((r) => r.media);
    return { job, candidates };
  }

  /** The account's latest jobs, newest first. */
  list(accountId: string, limit = 20): GenerationJob[] {
    return this.#db
      .select()
      .from(generationJobs)
      .where(eq(generationJobs.accountId, accountId))
      .orderBy(desc(generationJobs.id))
      .limit(Math.min(Math.max(limit, 1), 100))
      .all();
  }

  /** Cancels a queued or running job (a running provider call is aborted); finished jobs are a conflict. */
  cancel(accountId: string, jobId: string): GenerationJob {
    const { job } = this.get(accountId, jobId);
    if (job.state !== "queued" && job.state !== "running") {
      throw conflict(
        `The job has already ${job.state === "cancelled" ? "been cancelled" : job.state}`,
      );
    }
    const updated = this.#db
      .update(generationJobs)
      .set({ state: "cancelled", finishedAt: new Date() })
      .where(
        and(eq(generationJobs.id, jobId), inArray(generationJobs.state, ["queued", "running"])),
      )
      .returning()
      .get();
    if (updated === undefined) return this.get(accountId, jobId).job;
    this.#running.get(jobId)?.controller.abort();
    return updated;
  }

  /**
   * Settles jobs a previous process left running, then starts the worker. A local job is run again (it is
   * free and deterministic); a paid one is marked failed rather than paid for twice.
   */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    const interrupted = this.#db
      .select()
      .from(generationJobs)
      .where(eq(generationJobs.state, "running"))
      .all();
    for (const job of interrupted) {
      if (job.provider === "local" && job.attempts < MAX_LOCAL_ATTEMPTS) {
        this.#db
          .update(generationJobs)
          .set({ state: "queued" })
          .where(eq(generationJobs.id, job.id))
          .run();
        log.info("Re-queued local job {jobId} interrupted by the last stop.", { jobId: job.id });
      } else {
        this.#fail(
          job.id,
          new GenerationError(
            "interrupted",
            job.provider === "local"
              ? "The server stopped repeatedly while making this image; try again"
              : "The server restarted while this image was being generated; it was not retried so it is not paid for twice. Try again.",
          ),
        );
      }
    }
    this.kick();
  }

  /** Starts queued jobs while there is room (no-op before start() and after close()). */
  kick(): void {
    if (!this.#started || this.#closed) return;
    while (this.#running.size < this.#config.generation.concurrency) {
      const next = this.#db
        .select()
        .from(generationJobs)
        .where(eq(generationJobs.state, "queued"))
        .orderBy(asc(generationJobs.id))
        .limit(this.#running.size + 1)
        .all()
        .find((j) => !this.#running.has(j.id));
      if (next === undefined) break;
      const claimed = this.#db
        .update(generationJobs)
        .set({ state: "running", startedAt: new Date(), attempts: next.attempts + 1 })
        .where(and(eq(generationJobs.id, next.id), eq(generationJobs.state, "queued")))
        .returning()
        .get();
      if (claimed === undefined) continue;
      const controller = new AbortController();
      const done = this.#run(claimed, controller.signal)
        .catch((error: unknown) => {
          // Only a database failure gets here (e.g. closed under a stop); the job stays for start().
          log.error("Generation job {jobId} could not be settled: {error}", {
            jobId: claimed.id,
            error,
          });
        })
        .finally(() => {
          this.#running.delete(claimed.id);
          this.kick();
          if (this.#running.size === 0) for (const w of this.#idleWaiters.splice(0)) w();
        });
      this.#running.set(claimed.id, { controller, done });
    }
    if (this.#running.size === 0) for (const w of this.#idleWaiters.splice(0)) w();
  }

  /** Resolves when no job is running (and none is left queued that the worker could start). */
  idle(): Promise<void> {
    if (this.#running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops taking jobs and waits up to `graceMs` for running ones; those still running then are aborted
   * and left "running" in the database, to be settled by the next start().
   */
  async close(graceMs = 10_000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const all = Promise.all([...this.#running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(true), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      for (const r of this.#running.values()) r.controller.abort();
      await Promise.race([all, new Promise((r) => setTimeout(r, 2000).unref())]);
    }
  }

  #fail(jobId: string, error: GenerationError): void {
    this.#db
      .update(generationJobs)
      .set({
        state: "failed",
        errorCode: error.reason,
        errorMessage: error.message,
        retryAfterSeconds: error.retryAfterSeconds ?? null,
        finishedAt: new Date(),
      })
      .where(
        and(eq(generationJobs.id, jobId), inArray(generationJobs.state, ["queued", "running"])),
      )
      .run();
  }

  async #callProvider(job: GenerationJob, signal: AbortSignal): Promise<GeneratedImage[]> {
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
    if (job.sourceMediaId === null) return this.provider.generate(request, signal);
    const source = this.#db
      .select()
      .from(mediaAttachments)
      .where(eq(mediaAttachments.id, job.sourceMediaId))
      .get();
    const stored = source?.originalKey
      ? await this.#media.store.get(source.originalKey)
      : undefined;
    if (stored === undefined || this.provider.edit === undefined) {
      throw new GenerationError("invalid_image", "The image to edit is no longer available");
    }
    const png = await sharp(stored.bytes).png().toBuffer();
    return this.provider.edit({ ...request, image: png }, signal);
  }

  async #run(job: GenerationJob, signal: AbortSignal): Promise<void> {
    if (job.provider !== this.provider.name) {
      this.#fail(
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
      images = await this.#callProvider(job, signal);
    } catch (error) {
      // Cancelled by the user (the row already says so), or cut off by a stop: left "running" for the
      // next start to settle.
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
      this.#fail(job.id, failure);
      return;
    }
    const price = priceOf(this.#config.generation.prices, job.model, job.quality, job.size);
    const media: { row: MediaAttachment; image: GeneratedImage }[] = [];
    let failure: GenerationError | undefined;
    try {
      for (const image of images.slice(0, job.n)) {
        const row = await this.#media.ingest(job.accountId, image.bytes, {
          description: job.prompt,
          provenance: {
            digitalSourceType: DIGITAL_SOURCE_TYPE.trainedAlgorithmicMedia,
            provider: job.provider,
            model: job.model,
            prompt: job.prompt,
            ...(job.negativePrompt ? { negativePrompt: job.negativePrompt } : {}),
            ...(image.revisedPrompt ? { revisedPrompt: image.revisedPrompt } : {}),
            ...(image.seed !== undefined ? { seed: image.seed } : {}),
            generationId: job.id,
          },
        });
        media.push({ row, image });
      }
    } catch (error) {
      failure = new GenerationError(
        "invalid_image",
        "The image service returned an image that could not be processed",
        { cause: error },
      );
      log.warning("Generation job {jobId}: unusable image from the provider: {error}", {
        jobId: job.id,
        error,
      });
    }
    this.#db.transaction((tx) => {
      // The provider was paid whatever happens next (cancelled, unusable image): the record says so.
      const costMicros = recordSpending(tx, {
        jobId: job.id,
        accountId: job.accountId,
        provider: job.provider,
        model: job.model,
        size: job.size,
        quality: job.quality,
        images: images.length,
        price,
      });
      const current = tx
        .select({ state: generationJobs.state })
        .from(generationJobs)
        .where(eq(generationJobs.id, job.id))
        .get();
      if (current?.state !== "running" || failure !== undefined) {
        // Cancelled meanwhile, or failed: no candidates are kept.
        if (media.length > 0)
          tx.delete(mediaAttachments)
            .where(
              inArray(
                mediaAttachments.id,
                media.map((m) => m.row.id),
              ),
            )
            .run();
        tx.update(generationJobs).set({ costMicros }).where(eq(generationJobs.id, job.id)).run();
        return;
      }
      media.forEach(({ row, image }, position) => {
        tx.insert(generationCandidates)
          .values({
            jobId: job.id,
            mediaId: row.id,
            position,
            seed: image.seed ?? null,
            revisedPrompt: image.revisedPrompt ?? null,
          })
          .run();
      });
      tx.update(generationJobs)
        .set({
          state: "succeeded",
          revisedPrompt: images.find((i) => i.revisedPrompt)?.revisedPrompt ?? null,
          costMicros,
          finishedAt: new Date(),
        })
        .where(eq(generationJobs.id, job.id))
        .run();
    });
    if (failure !== undefined) this.#fail(job.id, failure);
  }
}
