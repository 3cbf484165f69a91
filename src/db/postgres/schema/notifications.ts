// PostgreSQL's notifications, notification policies, requests and permissions: the tables of
// src/db/schema/notifications.ts.
import { index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { NotificationPolicyAction, NotificationType } from "../../schema/notifications.ts";
import { accounts } from "./accounts.ts";
import { counter, createdAt, flag, id, timestamp } from "./columns.ts";
import { reports } from "./moderation.ts";
import { statuses } from "./statuses.ts";

export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    type: text("type").$type<NotificationType>().notNull(),
    fromAccountId: text("from_account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    statusId: text("status_id").references(() => statuses.id, { onDelete: "cascade" }),
    reportId: text("report_id").references(() => reports.id, { onDelete: "cascade" }),
    emoji: text("emoji"),
    groupKey: text("group_key"),
    filtered: flag("filtered"),
    createdAt: createdAt(),
  },
  (t) => [
    index("notifications_account_idx").on(t.accountId, t.id),
    index("notifications_group_idx").on(t.accountId, t.groupKey, t.id),
    index("notifications_status_idx").on(t.statusId, t.accountId),
  ],
);

const policyAction = (name: string) =>
  text(name).$type<NotificationPolicyAction>().notNull().default("accept");

export const notificationPolicies = pgTable("notification_policies", {
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

export const notificationRequests = pgTable(
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

export const notificationPermissions = pgTable(
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
