// PostgreSQL's scheduled statuses: the table of src/db/schema/scheduled-statuses.ts.
import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import type { ScheduledStatusParams } from "../../schema/scheduled-statuses.ts";
import { accounts } from "./accounts.ts";
import { createdAt, id, timestamp } from "./columns.ts";

export const scheduledStatuses = pgTable(
  "scheduled_statuses",
  {
    id: id(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    scheduledAt: timestamp("scheduled_at").notNull(),
    params: jsonb("params").$type<ScheduledStatusParams>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("scheduled_statuses_due_idx").on(t.scheduledAt),
    index("scheduled_statuses_account_idx").on(t.accountId, t.id),
  ],
);
