// Media attachments: local uploads and generated images (stored as files under DATA_DIR/media by content
// hash) and remote attachments (kept by URL). Provenance says where an AI image came from.
import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { bigInteger, createdAt, id, timestamp } from "./columns.ts";
import { scheduledStatuses } from "./scheduled-statuses.ts";
import { statuses } from "./statuses.ts";

export type MediaType = "image" | "gifv" | "video" | "audio" | "unknown";
export type MediaState = "processing" | "ready" | "failed";

/** Where an AI-generated image came from; carried on the attachment and federated in our extension. */
export interface MediaProvenance {
  /** IPTC DigitalSourceType, e.g. http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia */
  digitalSourceType: string;
  provider?: string;
  model?: string;
  prompt?: string;
  negativePrompt?: string;
  revisedPrompt?: string;
  seed?: number;
  /** The generation job that made it (local images). */
  generationId?: string;
  /**
   * The studio steps that led to it, the first generation first and this image's own step last; absent
   * for an image made in one step. Copied when the image is made, so it outlives the steps' jobs.
   */
  lineage?: LineageStep[];
}

/** One step of a studio session, as an image's provenance remembers it. */
export interface LineageStep {
  /** The step's generation id (on its server). */
  id: string;
  /** The step it refined; absent for the first. */
  parentId?: string;
  /** "generate", "refine", "vary", "inpaint" or "resize". */
  kind: string;
  /** The prompt, or the instruction of an edit. */
  prompt: string;
  model?: string;
  provider?: string;
}

export const mediaAttachments = sqliteTable(
  "media_attachments",
  {
    id: id(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** null until attached to a status. */
    statusId: text("status_id").references(() => statuses.id, { onDelete: "cascade" }),
    /**
     * Held for a scheduled status until it is published (then statusId takes over); cancelling the
     * scheduled status frees the image again, as Mastodon nullifies it.
     */
    scheduledStatusId: text("scheduled_status_id").references(() => scheduledStatuses.id, {
      onDelete: "set null",
    }),
    /** Order within the status (the cover image is 0). */
    position: integer("position").notNull().default(0),
    type: text("type").$type<MediaType>().notNull().default("image"),
    state: text("state").$type<MediaState>().notNull().default("ready"),
    /** MIME type of the display file. */
    mediaType: text("media_type"),
    /** ActivityPub url of a remote attachment. */
    remoteUrl: text("remote_url"),
    /** Storage keys (content hashes) of the local files. */
    originalKey: text("original_key"),
    displayKey: text("display_key"),
    thumbnailKey: text("thumbnail_key"),
    width: integer("width"),
    height: integer("height"),
    thumbnailWidth: integer("thumbnail_width"),
    thumbnailHeight: integer("thumbnail_height"),
    /** A remote attachment may say anything, past 2 GiB too. */
    byteSize: bigInteger("byte_size"),
    /** Alt text. */
    description: text("description"),
    blurhash: text("blurhash"),
    /** Focal point, each in -1..1 with y up (Mastodon's convention); meaningful only with hasFocus. */
    focusX: real("focus_x").notNull().default(0),
    focusY: real("focus_y").notNull().default(0),
    /**
     * Whether a focal point was chosen (or sent). Mastodon keeps "none" apart from an explicit centre:
     * its API omits meta.focus and its Note omits focalPoint for an image without one.
     */
    hasFocus: integer("has_focus", { mode: "boolean" }).notNull().default(false),
    provenance: text("provenance", { mode: "json" }).$type<MediaProvenance>(),
    createdAt: createdAt(),
  },
  (t) => [
    index("media_attachments_status_idx").on(t.statusId, t.position),
    index("media_attachments_account_idx").on(t.accountId, t.id),
    index("media_attachments_scheduled_status_idx").on(t.scheduledStatusId),
    // A file served at /media/<key> back to the attachments that name it: whose work it is, for its
    // tdm-reservation header (domain/data-mining.ts), one probe per key. Remote attachments have no
    // keys, hence partial.
    index("media_attachments_original_key_idx")
      .on(t.originalKey)
      .where(sql`${t.originalKey} is not null`),
    index("media_attachments_display_key_idx")
      .on(t.displayKey)
      .where(sql`${t.displayKey} is not null`),
    index("media_attachments_thumbnail_key_idx")
      .on(t.thumbnailKey)
      .where(sql`${t.thumbnailKey} is not null`),
  ],
);

export type MediaAttachment = typeof mediaAttachments.$inferSelect;
export type NewMediaAttachment = typeof mediaAttachments.$inferInsert;

/**
 * Statuses whose remote images are to be downloaded and measured (domain/remote-media.ts): a durable
 * queue shared by the workers, each row claimed with a lease while its images are fetched.
 */
export const remoteMediaDownloads = sqliteTable("remote_media_downloads", {
  statusId: text("status_id")
    .primaryKey()
    .references(() => statuses.id, { onDelete: "cascade" }),
  /** Claims so far: a row whose worker keeps dying on it is given up. */
  attempts: integer("attempts").notNull().default(0),
  claimedBy: text("claimed_by"),
  claimedUntil: timestamp("claimed_until"),
  createdAt: createdAt(),
});
