// Studio sessions: a thread of generation steps, each working on its parent's image. This file holds the
// rules of a step — whose images may be refined, what kind of step a request is, the mask it may carry,
// how long a chain may grow — and the lineage a finished image carries in its provenance.
import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { finishPage, type PageParams, pageConditions, pageOrder } from "../db/queries/page.ts";
import {
  type GenerationJob,
  type GenerationKind,
  generationCandidates,
  generationJobs,
  type LineageStep,
  mediaAttachments,
} from "../db/schema/index.ts";
import { badRequest, notFound } from "../errors.ts";
import { isPng } from "../media/png-text.ts";
import { sharp } from "../media/sharp.ts";
import type { MediaStore } from "../media/store.ts";
import { checkMaskRegion, type MaskRegion, regionMaskPng } from "./mask-region.ts";

export const GENERATION_KINDS: readonly GenerationKind[] = [
  "generate",
  "refine",
  "vary",
  "inpaint",
  "resize",
];
/** Steps after a session's first: a chain is refined a few dozen times, never without end. */
export const STUDIO_MAX_DEPTH = 24;
/** OpenAI's limit for an edit's mask, and plenty for a PNG that is mostly one alpha value. */
export const MASK_MAX_BYTES = 4 * 1024 * 1024;
/** What a reframing step asks of the provider when the user gives no instruction. */
export const REFRAME_INSTRUCTION = "the same picture, reframed";

export interface StudioStepInput {
  /** The generation (its first image) or the media attachment this step works on. */
  parentId?: string | undefined;
  /** PNG whose transparent pixels mark the region to change; the size of the parent image. */
  mask?: Uint8Array | undefined;
  /** Instead of a mask: the rectangle to change, in percent of the parent image. */
  maskRegion?: MaskRegion | undefined;
  kind?: GenerationKind | undefined;
  /** The user's prompt (trimmed; "" when none was given). */
  prompt: string;
  /** The size the user asked for, if any. */
  size?: string | undefined;
}

export interface StudioStep {
  kind: GenerationKind;
  parentId: string | null;
  /** Null: the step starts its own session (its id becomes the session's). */
  sessionId: string | null;
  depth: number;
  sourceMediaId: string | null;
  maskPng: string | null;
  /** The prompt to store: the user's, or the one the kind of step inherits. */
  prompt: string;
  /** The size to use when the user gave none (the parent image's, for edits). */
  size: string | undefined;
}

/**
 * Resolves what a request builds on. Only the account's own generations and images can be parents
 * (anyone else's, or one without a kept original, is 404); the chain is bounded; a mask must be a PNG
 * the size of the parent image. Throws 400 for a step that does not make sense (a mask without a
 * parent, a reframe to the same size, a variation of an image with no prompt).
 */
export async function resolveStudioStep(
  db: DatabaseLike,
  accountId: string,
  input: StudioStepInput,
): Promise<StudioStep> {
  if (input.mask !== undefined && input.maskRegion !== undefined) {
    throw badRequest("Give either a mask or a region to change, not both");
  }
  if (input.maskRegion !== undefined) checkMaskRegion(input.maskRegion);
  const masked = input.mask !== undefined || input.maskRegion !== undefined;
  if (input.parentId === undefined) {
    if (masked) throw badRequest("A mask needs a parent_id: the image it masks");
    if (input.kind !== undefined && input.kind !== "generate") {
      throw badRequest(`A ${input.kind} step needs a parent_id: the image it works on`);
    }
    return {
      kind: "generate",
      parentId: null,
      sessionId: null,
      depth: 0,
      sourceMediaId: null,
      maskPng: null,
      prompt: input.prompt,
      size: input.size,
    };
  }
  const { job: parentJob, media } = await findParent(db, accountId, input.parentId);
  const depth = parentJob === undefined ? 0 : parentJob.depth + 1;
  if (depth > STUDIO_MAX_DEPTH) {
    throw badRequest(
      `This session is ${STUDIO_MAX_DEPTH} steps deep; start a new one from its latest image`,
    );
  }
  const parentSize =
    media.width !== null && media.height !== null ? `${media.width}x${media.height}` : undefined;
  const kind =
    input.kind ??
    (masked
      ? "inpaint"
      : input.prompt !== ""
        ? "refine"
        : input.size !== undefined && input.size !== parentSize
          ? "resize"
          : "vary");
  if (kind === "generate") throw badRequest("A step with a parent_id cannot be a plain generate");
  if ((kind === "inpaint") !== masked) {
    throw badRequest(
      kind === "inpaint" ? "An inpaint step needs a mask" : "Only an inpaint step takes a mask",
    );
  }
  let prompt = input.prompt;
  if (kind === "vary" && prompt === "") prompt = await scenePromptOf(db, parentJob);
  if (kind === "resize") {
    if (input.size === undefined || input.size === parentSize) {
      throw badRequest("A resize step needs a size other than the image's own");
    }
    if (prompt === "") prompt = REFRAME_INSTRUCTION;
  }
  if (prompt === "") {
    throw badRequest(
      kind === "vary"
        ? "This image has no prompt to vary; give one"
        : `A ${kind} step needs an instruction (prompt)`,
    );
  }
  return {
    kind,
    parentId: parentJob?.id ?? null,
    sessionId: parentJob === undefined ? null : (parentJob.sessionId ?? parentJob.id),
    depth,
    sourceMediaId: media.id,
    maskPng: masked ? await checkMask(await maskBytes(input, media), media) : null,
    prompt,
    // A refinement keeps the size of what it refines unless told otherwise.
    size: input.size ?? (kind === "vary" ? undefined : parentSize),
  };
}

