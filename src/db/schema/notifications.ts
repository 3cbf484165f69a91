// Notifications for local accounts, in Mastodon's types.
import { index, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { counter, createdAt, flag, id, timestamp } from "./columns.ts";
import { accountWarnings, reports } from "./moderation.ts";
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
  | "emoji_reaction"
  | "moderation_warning"
  | "quote"
  | "quoted_update";

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
    /** For `moderation_warning`: the warning the moderator sent. */
    warningId: text("warning_id").references(() => accountWarnings.id, { onDelete: "cascade" }),
    /** For emoji reactions. */
    emoji: text("emoji"),
    /**
     * Mastodon's group key, set when the notification is written ("favourite-<status>-<hour bucket>");
     * null for types that are never grouped (they are shown as "ungrouped-<id>").
     */
    groupKey: text("group_key"),
    /** Held back by the recipient's notification policy: shown only in its notification request. */
    filtered: flag("filtered"),
    createdAt: createdAt(),
  },
  (t) => [
    index("notifications_account_idx").on(t.accountId, t.id),
    index("notifications_group_idx").on(t.accountId, t.groupKey, t.id),
    // "Was this account already told of this status?" (a mention once per status, edits included).
    index("notifications_status_idx").on(t.statusId, t.accountId),
  ],
);

export type Notification = typeof notifications.$inferSelect;

/** What a notification policy does with notifications of one kind of sender (Mastodon 4.3). */
export type NotificationPolicyAction = "accept" | "filter" | "drop";

const policyAction = (name: string) =>
  text(name).$type<NotificationPolicyAction>().notNull().default("accept");

/** A local account's notification policy; no row means accept everything. */
export const notificationPolicies = sqliteTable("notification_policies", {
  accountId: text("account_id")
    .primaryKey()
    .references(() => accounts.id, { onDelete: "cascade" }),
  forNotFollowing: policyAction("for_not_following"),
  forNotFollowers: policyAction("for_not_followers"),
  forNewAccounts: policyAction("for_new_accounts"),
  forPrivateMentions: policyAction("for_private_mentions"),
  forLimitedAccounts: policyAction("for_limited_accounts"),
  updatedAt: timestamp("updated_at").notNull(),
});

export type NotificationPolicy = typeof notificationPolicies.$inferSelect;

/** Notifications from one sender held back by the policy, waiting for the recipient to accept them. */
export const notificationRequests = sqliteTable(
  "notification_requests",
  {
    id: id(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    fromAccountId: text("from_account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    lastStatusId: text("last_status_id").references(() => statuses.id, { onDelete: "set null" }),
    notificationsCount: counter("notifications_count"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [uniqueIndex("notification_requests_pair_unique").on(t.accountId, t.fromAccountId)],
);

export type NotificationRequest = typeof notificationRequests.$inferSelect;

/** Senders whose request the recipient accepted: their notifications pass the policy from then on. */
export const notificationPermissions = sqliteTable(
  "notification_permissions",
  {
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    fromAccountId: text("from_account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.fromAccountId] })],
);
