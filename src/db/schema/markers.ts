// Read positions of local accounts in their home timeline and notifications (Mastodon's markers), kept
// on the server so every client of the same person resumes where the last one stopped.
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { timestamp } from "./columns.ts";

export type MarkerTimeline = "home" | "notifications";

export const markers = sqliteTable(
  "markers",
  {
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    timeline: text("timeline").$type<MarkerTimeline>().notNull(),
    lastReadId: text("last_read_id").notNull(),
    /** Incremented on every save, so clients can tell concurrent updates apart. */
    version: integer("version").notNull().default(0),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.timeline] })],
);

export type Marker = typeof markers.$inferSelect;