interface ParentImage {
  id: string;
  width: number | null;
  height: number | null;
}

/** The parent as a generation of the account (its first image) or an image of the account. */
async function findParent(
  db: DatabaseLike,
  accountId: string,
  parentId: string,
): Promise<{ job: GenerationJob | undefined; media: ParentImage }> {
  const missing = () => notFound("No such generation or image of yours to work on");
  if (!/^\d{1,30}$/.test(parentId)) throw missing();
  const job = (
    await db
      .select()
      .from(generationJobs)
      .where(and(eq(generationJobs.id, parentId), eq(generationJobs.accountId, accountId)))
      .limit(1)
  )[0];
  const image = {
    id: mediaAttachments.id,
    width: mediaAttachments.width,
    height: mediaAttachments.height,
    originalKey: mediaAttachments.originalKey,
  };
  if (job !== undefined) {
    const first = (
      await db
        .select(image)
        .from(generationCandidates)
        .innerJoin(mediaAttachments, eq(mediaAttachments.id, generationCandidates.mediaId))
        .where(eq(generationCandidates.jobId, job.id))
        .orderBy(asc(generationCandidates.position))
        .limit(1)
    )[0];
    if (first?.originalKey == null) {
      throw badRequest("That generation has no image to work on (yet)");
    }
    return { job, media: first };
  }
  const media = (
    await db
      .select(image)
      .from(mediaAttachments)
      .where(and(eq(mediaAttachments.id, parentId), eq(mediaAttachments.accountId, accountId)))
      .limit(1)
  )[0];
  // Only an image whose original is kept can be worked on (a remote attachment has none).
  if (media?.originalKey == null) throw missing();
  // A candidate of one of the account's generations continues that generation's session.
  const madeBy = (
    await db
      .select({ job: generationJobs })
      .from(generationCandidates)
      .innerJoin(generationJobs, eq(generationJobs.id, generationCandidates.jobId))
      .where(
        and(eq(generationCandidates.mediaId, media.id), eq(generationJobs.accountId, accountId)),
      )
      .limit(1)
  )[0];
  return { job: madeBy?.job, media };
}

/**
 * What a variation redraws: the prompt of the nearest step that drew from a prompt (a generation or an
 * earlier variation), not an edit's instruction ("warmer" says nothing about the picture).
 */
async function scenePromptOf(db: DatabaseLike, job: GenerationJob | undefined): Promise<string> {
  let step = job;
  for (let i = 0; step !== undefined && i <= STUDIO_MAX_DEPTH; i++) {
    if (step.kind === "generate" || step.kind === "vary") return step.prompt;
    if (step.parentId === null) return "";
    step = await jobById(db, step.parentId);
  }
  return "";
}

async function jobById(db: DatabaseLike, id: string): Promise<GenerationJob | undefined> {
  return (await db.select().from(generationJobs).where(eq(generationJobs.id, id)).limit(1))[0];
}

/** The mask as sent, or the one its region makes at the parent image's size. */
async function maskBytes(input: StudioStepInput, media: ParentImage): Promise<Uint8Array> {
  if (input.mask !== undefined) return input.mask;
  if (media.width === null || media.height === null) {
    throw badRequest("That image's size is unknown, so a region cannot be marked on it");
  }
  return await regionMaskPng(input.maskRegion!, media.width, media.height);
}

