// Atelier's extension of the client API: AI image generation. POST /api/v1/atelier/generations queues a
// job (prompt, options, or a remix of a status's prompt); GET polls it, and its candidates are ordinary
// MediaAttachments whose ids go into POST /api/v1/statuses `media_ids`. Refusals come back as Mastodon
// errors: 422 with the reason (bad options, a refused prompt), 429 with Retry-After (daily quota), 503
// (instance budget spent). A studio step names its `parent_id` (a generation or image of the caller's) and,
// to inpaint, a `mask`; GET /sessions/:id lists a session's steps, GET / ("my creations") pages by prompt.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { GenerationJob, GenerationKind, MediaAttachment } from "../../db/schema/index.ts";
import { startRemix } from "../../domain/remix.ts";
import { AppError } from "../../errors.ts";
import type { CandidateVerdict } from "../../generation/job-store.ts";
import { GenerationError } from "../../generation/provider.ts";
import { startOfUtcDay } from "../../generation/quota.ts";
import { GENERATION_KINDS, MASK_MAX_BYTES } from "../../generation/studio.ts";
import { parseParams } from "../http.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { readPage, setLinkHeader } from "../pagination.ts";
import { serializeContext } from "../render.ts";
import type { SerializeContext } from "../serializers/context.ts";
import { toApiMediaAttachment } from "../serializers/media.ts";
import type { ApiDeps, ApiEnv, ApiMediaAttachment } from "../types.ts";

/** The Generation entity (Atelier's own; snake_case like Mastodon's). */
export interface ApiGeneration {
  id: string;
  state: GenerationJob["state"];
  prompt: string;
  negative_prompt: string | null;
  revised_prompt: string | null;
  provider: string;
  model: string;
  size: string;
  quality: string;
  n: number;
  seed: number | null;
  remix_of_status_id: string | null;
  /** The studio step: what it does, what it works on, the session it belongs to. */
  kind: GenerationJob["kind"];
  parent_id: string | null;
  session_id: string;
  source_media_id: string | null;
  has_mask: boolean;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: { code: string; message: string; retry_after: number | null } | null;
  candidates: ApiMediaAttachment[];
  /**
   * Output moderation of each candidate, in the same order: a flagged one is refused or posted sensitive
   * by the instance's policy (GENERATION_OUTPUT_POLICY).
   */
  moderation: { media_id: string; flagged: boolean; categories: string[] }[];
}

export function toApiGeneration(
  job: GenerationJob,
  candidates: MediaAttachment[],
  verdicts: CandidateVerdict[],
  ctx: SerializeContext,
): ApiGeneration {
  return {
    id: job.id,
    state: job.state,
    prompt: job.prompt,
    negative_prompt: job.negativePrompt,
    revised_prompt: job.revisedPrompt,
    provider: job.provider,
    model: job.model,
    size: job.size,
    quality: job.quality,
    n: job.n,
    seed: job.seed,
    remix_of_status_id: job.remixOfStatusId,
    kind: job.kind,
    parent_id: job.parentId,
    // Jobs older than sessions are each a session of one step.
    session_id: job.sessionId ?? job.id,
    source_media_id: job.sourceMediaId,
    // The mask itself is dropped once the job has finished; an inpaint step always had one.
    has_mask: job.kind === "inpaint" || job.maskPng !== null,
    created_at: job.createdAt.toISOString(),
    started_at: job.startedAt?.toISOString() ?? null,
    finished_at: job.finishedAt?.toISOString() ?? null,
    error:
      job.errorCode === null
        ? null
        : {
            code: job.errorCode,
            message: job.errorMessage ?? job.errorCode,
            retry_after: job.retryAfterSeconds,
          },
    candidates: candidates.map((m) => toApiMediaAttachment(m, ctx)),
    moderation: verdicts.map((v) => ({
      media_id: v.mediaId,
      flagged: v.flagged,
      categories: v.categories,
    })),
  };
}

const intParam = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

const createParams = z.object({
  prompt: z.string().optional(),
  negative_prompt: z.string().optional(),
  size: z.string().optional(),
  model: z.string().optional(),
  quality: z.string().optional(),
  background: z.string().optional(),
  n: intParam.optional(),
  seed: intParam.optional(),
  remix_of_status_id: z.union([z.string(), z.number().transform(String)]).optional(),
  parent_id: z.union([z.string(), z.number().transform(String)]).optional(),
  kind: z.enum(GENERATION_KINDS as [GenerationKind, ...GenerationKind[]]).optional(),
  /** Base64 (or a data: URL) in a JSON or form body; a multipart body may send a file instead. */
  mask: z
    .string()
    .max(Math.ceil((MASK_MAX_BYTES * 4) / 3) + 64, "is too large")
    .optional(),
});

