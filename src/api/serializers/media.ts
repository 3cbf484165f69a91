// MediaAttachment rows → Mastodon MediaAttachment, with sizes, focus and blurhash, plus Atelier's
// namespaced extension `atelier.provenance` telling how an AI image was made (prompt, model, provider).
import type { MediaAttachment } from "../../db/schema/index.ts";
import type { ApiMediaAttachment, ApiMediaMetaSize } from "../types.ts";
import type { SerializeContext } from "./context.ts";

const AI_SOURCE_TYPES = new Set([
  "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
  "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia",
  "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia",
]);

function size(width: number | null, height: number | null): ApiMediaMetaSize | undefined {
  if (!width || !height) return undefined;
  return {
    width,
    height,
    size: `${width}x${height}`,
    aspect: Math.round((width / height) * 1e6) / 1e6,
  };
}

export function toApiMediaAttachment(
  media: MediaAttachment,
  ctx: SerializeContext,
): ApiMediaAttachment {
  const file = (key: string | null) => (key ? ctx.urls.media(key) : null);
  const url = file(media.displayKey) ?? file(media.originalKey) ?? media.remoteUrl;
  const preview = file(media.thumbnailKey) ?? url;
  const original = size(media.width, media.height);
  const small = size(media.thumbnailWidth, media.thumbnailHeight) ?? original;
  const meta: ApiMediaAttachment["meta"] = {};
  if (original) meta.original = original;
  if (small) meta.small = small;
  // Mastodon omits focus for an image without a focal point (clients then centre it).
  if (media.hasFocus) meta.focus = { x: media.focusX, y: media.focusY };
  const p = media.provenance;
  return {
    id: media.id,
    type: media.type,
    // While processing, Mastodon answers url null (the client polls GET /api/v1/media/:id).
    url: media.state === "processing" ? null : url,
    preview_url: preview,
    remote_url: media.remoteUrl,
    preview_remote_url: null,
    text_url: null,
    meta,
    description: media.description,
    blurhash: media.blurhash,
    ...(p
      ? {
          atelier: {
            provenance: {
              ai_generated: AI_SOURCE_TYPES.has(p.digitalSourceType),
              digital_source_type: p.digitalSourceType,
              provider: p.provider ?? null,
              model: p.model ?? null,
              prompt: p.prompt ?? null,
              negative_prompt: p.negativePrompt ?? null,
              revised_prompt: p.revisedPrompt ?? null,
              seed: p.seed ?? null,
              generation_id: p.generationId ?? null,
              lineage: (p.lineage ?? []).map((step) => ({
                id: step.id,
                parent_id: step.parentId ?? null,
                kind: step.kind,
                prompt: step.prompt,
                model: step.model ?? null,
                provider: step.provider ?? null,
              })),
            },
          },
        }
      : {}),
  };
}
