// Custom emojis: this instance's own (added by an administrator) and those other servers' posts and
// actors use (their `Emoji` tags), each stored once per shortcode and domain, with our copy of the image;
// and which of them a status or an account's profile uses, so a page of statuses loads them in one query.
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { counter, createdAt, flag, id, timestamp } from "./columns.ts";
import { statuses } from "./statuses.ts";

export const customEmojis = sqliteTable(
  "custom_emojis",
  {
    id: id(),
    /** Without colons. */
    shortcode: text("shortcode").notNull(),
    /** null for this instance's own; the host (with port) of the server whose objects named it. */
    domain: text("domain"),
    /** The Emoji's ActivityPub id, when its server gave one. */
    iri: text("iri"),
    /** The icon's URL as its server sent it (null for local emojis). */
    remoteUrl: text("remote_url"),
    /** Our copy (animated GIF or WebP kept animated), by storage key; null until it is downloaded. */
    imageKey: text("image_key"),
    /** A still PNG of the first frame, by storage key. */
    staticKey: text("static_key"),
    category: text("category"),
    visibleInPicker: integer("visible_in_picker", { mode: "boolean" }).notNull().default(true),
    disabled: flag("disabled"),
    /** The remote Emoji's `updated` (a newer one replaces the image); for local ones, the last change. */
    updatedAt: timestamp("updated_at"),
    /** Downloads of the remote image tried so far (given up after a few). */
    copyAttempts: counter("copy_attempts"),
    createdAt: createdAt(),
  },
  (t) => [
    // NULLs never collide in a unique index: local emojis (domain null) get their own.
    uniqueIndex("custom_emojis_local_shortcode_unique")
      .on(t.shortcode)
      .where(sql`${t.domain} is null`),
    uniqueIndex("custom_emojis_remote_shortcode_unique")
      .on(t.shortcode, t.domain)
      .where(sql`${t.domain} is not null`),
  ],
);

export type CustomEmoji = typeof customEmojis.$inferSelect;
export type NewCustomEmoji = typeof customEmojis.$inferInsert;

/** The custom emojis a status's text (content, content warning, poll options) uses. */
export const statusEmojis = sqliteTable(
  "status_emojis",
  {
    statusId: text("status_id")
      .notNull()
      .references(() => statuses.id, { onDelete: "cascade" }),
    emojiId: text("emoji_id")
      .notNull()
      .references(() => customEmojis.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.statusId, t.emojiId] }),
    index("status_emojis_emoji_idx").on(t.emojiId),
  ],
);

/** The custom emojis an account's display name, bio and profile fields use. */
export const accountEmojis = sqliteTable(
  "account_emojis",
  {
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    emojiId: text("emoji_id")
      .notNull()
      .references(() => customEmojis.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.emojiId] }),
    index("account_emojis_emoji_idx").on(t.emojiId),
  ],
);
