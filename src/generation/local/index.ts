// The embedded offline generator: reads the prompt into a Scene (time of day, weather, place, elements,
// colours, style), paints it in pure TypeScript and encodes it with sharp; no model weights. The same
// prompt and seed always give the same picture. Edits change the stored Scene and paint it again, or,
// for an image that carries none, change its pixels; a mask limits either to its transparent region.
import {
  type EditRequest,
  type GeneratedImage,
  type GenerateRequest,
  GenerationError,
  type ImageProvider,
  type ModelCapabilities,
  parseSize,
} from "../provider.ts";
import { describeImage } from "./describe.ts";
import { editImage } from "./edit.ts";
import { sceneSeed } from "./prng.ts";
import { readScene, renderScene } from "./render.ts";
import { parsePrompt } from "./scene.ts";

export const LOCAL_MODEL = "atelier-procedural-1";
const SIZES = [
  "1024x1024",
  "1536x1024",
  "1024x1536",
  "1792x1024",
  "1024x1792",
  "512x512",
  "256x256",
];

/** Renders one image (PNG, carrying its scene) for a prompt and seed. Exported for benchmarks. */
export function renderProceduralImage(
  prompt: string,
  negativePrompt: string | undefined,
  seed: number,
  width: number,
  height: number,
): Promise<Buffer> {
  const scene = parsePrompt(prompt, negativePrompt, sceneSeed(prompt, negativePrompt, seed));
  return renderScene(scene, width, height);
}

function checkRequest(request: GenerateRequest): { width: number; height: number } {
  if (request.model !== LOCAL_MODEL) {
    throw new GenerationError(
      "provider_error",
      `The local generator has no model "${request.model}"`,
    );
  }
  const size = parseSize(request.size);
  if (size === undefined || !SIZES.includes(request.size)) {
    throw new GenerationError("provider_error", `Unsupported size ${request.size}`);
  }
  return size;
}

export class LocalProvider implements ImageProvider {
  readonly name = "local";
  readonly defaultModel = LOCAL_MODEL;

  capabilities(): ModelCapabilities {
    return {
      sizes: SIZES,
      qualities: ["auto", "low", "medium", "high"],
      backgrounds: ["auto", "opaque"],
      maxN: 4,
      edit: true,
      seeded: true,
    };
  }

  async generate(request: GenerateRequest, signal: AbortSignal): Promise<GeneratedImage[]> {
    const size = checkRequest(request);
    const seed = request.seed ?? 0;
    const images: GeneratedImage[] = [];
    for (let i = 0; i < request.n; i++) {
      signal.throwIfAborted();
      const s = (seed + i) >>> 0;
      images.push({
        bytes: await renderProceduralImage(
          request.prompt,
          request.negativePrompt,
          s,
          size.width,
          size.height,
        ),
        seed: s,
      });
    }
    return images;
  }

  /** The prompt is the instruction ("warmer", "at night", "add stars", "remove the boat"). */
  async edit(request: EditRequest, signal: AbortSignal): Promise<GeneratedImage[]> {
    const size = checkRequest(request);
    const images: GeneratedImage[] = [];
    for (let i = 0; i < request.n; i++) {
      signal.throwIfAborted();
      images.push({ bytes: await editImage(request, size, i) });
    }
    return images;
  }

  async describe(image: Buffer, prompt: string, signal: AbortSignal): Promise<string> {
    signal.throwIfAborted();
    // What it drew, from the scene the PNG carries; an image without one (not ours) is told by its prompt.
    return readScene(image) === undefined && prompt.trim() !== ""
      ? prompt.trim()
      : await describeImage(image);
  }
}
