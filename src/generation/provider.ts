// The one small interface every image generator implements (local procedural art, OpenAI or any
// OpenAI-compatible server), and the error a provider throws so a job can fail with a clear message.

import type { GenerationErrorCode } from "../db/schema/index.ts";
import { AppError, type ErrorCode } from "../errors.ts";

export interface GenerateRequest {
  prompt: string;
  negativePrompt?: string | undefined;
  model: string;
  /** "WIDTHxHEIGHT". */
  size: string;
  quality: string;
  background: string;
  n: number;
  /** Local provider: the seed of the first image (the others use seed+1 …). */
  seed?: number | undefined;
}

export interface EditRequest extends GenerateRequest {
  /** The image to edit, as PNG bytes. */
  image: Buffer;
  /**
   * A PNG the size of `image` whose fully transparent pixels mark the region to change (OpenAI's
   * convention, so the same mask goes to every provider). Absent: the whole image may change.
   */
  mask?: Buffer | undefined;
}

export interface GeneratedImage {
  bytes: Buffer;
  /** The prompt as the model rewrote it (OpenAI's revised_prompt), when it says. */
  revisedPrompt?: string | undefined;
  seed?: number | undefined;
}

export interface ModelCapabilities {
  sizes: readonly string[];
  qualities: readonly string[];
  backgrounds: readonly string[];
  /** Most candidates per request. */
  maxN: number;
  /** Whether images.edit works with this model. */
  edit: boolean;
  /** Whether the same seed gives the same image. */
  seeded: boolean;
}

export interface ModerationVerdict {
  flagged: boolean;
  /** Category names that were flagged (e.g. "violence"). */
  categories: string[];
}

export interface ImageProvider {
  /** "local" or "openai": stored on jobs and in provenance. */
  readonly name: string;
  readonly defaultModel: string;
  capabilities(model: string): ModelCapabilities;
  generate(request: GenerateRequest, signal: AbortSignal): Promise<GeneratedImage[]>;
  /** Present when some model of this provider can edit an existing image. */
  edit?(request: EditRequest, signal: AbortSignal): Promise<GeneratedImage[]>;
  /** A moderation check run before any paid call, when the provider offers one. */
  moderate?(prompt: string, signal: AbortSignal): Promise<ModerationVerdict>;
  /**
   * Drafts a description (alt text) of an image this provider made for `prompt`: a vision model for
   * OpenAI-compatible servers, what it drew for the local provider. Never empty; the caller falls back to
   * the prompt when this is absent or fails.
   */
  describe?(image: Buffer, prompt: string, signal: AbortSignal): Promise<string>;
  /** Checks a generated image before it may be posted (OpenAI's moderation endpoint with an image input). */
  moderateImage?(image: Buffer, signal: AbortSignal): Promise<ModerationVerdict>;
}

const httpCodeOf: Record<GenerationErrorCode, ErrorCode> = {
  content_policy: "unprocessable",
  rate_limited: "rate_limited",
  provider_quota: "unavailable",
  timeout: "unavailable",
  provider_auth: "unavailable",
  provider_error: "unavailable",
  invalid_image: "unprocessable",
  interrupted: "unavailable",
  internal: "internal",
};

/** A provider failure with a message that is safe to show (no key, no raw upstream body). */
export class GenerationError extends AppError {
  readonly reason: GenerationErrorCode;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    reason: GenerationErrorCode,
    message: string,
    options: { cause?: unknown; retryAfterSeconds?: number | undefined } = {},
  ) {
    super(httpCodeOf[reason], message, {
      cause: options.cause,
      ...(options.retryAfterSeconds !== undefined
        ? { details: { retryAfterSeconds: options.retryAfterSeconds } }
        : {}),
    });
    this.name = "GenerationError";
    this.reason = reason;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Parses "1024x1024" into numbers; undefined for anything else. */
export function parseSize(size: string): { width: number; height: number } | undefined {
  const m = /^(\d{2,4})x(\d{2,4})$/.exec(size);
  if (m === null) return undefined;
  return { width: Number(m[1]), height: Number(m[2]) };
}
