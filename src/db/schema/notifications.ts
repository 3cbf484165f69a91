// Notifications for local accounts, in Mastodon's types.
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { createdAt, id } from "./columns.ts";
import { reports } from "./moderation.ts";
import { statuses } from "./statuses.ts";

export type NotificationType =
  | "mention"
  | "status"
  | "reblog"
  | "follow"
  | "follow_request"
  | "favourite"
  | "poll"
  | "update"
  | "admin.sign_up"
  | "admin.report"
  | "moved"
  | "emoji_reaction";

export const notifications = sqliteTable(
  "notifications",
  {
    id: id(),
    /** The local account notified. */
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    type: text("type").$type<NotificationType>().notNull(),
    /** Who caused it. */
    fromAccountId: text("from_account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    statusId: text("status_id").references(() => statuses.id, { onDelete: "cascade" }),
    reportId: text("report_id").references(() => reports.id, { onDelete: "cascade" }),
    /** For emoji reactions. */
    emoji: text("emoji"),
    createdAt: createdAt(),
  },
  (t) => [index("notifications_account_idx").on(t.accountId, t.id)],
);

export type Notification = typeof notifications.$inferSelect;
