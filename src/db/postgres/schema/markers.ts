// PostgreSQL's read markers: the table of src/db/schema/markers.ts.
import { integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import type { MarkerTimeline } from "../../schema/markers.ts";
import { accounts } from "./accounts.ts";
import { timestamp } from "./columns.ts";

export const markers = pgTable(
  "markers",
  {
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    timeline: text("timeline").$type<MarkerTimeline>().notNull(),
    lastReadId: text("last_read_id").notNull(),
    version: integer("version").notNull().default(0),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.timeline] })],
);
