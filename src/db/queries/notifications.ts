// Notification reads for a local account: pages filtered by type or by who caused them, one by id, and
// the unread count after the notifications marker.
import { and, eq, gt, inArray, notInArray, type SQL } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { markers, type Notification, notifications } from "../schema/index.ts";
import { finishPage, type PageParams, pageConditions, pageOrder } from "./page.ts";
import { notificationShownTo } from "./visibility.ts";

export interface NotificationFilters {
  types?: string[] | undefined;
  excludeTypes?: string[] | undefined;
  accountId?: string | undefined;
  /** Also the notifications the policy held back (v2's include_filtered). */
  includeFiltered?: boolean | undefined;
}

export function filterWhere(accountId: string, filters: NotificationFilters): SQL[] {
  const where: SQL[] = [eq(notifications.accountId, accountId)];
  if (filters.types && filters.types.length > 0) {
    where.push(inArray(notifications.type, filters.types as Notification["type"][]));
  }
  if (filters.excludeTypes && filters.excludeTypes.length > 0) {
    where.push(notInArray(notifications.type, filters.excludeTypes as Notification["type"][]));
  }
  if (filters.accountId) where.push(eq(notifications.fromAccountId, filters.accountId));
  if (!filters.includeFiltered) where.push(eq(notifications.filtered, false));
  where.push(notificationShownTo(accountId));
  return where;
}

export async function listNotifications(
  db: DatabaseLike,
  accountId: string,
  filters: NotificationFilters,
  page: PageParams,
): Promise<Notification[]> {
  const rows = await db
    .select()
    .from(notifications)
    .where(and(...filterWhere(accountId, filters), ...pageConditions(notifications.id, page)))
    .orderBy(pageOrder(notifications.id, page))
    .limit(page.limit);
  return finishPage(rows, page);
}

/**
 * Of `ids`, the notifications of `accountId` that its list shows (the same block and mute rules as
 * listNotifications), oldest first: the streaming API sends only these.
 */
export async function shownNotifications(
  db: DatabaseLike,
  accountId: string,
  ids: readonly string[],
): Promise<Notification[]> {
  if (ids.length === 0) return [];
  return await db
    .select()
    .from(notifications)
    .where(and(...filterWhere(accountId, {}), inArray(notifications.id, [...ids])))
    .orderBy(notifications.id);
}

export async function findNotification(
  db: DatabaseLike,
  accountId: string,
  id: string,
): Promise<Notification | undefined> {
  return (
    await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.accountId, accountId), eq(notifications.id, id)))
      .limit(1)
  )[0];
}

/** The conditions for notifications after the account's notifications marker (none without one). */
export async function unreadWhere(
  db: DatabaseLike,
  accountId: string,
  filters: NotificationFilters,
) {
  const marker = (
    await db
      .select({ lastReadId: markers.lastReadId })
      .from(markers)
      .where(and(eq(markers.accountId, accountId), eq(markers.timeline, "notifications")))
      .limit(1)
  )[0];
  const where = filterWhere(accountId, filters);
  if (marker !== undefined) where.push(gt(notifications.id, marker.lastReadId));
  return where;
}

/** Notifications newer than the account's notifications marker (all of them without a marker), capped. */
export async function countUnreadNotifications(
  db: DatabaseLike,
  accountId: string,
  filters: NotificationFilters,
  cap: number,
): Promise<number> {
  const where = await unreadWhere(db, accountId, filters);
  const rows = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(...where))
    .limit(cap);
  return rows.length;
}
