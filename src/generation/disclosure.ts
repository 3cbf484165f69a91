// What leaves this server when people use the image generator: which service, at which host, and which
// of the provider's calls this build makes (each sends something different). /about/data is written from
// this, so the page follows the configuration and the provider instead of a text someone must remember
// to update: a provider that gains a call (image descriptions, say) shows it there at once.
import type { Config } from "../config.ts";
import type { ImageProvider } from "./provider.ts";

/** The openai client's own default, used when OPENAI_BASE_URL is not set. */
const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

/** One kind of request the provider makes, each with its own content (see ImageProvider). */
export type ProviderCall =
  /** The prompt, negative prompt, model, size, quality and number of images. */
  | "generate"
  /** The same, with the image being edited (and the mask of the region to change). */
  | "edit"
  /** The prompt alone, to a moderation check before anything is generated. */
  | "moderate_prompt"
  /** A generated image and its prompt, for an alt text draft. */
  | "describe"
  /** A generated image, to a moderation check before it may be posted. */
  | "moderate_image";

export interface ProviderDisclosure {
  /** "local" or "openai" (IMAGE_PROVIDER). */
  provider: Config["imageProvider"];
  /** Whether anything leaves this server for the provider. */
  external: boolean;
  /** Where the requests go (OPENAI_BASE_URL's host, or OpenAI's); null for the built-in generator. */
  host: string | null;
  /** The calls this provider makes, in the order a generation meets them. */
  calls: ProviderCall[];
}

/** What the configured provider receives, and where. */
export function providerDisclosure(config: Config, provider: ImageProvider): ProviderDisclosure {
  const external = config.imageProvider !== "local";
  const calls: ProviderCall[] = [];
  if (provider.moderate !== undefined) calls.push("moderate_prompt");
  calls.push("generate");
  if (provider.edit !== undefined) calls.push("edit");
  if (provider.moderateImage !== undefined) calls.push("moderate_image");
  if (provider.describe !== undefined) calls.push("describe");
  return {
    provider: config.imageProvider,
    external,
    host: external ? new URL(config.openai.baseUrl ?? OPENAI_DEFAULT_BASE_URL).host : null,
    calls,
  };
}