/** The mask as bytes: a multipart file, else base64 text (400 when it is not base64). */
async function readMask(c: Context, text: string | undefined): Promise<Uint8Array | undefined> {
  const file = await readMaskFile(c);
  if (file !== undefined) return file;
  if (text === undefined || text === "") return undefined;
  const base64 = text.replace(/^data:image\/png;base64,/, "").replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
    throw new AppError("unprocessable", "Validation failed: mask must be a PNG, base64-encoded");
  }
  return Buffer.from(base64, "base64");
}

async function readMaskFile(c: Context): Promise<Uint8Array | undefined> {
  const type = c.req.header("content-type") ?? "";
  if (!type.includes("multipart/form-data")) return undefined;
  const value = (await c.req.formData()).get("mask");
  if (value === null || typeof value === "string" || value.size === 0) return undefined;
  if (value.size > MASK_MAX_BYTES) {
    throw new AppError(
      "payload_too_large",
      `The mask is too large: at most ${MASK_MAX_BYTES} bytes`,
    );
  }
  return new Uint8Array(await value.arrayBuffer());
}

/**
 * Maps the generation service's refusals to what Mastodon clients expect: 400s become 422 (Mastodon's
 * "validation failed"), and the daily quota's 429 says when to retry (the next UTC midnight).
 */
function asApiError(c: Context, error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  if (error.code === "bad_request") {
    return new AppError("unprocessable", error.message, { cause: error });
  }
  if (error.code === "rate_limited") {
    const retryAfter =
      error instanceof GenerationError && error.retryAfterSeconds !== undefined
        ? error.retryAfterSeconds
        : Math.ceil((startOfUtcDay(new Date()).getTime() + 86_400_000 - Date.now()) / 1000);
    c.header("Retry-After", String(Math.max(1, retryAfter)));
  }
  return error;
}

export function generationsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const ctx = serializeContext(deps);

  app.post("/", requireScope("write:media"), async (c) => {
    const viewer = viewerId(c);
    const p = await parseParams(c, createParams);
    const options = {
      negativePrompt: p.negative_prompt,
      size: p.size,
      model: p.model,
      quality: p.quality,
      background: p.background,
      n: p.n,
      seed: p.seed,
      parentId: p.parent_id,
      kind: p.kind,
      mask: await readMask(c, p.mask),
    };
    let job: GenerationJob;
    try {
      if (p.remix_of_status_id !== undefined) {
        job = await startRemix(deps, viewer, p.remix_of_status_id, {
          ...options,
          ...(p.prompt !== undefined ? { prompt: p.prompt } : {}),
        });
      } else {
        job = await deps.generation.request(viewer, { ...options, prompt: p.prompt ?? "" });
      }
    } catch (error) {
      throw asApiError(c, error);
    }
    return c.json(toApiGeneration(job, [], [], ctx), 202);
  });

  app.get("/", requireScope("read:statuses"), async (c) => {
    const viewer = viewerId(c);
    const page = readPage(c, 20, 100);
    const jobs = await deps.generation.list(viewer, page, c.req.query("q"));
    const entities = [];
    for (const job of jobs) {
      const { candidates, verdicts } = await deps.generation.get(viewer, job.id);
      entities.push(toApiGeneration(job, candidates, verdicts, ctx));
    }
    setLinkHeader(
      c,
      deps.config.origin,
      jobs.map((j) => j.id),
      page.limit,
    );
    return c.json(entities);
  });

  // A studio session: its steps in the order they were made (each names its parent).
  app.get("/sessions/:id", requireScope("read:statuses"), async (c) => {
    const steps = await deps.generation.session(viewerId(c), c.req.param("id"));
    return c.json({
      id: c.req.param("id"),
      steps: steps.map((s) => toApiGeneration(s.job, s.candidates, s.verdicts, ctx)),
    });
  });

  app.get("/:id", requireScope("read:statuses"), async (c) => {
    const { job, candidates, verdicts } = await deps.generation.get(viewerId(c), c.req.param("id"));
    return c.json(toApiGeneration(job, candidates, verdicts, ctx));
  });

  app.post("/:id/cancel", requireScope("write:media"), async (c) => {
    const viewer = viewerId(c);
    const job = await deps.generation.cancel(viewer, c.req.param("id"));
    const { candidates, verdicts } = await deps.generation.get(viewer, job.id);
    return c.json(toApiGeneration(job, candidates, verdicts, ctx));
  });

  return app;
}
