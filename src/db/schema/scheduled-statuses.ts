// Statuses a local account has written to be published later (Mastodon's scheduled statuses). The row
// keeps what was posted as the publish parameters; its images wait in media_attachments, held by
// scheduled_status_id, until the scheduler publishes the status and deletes the row.
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { createdAt, id, timestamp } from "./columns.ts";
import type { QuotePolicy, Visibility } from "./statuses.ts";

/** What POST /api/v1/statuses was given, kept to publish it as given. */
export interface ScheduledStatusParams {
  text: string;
  /** The held images, in display order. */
  mediaIds: string[];
  sensitive: boolean | null;
  spoilerText: string | null;
  visibility: Visibility | null;
  inReplyToId: string | null;
  language: string | null;
  /** The OAuth application that scheduled it, shown as Mastodon's params.application_id. */
  applicationId: string | null;
  /** Keep the post out of dataset exports (absent in rows from before the opt-out: false). */
  datasetOptOut?: boolean;
  /** The poll to publish with it; its end counts from publication (absent in rows from before polls). */
  poll?: {
    options: string[];
    expiresIn: number;
    multiple: boolean;
    hideTotals: boolean;
  } | null;
  /** The status to quote and who may quote this one (absent in rows from before quotes). */
  quotedStatusId?: string | null;
  quotePolicy?: QuotePolicy | null;
}

export const scheduledStatuses = sqliteTable(
  "scheduled_statuses",
  {
    id: id(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    scheduledAt: timestamp("scheduled_at").notNull(),
    params: text("params", { mode: "json" }).$type<ScheduledStatusParams>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // The scheduler reads the next due row; the API pages each account's rows by id.
    index("scheduled_statuses_due_idx").on(t.scheduledAt),
    index("scheduled_statuses_account_idx").on(t.accountId, t.id),
  ],
);

export type ScheduledStatus = typeof scheduledStatuses.$inferSelect;
