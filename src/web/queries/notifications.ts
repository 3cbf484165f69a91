// Reads of a local account's notifications: the list with who caused each one. What is unread is what
// is newer than the notifications marker (db/queries/notifications.ts counts it).
import { and, desc, eq, lt } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import {
  type Account,
  accounts,
  type Notification,
  notifications,
  type Status,
  statuses,
} from "../../db/schema/index.ts";

export interface NotificationView {
  notification: Notification;
  from: Account;
  status: Status | null;
}

/** A page of notifications, newest first. */
export function listNotifications(
  db: Database,
  accountId: string,
  maxId: string | null,
  limit = 30,
): { items: NotificationView[]; next: string | null } {
  const rows = db
    .select({ notification: notifications, from: accounts, status: statuses })
    .from(notifications)
    .innerJoin(accounts, eq(accounts.id, notifications.fromAccountId))
    .leftJoin(statuses, eq(statuses.id, notifications.statusId))
    .where(
      and(
        eq(notifications.accountId, accountId),
        maxId === null ? undefined : lt(notifications.id, maxId),
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(limit + 1)
    .all();
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? items[items.length - 1]!.notification.id : null };
}
