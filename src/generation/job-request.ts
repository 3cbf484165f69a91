// What a generation request may ask for: its limits, and the checks that turn what the user sent into the
// parameters of a job (or a 400/404 saying what is wrong) before any quota, budget or moderation is asked.
import { randomInt } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { type GenerationKind, mediaAttachments } from "../db/schema/index.ts";
import { badRequest, notFound } from "../errors.ts";
import type { MaskRegion } from "./mask-region.ts";
import type { ImageProvider } from "./provider.ts";
import { resolveStudioStep } from "./studio.ts";

export const PROMPT_MAX_LENGTH = 4000;
export const NEGATIVE_PROMPT_MAX_LENGTH = 1000;
/** Models a request may name with IMAGE_PROVIDER=openai (the configured default is always allowed). */
export const KNOWN_OPENAI_MODELS = ["gpt-image-1", "gpt-image-1-mini", "dall-e-3", "dall-e-2"];
const SEED_MAX = 2 ** 31 - 1;

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
  /** A studio step: the generation or image of the account it works on (see studio.ts). */
  parentId?: string | undefined;
  /** An inpainting mask (PNG, the parent's size; transparent where the image may change). */
  mask?: Uint8Array | undefined;
  /** Instead of a mask: the rectangle to change, in percent of the parent image (the studio's form). */
  maskRegion?: MaskRegion | undefined;
  /** The kind of studio step; derived from the other parameters when absent. */
  kind?: GenerationKind | undefined;
}

/** A request once checked: every default filled in, ready to be stored as a queued job. */
export interface JobParameters {
  prompt: string;
  negativePrompt: string | null;
  model: string;
  size: string;
  quality: string;
  background: string;
  n: number;
  /** Null when the model takes no seed. */
  seed: number | null;
  sourceMediaId: string | null;
  remixOfStatusId: string | null;
  kind: GenerationKind;
  parentId: string | null;
  /** Null: the job starts a session of its own. */
  sessionId: string | null;
  depth: number;
  maskPng: string | null;
}

/**
 * Checks a request against what `provider` offers and fills in the defaults. Throws 400 for parameters
 * the model does not take, 404 when the image to edit is not one of the account's.
 */
export async function checkGenerationRequest(
  db: DatabaseLike,
  provider: ImageProvider,
  accountId: string,
  input: GenerationRequestInput,
): Promise<JobParameters> {
  if (input.parentId !== undefined && input.sourceMediaId !== undefined) {
    throw badRequest("Give either a parent_id or an image to edit, not both");
  }
  const step = await resolveStudioStep(db, accountId, {
    parentId: input.parentId,
    mask: input.mask,
    maskRegion: input.maskRegion,
    kind: input.kind,
    prompt: input.prompt.trim(),
    size: input.size,
  });
  const prompt = step.prompt;
  if (prompt === "") throw badRequest("The prompt must not be empty");
  if (prompt.length > PROMPT_MAX_LENGTH) {
    throw badRequest(`The prompt is too long: at most ${PROMPT_MAX_LENGTH} characters`);
  }
  const negativePrompt = input.negativePrompt?.trim() || null;
  if (negativePrompt !== null && negativePrompt.length > NEGATIVE_PROMPT_MAX_LENGTH) {
    throw badRequest(
      `The negative prompt is too long: at most ${NEGATIVE_PROMPT_MAX_LENGTH} characters`,
    );
  }
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
  const size = step.size ?? "1024x1024";
  if (!caps.sizes.includes(size)) throw badRequest(`Size must be one of ${caps.sizes.join(", ")}`);
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
    (!Number.isInteger(input.seed) || input.seed < 0 || input.seed > SEED_MAX)
  ) {
    throw badRequest(`The seed must be a whole number between 0 and ${SEED_MAX}`);
  }
  // A seeded model always gets a seed, so that the job can be made again exactly.
  const seed = caps.seeded ? (input.seed ?? randomInt(0, SEED_MAX)) : null;
  const edits = step.kind === "refine" || step.kind === "inpaint" || step.kind === "resize";
  if (edits && (!caps.edit || provider.edit === undefined)) {
    throw badRequest(`The model ${model} cannot edit an existing image`);
  }
  if (input.sourceMediaId !== undefined) {
    if (!caps.edit || provider.edit === undefined) {
      throw badRequest(`The model ${model} cannot edit an existing image`);
    }
    const source = (
      await db
        .select({ originalKey: mediaAttachments.originalKey })
        .from(mediaAttachments)
        .where(
          and(
            eq(mediaAttachments.id, input.sourceMediaId),
            eq(mediaAttachments.accountId, accountId),
          ),
        )
        .limit(1)
    )[0];
    // Only an image whose original is kept can be edited (a remote attachment has none).
    if (source?.originalKey == null) throw notFound("No such image of yours to edit");
  }
  return {
    prompt,
    negativePrompt,
    model,
    size,
    quality,
    background,
    n,
    seed,
    sourceMediaId: step.sourceMediaId ?? input.sourceMediaId ?? null,
    remixOfStatusId: input.remixOfStatusId ?? null,
    // An edit of an upload by its id (the older way) is a refine step starting its own session.
    kind: input.sourceMediaId !== undefined ? "refine" : step.kind,
    parentId: step.parentId,
    sessionId: step.sessionId,
    depth: step.depth,
    maskPng: step.maskPng,
  };
}
