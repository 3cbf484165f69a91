// Media attachments of local accounts: runs bytes through the pipeline, stores the variants and records
// the attachment row (unattached until a status takes it), and keeps the rules on alt text and focal point.
import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { returned } from "../db/returned.ts";
import {
  type MediaAttachment,
  type MediaProvenance,
  mediaAttachments,
} from "../db/schema/index.ts";
import { badRequest, notFound } from "../errors.ts";
import { type PipelineLimits, processImage } from "./pipeline.ts";
import { DIGITAL_SOURCE_TYPE } from "./provenance.ts";
import type { MediaStore } from "./store.ts";

export const ALT_TEXT_MAX_LENGTH = 1500;

export interface FocalPoint {
  x: number;
  y: number;
}

export interface IngestOptions {
  description?: string | null;
  focus?: FocalPoint;
  /** For generated images: written into the files (XMP) and kept on the row. */
  provenance?: MediaProvenance;
}

/** Whether an attachment's provenance says it was made by a generative model. */
export function isAiGenerated(provenance: MediaProvenance | null | undefined): boolean {
  return (
    provenance?.digitalSourceType === DIGITAL_SOURCE_TYPE.trainedAlgorithmicMedia ||
    provenance?.digitalSourceType === DIGITAL_SOURCE_TYPE.compositeWithTrainedAlgorithmicMedia
  );
}

/** Checks a focal point (Mastodon's convention: x, y each in −1…1, y up). */
export function validateFocus(focus: FocalPoint): FocalPoint {
  const ok = (v: number) => Number.isFinite(v) && v >= -1 && v <= 1;
  if (!ok(focus.x) || !ok(focus.y)) {
    throw badRequest("Focal point must be two numbers between -1 and 1");
  }
  return { x: focus.x, y: focus.y };
}

/**
 * The alt text to store: trimmed and bounded; for an AI image an empty description falls back to its
 * prompt, so an AI image never goes out without alt text.
 */
export function resolveAltText(
  description: string | null | undefined,
  provenance: MediaProvenance | null | undefined,
): string | null {
  const text = (description ?? "").trim();
  if (text.length > ALT_TEXT_MAX_LENGTH) {
    throw badRequest(`Alt text is too long: at most ${ALT_TEXT_MAX_LENGTH} characters`);
  }
  if (text !== "") return text;
  const prompt = provenance?.prompt?.trim();
  if (isAiGenerated(provenance) && prompt) return prompt.slice(0, ALT_TEXT_MAX_LENGTH);
  return null;
}

export class MediaService {
  readonly store: MediaStore;
  readonly limits: PipelineLimits;
  readonly #db: Database;

  constructor(db: Database, store: MediaStore, limits: PipelineLimits) {
    this.#db = db;
    this.store = store;
    this.limits = limits;
  }

  /**
   * Processes and stores an image for `accountId` (an upload, or a generated image when `provenance`
   * is given) and returns its new, unattached attachment row.
   */
  async ingest(
    accountId: string,
    bytes: Uint8Array,
    options: IngestOptions = {},
  ): Promise<MediaAttachment> {
    const description = resolveAltText(options.description, options.provenance);
    const given = options.focus === undefined ? undefined : validateFocus(options.focus);
    const provenance = options.provenance;
    const processed = await processImage(
      bytes,
      this.limits,
      provenance === undefined
        ? undefined
        : {
            digitalSourceType: provenance.digitalSourceType,
            creatorTool: `Atelier (${[provenance.provider, provenance.model].filter(Boolean).join(" ")})`,
          },
    );
    const [originalKey, displayKey, thumbnailKey] = await Promise.all([
      this.store.put(processed.original.bytes, processed.original.extension),
      this.store.put(processed.display.bytes, processed.display.extension),
      this.store.put(processed.thumbnail.bytes, processed.thumbnail.extension),
    ]);
    return returned(
      await this.#db
        .insert(mediaAttachments)
        .values({
          id: newId(),
          accountId,
          type: "image",
          state: "ready",
          mediaType: "image/webp",
          originalKey,
          displayKey,
          thumbnailKey,
          width: processed.display.width,
          height: processed.display.height,
          thumbnailWidth: processed.thumbnail.width,
          thumbnailHeight: processed.thumbnail.height,
          byteSize: processed.original.bytes.byteLength,
          description,
          blurhash: processed.blurhash,
          // The client's focal point if it sent one, else where the pipeline found the subject; either
          // can be changed later (PUT /api/v1/media/:id).
          focusX: (given ?? processed.focus).x,
          focusY: (given ?? processed.focus).y,
          hasFocus: true,
          provenance: provenance ?? null,
        })
        .returning(),
    );
  }

  /** One of the account's attachments (404 when it is someone else's or gone). */
  async get(accountId: string, mediaId: string): Promise<MediaAttachment> {
    const row = (
      await this.#db
        .select()
        .from(mediaAttachments)
        .where(and(eq(mediaAttachments.id, mediaId), eq(mediaAttachments.accountId, accountId)))
        .limit(1)
    )[0];
    if (row === undefined) throw notFound("No such media attachment");
    return row;
  }

  /** Changes the alt text and/or focal point of one of the account's attachments. */
  async update(
    accountId: string,
    mediaId: string,
    changes: { description?: string | null; focus?: FocalPoint },
  ): Promise<MediaAttachment> {
    const row = await this.get(accountId, mediaId);
    const set: Partial<MediaAttachment> = {};
    if (changes.description !== undefined) {
      set.description = resolveAltText(changes.description, row.provenance);
    }
    if (changes.focus !== undefined) {
      const f = validateFocus(changes.focus);
      set.focusX = f.x;
      set.focusY = f.y;
      set.hasFocus = true;
    }
    if (Object.keys(set).length === 0) return row;
    return returned(
      await this.#db
        .update(mediaAttachments)
        .set(set)
        .where(eq(mediaAttachments.id, mediaId))
        .returning(),
    );
  }
}
