// What a local account does with its own notifications: dismiss one, a group or all of them, and accept
// or dismiss the notification requests its policy held back.
import { and, eq, inArray } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { changedRows } from "../db/dialect.ts";
import {
  notificationPermissions,
  notificationRequests,
  notifications,
} from "../db/schema/index.ts";
import { notFound } from "../errors.ts";

export async function dismissNotification(
  db: DatabaseLike,
  accountId: string,
  id: string,
): Promise<void> {
  const result = await db
    .delete(notifications)
    .where(and(eq(notifications.accountId, accountId), eq(notifications.id, id)));
  if (changedRows(result) === 0) throw notFound();
}

/** Dismisses every notification of a group ("ungrouped-<id>" is the one notification). */
export async function dismissNotificationGroup(
  db: DatabaseLike,
  accountId: string,
  groupKey: string,
) {
  const single = /^ungrouped-(\d+)$/.exec(groupKey);
  if (single) return await dismissNotification(db, accountId, single[1]!);
  const result = await db
    .delete(notifications)
    .where(and(eq(notifications.accountId, accountId), eq(notifications.groupKey, groupKey)));
  if (changedRows(result) === 0) throw notFound();
}

export async function clearNotifications(db: DatabaseLike, accountId: string): Promise<void> {
  await db.delete(notifications).where(eq(notifications.accountId, accountId));
}

async function requestsOf(db: DatabaseLike, accountId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return await db
    .select()
    .from(notificationRequests)
    .where(
      and(
        eq(notificationRequests.accountId, accountId),
        inArray(notificationRequests.id, [...ids]),
      ),
    );
}

/** The notifications a request holds back: from that sender to that recipient, still filtered. */
const heldBack = (accountId: string, fromAccountId: string) =>
  and(
    eq(notifications.accountId, accountId),
    eq(notifications.fromAccountId, fromAccountId),
    eq(notifications.filtered, true),
  );

/**
 * Accepts requests: their senders pass the policy from now on and what was held back joins the
 * notifications list. Unknown ids are skipped (the bulk form), `strict` makes one a 404.
 */
export async function acceptNotificationRequests(
  db: DatabaseLike,
  accountId: string,
  ids: readonly string[],
  strict = false,
): Promise<void> {
  await db.transaction(async (tx) => {
    const found = await requestsOf(tx, accountId, ids);
    if (strict && found.length === 0) throw notFound();
    for (const request of found) {
      await tx
        .insert(notificationPermissions)
        .values({ accountId, fromAccountId: request.fromAccountId })
        .onConflictDoNothing();
      await tx
        .update(notifications)
        .set({ filtered: false })
        .where(heldBack(accountId, request.fromAccountId));
      await tx.delete(notificationRequests).where(eq(notificationRequests.id, request.id));
    }
  });
}

/** Dismisses requests and the notifications they held back; the sender stays filtered. */
export async function dismissNotificationRequests(
  db: DatabaseLike,
  accountId: string,
  ids: readonly string[],
  strict = false,
): Promise<void> {
  await db.transaction(async (tx) => {
    const found = await requestsOf(tx, accountId, ids);
    if (strict && found.length === 0) throw notFound();
    for (const request of found) {
      await tx.delete(notifications).where(heldBack(accountId, request.fromAccountId));
      await tx.delete(notificationRequests).where(eq(notificationRequests.id, request.id));
    }
  });
}
