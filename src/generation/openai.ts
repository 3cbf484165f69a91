// The OpenAI provider: the official `openai` client's images.generate / images.edit (and the moderation
// endpoint), pointed at api.openai.com or at any OpenAI-compatible server through OPENAI_BASE_URL. Upstream
// failures become GenerationErrors with safe messages; the API key never appears in one.
import { createRequire } from "node:module";
import type OpenAIClient from "openai";
import { logger } from "../logging.ts";
import {
  type EditRequest,
  type GeneratedImage,
  type GenerateRequest,
  GenerationError,
  type ImageProvider,
  type ModelCapabilities,
  type ModerationVerdict,
} from "./provider.ts";

// The client (~150 modules) is loaded when the provider is first used, not when the server starts: most
// instances run the local provider, and start-up only needs to know which provider is configured.
const require = createRequire(import.meta.url);
let sdk: typeof import("openai") | undefined;
const openai = () => (sdk ??= require("openai") as typeof import("openai"));

const log = logger("generation", "openai");

export interface OpenAIProviderOptions {
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
  defaultModel: string;
  timeoutMs: number;
  /** Retries of the client itself (429/5xx, honouring retry-after); 0 makes every failure final. */
  maxRetries?: number;
  /** A chat model that reads images (OPENAI_VISION_MODEL): drafts alt text; absent = no `describe`. */
  visionModel?: string | undefined;
}

// What the vision model is asked for: alt text as Mastodon's compose box means it (a description for
// people who cannot see the image), short enough to read aloud, without "an image of".
const DESCRIBE_INSTRUCTIONS =
  "Write alt text for this image for people who cannot see it: one to three plain sentences saying " +
  "what is shown (subject, setting, colours, style). Do not start with 'An image of' or 'A picture of'. " +
  "Answer with the alt text only.";
// About 1,500 characters (our alt text limit) is far more than three sentences need.
const DESCRIBE_MAX_TOKENS = 300;
const ALT_TEXT_MAX_LENGTH = 1500;

const pngDataUrl = (image: Buffer) => `data:image/png;base64,${image.toString("base64")}`;

const GPT_IMAGE: ModelCapabilities = {
  sizes: ["1024x1024", "1536x1024", "1024x1536", "auto"],
  qualities: ["auto", "low", "medium", "high"],
  backgrounds: ["auto", "opaque", "transparent"],
  maxN: 4,
  edit: true,
  seeded: false,
};

const CAPABILITIES: Record<string, ModelCapabilities> = {
  "dall-e-3": {
    sizes: ["1024x1024", "1792x1024", "1024x1792"],
    qualities: ["standard", "hd"],
    backgrounds: ["auto"],
    maxN: 1,
    edit: false,
    seeded: false,
  },
  "dall-e-2": {
    sizes: ["256x256", "512x512", "1024x1024"],
    qualities: ["standard"],
    backgrounds: ["auto"],
    maxN: 4,
    edit: true,
    seeded: false,
  },
};

const isDallE = (model: string) => model.startsWith("dall-e");

/** Seconds from Retry-After (seconds or HTTP date) or retry-after-ms, if the server sent one. */
function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  if (headers === undefined) return undefined;
  const ms = Number(headers.get("retry-after-ms"));
  if (Number.isFinite(ms) && ms > 0) return Math.ceil(ms / 1000);
  const value = headers.get("retry-after");
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

export class OpenAIProvider implements ImageProvider {
  readonly name = "openai";
  readonly defaultModel: string;
  #clientInstance: OpenAIClient | undefined;
  readonly #options: OpenAIProviderOptions;
  readonly #apiKey: string | undefined;

  constructor(options: OpenAIProviderOptions) {
    this.defaultModel = options.defaultModel;
    this.#apiKey = options.apiKey;
    this.#options = options;
    // Without a vision model there is nothing to describe with: the job falls back to the prompt.
    if (options.visionModel === undefined) this.describe = undefined;
  }

