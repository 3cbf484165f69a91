// PostgreSQL's announcements, their dismissals and reactions: the tables of
// src/db/schema/announcements.ts.
import { index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { createdAt, flag, id, timestamp } from "./columns.ts";

export const announcements = pgTable(
  "announcements",
  {
    id: id(),
    text: text("text").notNull(),
    startsAt: timestamp("starts_at"),
    endsAt: timestamp("ends_at"),
    allDay: flag("all_day"),
    publishedAt: timestamp("published_at").notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [index("announcements_published_idx").on(t.publishedAt)],
);

const announcement = () =>
  text("announcement_id")
    .notNull()
    .references(() => announcements.id, { onDelete: "cascade" });
const account = () =>
  text("account_id")
    .notNull()
    .references(() => accounts.id, { onDelete: "cascade" });

export const announcementDismissals = pgTable(
  "announcement_dismissals",
  { announcementId: announcement(), accountId: account(), createdAt: createdAt() },
  (t) => [primaryKey({ columns: [t.accountId, t.announcementId] })],
);

export const announcementReactions = pgTable(
  "announcement_reactions",
  {
    announcementId: announcement(),
    accountId: account(),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.announcementId, t.name, t.accountId] })],
);
