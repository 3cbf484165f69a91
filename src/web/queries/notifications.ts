// Reads of a local account's notifications: the list with who caused each one, and the unread count.
import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";
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

export function countUnreadNotifications(db: Database, accountId: string): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(notifications)
      .where(and(eq(notifications.accountId, accountId), isNull(notifications.readAt)))
      .get()?.n ?? 0
  );
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

/** Marks every notification up to `upToId` read. */
export function markNotificationsRead(db: Database, accountId: string, upToId: string): void {
  db.update(notifications)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(notifications.accountId, accountId),
        isNull(notifications.readAt),
        sql`${notifications.id} <= ${upToId}`,
      ),
    )
    .run();
}