/** A mask must be a PNG with an alpha channel, the size of the image it masks; kept as base64. */
async function checkMask(mask: Uint8Array, media: ParentImage): Promise<string> {
  if (mask.byteLength > MASK_MAX_BYTES) {
    throw badRequest(`The mask is too large: at most ${MASK_MAX_BYTES} bytes`);
  }
  if (!isPng(mask)) throw badRequest("The mask must be a PNG image");
  let meta: { width?: number | undefined; height?: number | undefined; hasAlpha?: boolean };
  try {
    meta = await sharp(mask).metadata();
  } catch {
    throw badRequest("The mask could not be read as a PNG image");
  }
  if (meta.hasAlpha !== true) {
    throw badRequest("The mask needs an alpha channel: its transparent pixels mark what to change");
  }
  if (meta.width !== media.width || meta.height !== media.height) {
    throw badRequest(
      `The mask must be the size of the image it masks (${media.width}x${media.height})`,
    );
  }
  return Buffer.from(mask).toString("base64");
}

/**
 * The chain of steps that led to `job`, its session's first step first and `job` last (at most
 * STUDIO_MAX_DEPTH + 1 steps). Steps deleted since are left out; a one-step chain is no lineage.
 */
export async function lineageOf(db: DatabaseLike, job: GenerationJob): Promise<LineageStep[]> {
  const chain: GenerationJob[] = [job];
  let parentId = job.parentId;
  while (parentId !== null && chain.length <= STUDIO_MAX_DEPTH) {
    const parent = await jobById(db, parentId);
    if (parent === undefined || parent.accountId !== job.accountId) break;
    chain.unshift(parent);
    parentId = parent.parentId;
  }
  if (chain.length < 2) return [];
  return chain.map((step) => ({
    id: step.id,
    ...(step.parentId !== null ? { parentId: step.parentId } : {}),
    kind: step.kind,
    prompt: step.prompt,
    model: step.model,
    provider: step.provider,
  }));
}

/** A job's session: the id of its first step (a job made before sessions existed is a session of one). */
const sessionOfJob = sql`coalesce(${generationJobs.sessionId}, ${generationJobs.id})`;

/** The steps of a session of the account, in the order they were made; 404 when it has none. */
export async function sessionSteps(
  db: DatabaseLike,
  accountId: string,
  sessionId: string,
): Promise<GenerationJob[]> {
  if (!/^\d{1,30}$/.test(sessionId)) throw notFound("No such studio session");
  const steps = await db
    .select()
    .from(generationJobs)
    .where(
      and(
        eq(generationJobs.accountId, accountId),
        or(
          eq(generationJobs.sessionId, sessionId),
          and(isNull(generationJobs.sessionId), eq(generationJobs.id, sessionId)),
        ),
      ),
    )
    .orderBy(asc(generationJobs.id))
    .limit(STUDIO_MAX_DEPTH * 8);
  if (steps.length === 0) throw notFound("No such studio session");
  return steps;
}

/**
 * A page of the account's sessions, newest first, each as its first step (whose id names the session);
 * paged by that id like Mastodon's max_id / since_id / min_id.
 */
export async function listSessions(
  db: DatabaseLike,
  accountId: string,
  page: PageParams,
): Promise<GenerationJob[]> {
  const rows = await db
    .select()
    .from(generationJobs)
    .where(
      and(
        eq(generationJobs.accountId, accountId),
        sql`${sessionOfJob} = ${generationJobs.id}`,
        ...pageConditions(generationJobs.id, page),
      ),
    )
    .orderBy(pageOrder(generationJobs.id, page))
    .limit(Math.min(Math.max(page.limit, 1), 100));
  return finishPage(rows, page);
}

/** The mask of a job as bytes, for the provider (undefined when it has none). */
export function maskOf(job: Pick<GenerationJob, "maskPng">): Buffer | undefined {
  return job.maskPng === null ? undefined : Buffer.from(job.maskPng, "base64");
}

/** Reads the stored original of `mediaId` (the image a step works on). */
export async function sourceImageOf(
  db: DatabaseLike,
  store: MediaStore,
  mediaId: string,
): Promise<Uint8Array | undefined> {
  const source = (
    await db
      .select({ originalKey: mediaAttachments.originalKey })
      .from(mediaAttachments)
      .where(inArray(mediaAttachments.id, [mediaId]))
      .limit(1)
  )[0];
  if (source?.originalKey == null) return undefined;
  return (await store.get(source.originalKey))?.bytes;
}
