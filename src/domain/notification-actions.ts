// What a local account does with its own notifications: dismiss one or clear them all.
import { and, eq } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { notifications } from "../db/schema/index.ts";
import { notFound } from "../errors.ts";

export function dismissNotification(db: DatabaseLike, accountId: string, id: string): void {
  const result = db
    .delete(notifications)
    .where(and(eq(notifications.accountId, accountId), eq(notifications.id, id)))
    .run();
  if (result.changes === 0) throw notFound();
}

export function clearNotifications(db: DatabaseLike, accountId: string): void {
  db.delete(notifications).where(eq(notifications.accountId, accountId)).run();
}