  get #client(): OpenAIClient {
    const options = this.#options;
    this.#clientInstance ??= new (openai().default)({
      // A self-hosted server may need no key; the client insists on a string.
      apiKey: options.apiKey ?? "no-key",
      ...(options.baseUrl !== undefined ? { baseURL: options.baseUrl } : {}),
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries ?? 2,
      // The client's own logger stays quiet: our messages are the ones users and admins see.
      logLevel: "off",
    });
    return this.#clientInstance;
  }

  capabilities(model: string): ModelCapabilities {
    return CAPABILITIES[model] ?? GPT_IMAGE;
  }

  /** Any text from upstream, with the key removed, should it ever be echoed back. */
  #redact(text: string): string {
    return this.#apiKey ? text.split(this.#apiKey).join("[redacted]") : text;
  }

  #translate(error: unknown): GenerationError {
    if (error instanceof GenerationError) return error;
    if (error instanceof openai().default.APIConnectionTimeoutError) {
      return new GenerationError(
        "timeout",
        "The image service did not answer in time; try again later",
      );
    }
    if (error instanceof openai().default.APIUserAbortError) {
      return new GenerationError("interrupted", "The generation was cancelled");
    }
    if (error instanceof openai().default.APIConnectionError) {
      return new GenerationError(
        "provider_error",
        "The image service could not be reached; try again later",
      );
    }
    if (error instanceof openai().default.APIError) {
      const code = error.code ?? "";
      const upstream = this.#redact(
        typeof (error.error as { message?: unknown } | undefined)?.message === "string"
          ? (error.error as { message: string }).message
          : "",
      ).slice(0, 300);
      if (error.status === 401 || error.status === 403) {
        // Never pass the upstream text on: OpenAI's 401 message quotes (part of) the key.
        return new GenerationError(
          "provider_auth",
          "The instance's image service key was rejected; an administrator must fix the API key",
        );
      }
      if (error.status === 429) {
        if (code === "insufficient_quota" || code === "billing_hard_limit_reached") {
          return new GenerationError(
            "provider_quota",
            "The instance's image service account has run out of credit; tell an administrator",
          );
        }
        const wait = retryAfterSeconds(error.headers);
        return new GenerationError(
          "rate_limited",
          `The image service is busy (rate limited)${wait !== undefined ? `; try again in ${wait} seconds` : "; try again later"}`,
          { retryAfterSeconds: wait },
        );
      }
      if (
        error.status === 400 &&
        (code === "content_policy_violation" ||
          code === "moderation_blocked" ||
          /safety|policy/i.test(upstream))
      ) {
        return new GenerationError(
          "content_policy",
          `The image service refused this prompt under its content policy${upstream ? `: ${upstream}` : ""}`,
        );
      }
      if (code === "billing_hard_limit_reached") {
        return new GenerationError(
          "provider_quota",
          "The instance's image service account has reached its billing limit; tell an administrator",
        );
      }
      return new GenerationError(
        "provider_error",
        `The image service failed (HTTP ${error.status ?? "?"})${upstream ? `: ${upstream}` : ""}`,
      );
    }
    return new GenerationError("provider_error", "The image service failed unexpectedly", {
      cause: error,
    });
  }

  #decode(
    data: { b64_json?: string | undefined; revised_prompt?: string | undefined }[] | undefined,
  ): GeneratedImage[] {
    const images = (data ?? []).flatMap((d) =>
      typeof d.b64_json === "string" && d.b64_json.length > 0
        ? [
            {
              bytes: Buffer.from(d.b64_json, "base64"),
              revisedPrompt: d.revised_prompt ?? undefined,
            },
          ]
        : [],
    );
    if (images.length === 0) {
      throw new GenerationError("provider_error", "The image service answered without an image");
    }
    return images;
  }

  // OpenAI has no negative prompt; say it in words, which the image models follow reasonably well.
  #promptOf(request: GenerateRequest): string {
    return request.negativePrompt
      ? `${request.prompt}\n\nAvoid: ${request.negativePrompt}`
      : request.prompt;
  }

  async generate(request: GenerateRequest, signal: AbortSignal): Promise<GeneratedImage[]> {
    const dallE = isDallE(request.model);
    try {
      const response = await this.#client.images.generate(
        {
          model: request.model,
          prompt: this.#promptOf(request),
          n: request.n,
          size: request.size as "1024x1024",
          ...(request.quality !== "auto" ? { quality: request.quality as "high" } : {}),
          // gpt-image models always answer in base64 and reject response_format; DALL·E needs it.
          ...(dallE ? { response_format: "b64_json" as const } : {}),
          ...(!dallE && request.background !== "auto"
            ? { background: request.background as "opaque" }
            : {}),
        },
        { signal },
      );
      return this.#decode(response.data);
    } catch (error) {
      throw this.#translate(error);
    }
  }

  async edit(request: EditRequest, signal: AbortSignal): Promise<GeneratedImage[]> {
    if (!this.capabilities(request.model).edit) {
      throw new GenerationError("provider_error", `The model ${request.model} cannot edit images`);
    }
    try {
      const response = await this.#client.images.edit(
        {
          model: request.model,
          image: await openai().toFile(request.image, "image.png", { type: "image/png" }),
          // Transparent where the image may change: the same convention as EditRequest's.
          ...(request.mask !== undefined
            ? { mask: await openai().toFile(request.mask, "mask.png", { type: "image/png" }) }
            : {}),
          prompt: this.#promptOf(request),
          n: request.n,
          size: request.size as "1024x1024",
          ...(isDallE(request.model) ? { response_format: "b64_json" as const } : {}),
        },
        { signal },
      );
      return this.#decode(response.data);
    } catch (error) {
      throw this.#translate(error);
    }
  }

  async moderate(prompt: string, signal: AbortSignal): Promise<ModerationVerdict> {
    try {
      const response = await this.#client.moderations.create(
        { model: "omni-moderation-latest", input: prompt },
        { signal },
      );
      const result = response.results[0];
      if (result === undefined) return { flagged: false, categories: [] };
      const categories = Object.entries(result.categories ?? {})
        .filter(([, flagged]) => flagged === true)
        .map(([name]) => name);
      return { flagged: result.flagged, categories };
    } catch (error) {
      // Many OpenAI-compatible servers (self-hosted, proxies) have no moderation endpoint; the instance's
      // own blocked terms still apply, so that is not a reason to refuse every prompt.
      if (error instanceof openai().default.NotFoundError) {
        log.warning("The image service has no moderation endpoint; relying on blocked terms only.");
        return { flagged: false, categories: [] };
      }
      throw this.#translate(error);
    }
  }

  // A property rather than a method, so that the constructor can leave it out when no vision model is
  // configured: callers test for `describe`, as the interface has it optional.
  describe?: (image: Buffer, prompt: string, signal: AbortSignal) => Promise<string> = async (
    image,
    prompt,
    signal,
  ) => {
    let response: OpenAIClient.Chat.Completions.ChatCompletion;
    try {
      response = await this.#client.chat.completions.create(
        {
          model: this.#options.visionModel!,
          max_completion_tokens: DESCRIBE_MAX_TOKENS,
          messages: [
            { role: "system", content: DESCRIBE_INSTRUCTIONS },
            {
              role: "user",
              content: [
                // The prompt helps name what was meant (a lighthouse, not "a white tower"); the model is
                // told to describe what it sees, so a prompt the image does not follow is not repeated.
                { type: "text", text: `The image was generated from this prompt: ${prompt}` },
                { type: "image_url", image_url: { url: pngDataUrl(image) } },
              ],
            },
          ],
        },
        { signal },
      );
    } catch (error) {
      throw this.#translate(error);
    }
    const content = response.choices?.[0]?.message?.content;
    const text = typeof content === "string" ? tidyAltText(content) : "";
    if (text === "") {
      throw new GenerationError(
        "provider_error",
        "The vision model answered without a description",
      );
    }
    return text;
  };

  async moderateImage(image: Buffer, signal: AbortSignal): Promise<ModerationVerdict> {
    try {
      const response = await this.#client.moderations.create(
        {
          model: "omni-moderation-latest",
          input: [{ type: "image_url", image_url: { url: pngDataUrl(image) } }],
        },
        { signal },
      );
      return verdictOf(response.results);
    } catch (error) {
      // As for prompts (moderate above): a compatible server without the endpoint cannot check images.
      if (error instanceof openai().default.NotFoundError) {
        log.warning(
          "The image service has no moderation endpoint; generated images are not checked.",
        );
        return { flagged: false, categories: [] };
      }
      throw this.#translate(error);
    }
  }
}

/** The verdict of a moderation answer: flagged, with the names of the flagged categories. */
function verdictOf(results: OpenAIClient.Moderation[] | undefined): ModerationVerdict {
  if (!Array.isArray(results)) {
    throw new GenerationError("provider_error", "The moderation service gave an unreadable answer");
  }
  const flagged = results.some((r) => r.flagged === true);
  const categories = new Set<string>();
  for (const r of results) {
    for (const [name, on] of Object.entries(r.categories ?? {}))
      if (on === true) categories.add(name);
  }
  return { flagged, categories: [...categories] };
}

/** A model's answer as alt text: one paragraph, without wrapping quotes, within our alt text limit. */
function tidyAltText(text: string): string {
  const flat = text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^["“](.*)["”]$/u, "$1")
    .trim();
  return flat.length > ALT_TEXT_MAX_LENGTH ? `${flat.slice(0, ALT_TEXT_MAX_LENGTH - 1)}…` : flat;
}
