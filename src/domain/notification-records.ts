// Writes notifications for local accounts when something happens to them (a follow, a like, a mention).
// Remote accounts are never notified here: their own servers do that.
import { and, eq, isNull } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { accounts, type NotificationType, notifications } from "../db/schema/index.ts";

export interface NotificationInput {
  accountId: string;
  fromAccountId: string;
  type: NotificationType;
  statusId?: string | null;
  reportId?: string | null;
  emoji?: string | null;
}

/** Adds a notification if the recipient is local and not the actor itself. Returns its id or null. */
export function addNotification(db: DatabaseLike, input: NotificationInput): string | null {
  if (input.accountId === input.fromAccountId) return null;
  const local = db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.id, input.accountId), isNull(accounts.domain)))
    .get();
  if (local === undefined) return null;
  const id = newId();
  db.insert(notifications)
    .values({
      id,
      accountId: input.accountId,
      fromAccountId: input.fromAccountId,
      type: input.type,
      statusId: input.statusId ?? null,
      reportId: input.reportId ?? null,
      emoji: input.emoji ?? null,
    })
    .run();
  return id;
}
