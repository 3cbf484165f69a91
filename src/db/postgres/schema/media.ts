// PostgreSQL's media attachments: the table of src/db/schema/media.ts. Focal points are double precision,
// as SQLite's REAL is; byte sizes are bigint (a remote attachment may say anything past 2 GiB).
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
} from "drizzle-orm/pg-core";
import type { MediaProvenance, MediaState, MediaType } from "../../schema/media.ts";
import { accounts } from "./accounts.ts";
import { createdAt, id, timestamp } from "./columns.ts";
import { scheduledStatuses } from "./scheduled-statuses.ts";
import { statuses } from "./statuses.ts";

export const mediaAttachments = pgTable(
  "media_attachments",
  {
    id: id(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    statusId: text("status_id").references(() => statuses.id, { onDelete: "cascade" }),
    scheduledStatusId: text("scheduled_status_id").references(() => scheduledStatuses.id, {
      onDelete: "set null",
    }),
    position: integer("position").notNull().default(0),
    type: text("type").$type<MediaType>().notNull().default("image"),
    state: text("state").$type<MediaState>().notNull().default("ready"),
    mediaType: text("media_type"),
    remoteUrl: text("remote_url"),
    originalKey: text("original_key"),
    displayKey: text("display_key"),
    thumbnailKey: text("thumbnail_key"),
    width: integer("width"),
    height: integer("height"),
    thumbnailWidth: integer("thumbnail_width"),
    thumbnailHeight: integer("thumbnail_height"),
    byteSize: bigint("byte_size", { mode: "number" }),
    description: text("description"),
    blurhash: text("blurhash"),
    focusX: doublePrecision("focus_x").notNull().default(0),
    focusY: doublePrecision("focus_y").notNull().default(0),
    hasFocus: boolean("has_focus").notNull().default(false),
    provenance: jsonb("provenance").$type<MediaProvenance>(),
    createdAt: createdAt(),
  },
  (t) => [
    index("media_attachments_status_idx").on(t.statusId, t.position),
    index("media_attachments_account_idx").on(t.accountId, t.id),
    index("media_attachments_scheduled_status_idx").on(t.scheduledStatusId),
  ],
);

export const remoteMediaDownloads = pgTable("remote_media_downloads", {
  statusId: text("status_id")
    .primaryKey()
    .references(() => statuses.id, { onDelete: "cascade" }),
  attempts: integer("attempts").notNull().default(0),
  claimedBy: text("claimed_by"),
  claimedUntil: timestamp("claimed_until"),
  createdAt: createdAt(),
});
