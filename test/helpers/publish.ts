// Local statuses published through the real services: images made with sharp, ingested through
// deps.media (the pipeline: WebP variants, blurhash, provenance), then posted with publishStatus, so the
// federation tests see exactly what production sends.
import type { MediaProvenance, Status } from "../../src/db/schema/index.ts";
import type { Deps } from "../../src/deps.ts";
import { type PublishStatusInput, publishStatus } from "../../src/domain/statuses.ts";
import { webpImage } from "./factories.ts";

export interface TestImage {
  color: { r: number; g: number; b: number };
  width?: number;
  height?: number;
  description?: string;
  focus?: { x: number; y: number };
  provenance?: MediaProvenance;
}

export const AI_PROVENANCE: MediaProvenance = {
  digitalSourceType: "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
  provider: "local",
  model: "atelier-procedural-1",
  prompt: "a lighthouse at dusk, thick brush strokes",
  negativePrompt: "people",
  seed: 42,
};

/** Ingests the images as the media API does, then publishes the status as the statuses API does. */
export async function publishWithImages(
  deps: Deps,
  accountId: string,
  input: Omit<PublishStatusInput, "media"> & { images?: TestImage[] },
): Promise<Status> {
  const media = [];
  for (const image of input.images ?? []) {
    const bytes = await webpImage(image.color, image.width, image.height);
    const row = await deps.media.ingest(accountId, bytes, {
      description: image.description ?? null,
      focus: image.focus,
      provenance: image.provenance,
    });
    media.push({ id: row.id, description: row.description, focus: image.focus });
  }
  const { images: _images, ...rest } = input;
  return await publishStatus(deps, accountId, { ...rest, media });
}
