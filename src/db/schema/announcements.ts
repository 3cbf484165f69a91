// Announcements: notices the administrators show every local user (Mastodon's /api/v1/announcements),
// with who dismissed them and the emoji reactions users left on them.
import { index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { createdAt, flag, id, timestamp } from "./columns.ts";

export const announcements = sqliteTable(
  "announcements",
  {
    id: id(),
    /** Plain text as the administrator wrote it; the API renders it as HTML. */
    text: text("text").notNull(),
    /** Shown from (null: at once) until (null: until removed). */
    startsAt: timestamp("starts_at"),
    endsAt: timestamp("ends_at"),
    /** The period is whole days: clients show dates without times. */
    allDay: flag("all_day"),
    publishedAt: timestamp("published_at").notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [index("announcements_published_idx").on(t.publishedAt)],
);

export type Announcement = typeof announcements.$inferSelect;
export type NewAnnouncement = typeof announcements.$inferInsert;

const announcement = () =>
  text("announcement_id")
    .notNull()
    .references(() => announcements.id, { onDelete: "cascade" });
const account = () =>
  text("account_id")
    .notNull()
    .references(() => accounts.id, { onDelete: "cascade" });

/** Announcements a user marked as read ("dismissed" in Mastodon's API). */
export const announcementDismissals = sqliteTable(
  "announcement_dismissals",
  { announcementId: announcement(), accountId: account(), createdAt: createdAt() },
  (t) => [primaryKey({ columns: [t.accountId, t.announcementId] })],
);

/** One user's reaction with one (unicode) emoji to an announcement. */
export const announcementReactions = sqliteTable(
  "announcement_reactions",
  {
    announcementId: announcement(),
    accountId: account(),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.announcementId, t.name, t.accountId] })],
);
