// Notification requests of a local account (what its policy held back, one per sender), paged by id.
import { and, count, eq, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { type NotificationRequest, notificationRequests } from "../schema/index.ts";
import { finishPage, type PageParams, pageConditions, pageOrder } from "./page.ts";
import { senderShownTo } from "./visibility.ts";

// Requests from senders the recipient may not hear from (blocked, muted with notifications hidden,
// suspended) are not listed: the same rule as notifications.
const listed = (accountId: string) => [
  eq(notificationRequests.accountId, accountId),
  senderShownTo(accountId, notificationRequests.fromAccountId),
];

export async function listNotificationRequests(
  db: DatabaseLike,
  accountId: string,
  page: PageParams,
): Promise<NotificationRequest[]> {
  const rows = await db
    .select()
    .from(notificationRequests)
    .where(and(...listed(accountId), ...pageConditions(notificationRequests.id, page)))
    .orderBy(pageOrder(notificationRequests.id, page))
    .limit(page.limit);
  return finishPage(rows, page);
}

export async function findNotificationRequest(
  db: DatabaseLike,
  accountId: string,
  id: string,
): Promise<NotificationRequest | undefined> {
  return (
    await db
      .select()
      .from(notificationRequests)
      .where(and(...listed(accountId), eq(notificationRequests.id, id)))
      .limit(1)
  )[0];
}

/** The policy's summary: how many requests wait, and how many notifications they hold. */
export async function notificationRequestsSummary(db: DatabaseLike, accountId: string) {
  const row = (
    await db
      .select({
        requests: count(),
        notifications:
          sql<number>`coalesce(sum(${notificationRequests.notificationsCount}), 0)`.mapWith(Number),
      })
      .from(notificationRequests)
      .where(and(...listed(accountId)))
      .limit(1)
  )[0];
  return { requests: row?.requests ?? 0, notifications: Number(row?.notifications ?? 0) };
}
