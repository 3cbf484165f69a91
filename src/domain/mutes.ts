// Mutes: a local user hides an account's statuses (and, by choice, its notifications) from their own
// timelines. Unlike blocks they are private: nothing is sent to the muted account's server.
import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { type Account, mutes } from "../db/schema/index.ts";
import { badRequest } from "../errors.ts";

/** `account` mutes `target`; muting again updates whether notifications are hidden too. */
export async function muteAccount(
  db: Database,
  account: Account,
  target: Account,
  options: { notifications?: boolean } = {},
): Promise<void> {
  if (account.id === target.id) throw badRequest("You cannot mute yourself");
  const hideNotifications = options.notifications ?? true;
  await db
    .insert(mutes)
    .values({ id: newId(), accountId: account.id, targetAccountId: target.id, hideNotifications })
    .onConflictDoUpdate({
      target: [mutes.accountId, mutes.targetAccountId],
      set: { hideNotifications },
    });
}

/** Removes `account`'s mute of `target`, if any. */
export async function unmuteAccount(
  db: Database,
  account: Account,
  target: Account,
): Promise<boolean> {
  const removed = (
    await db
      .delete(mutes)
      .where(and(eq(mutes.accountId, account.id), eq(mutes.targetAccountId, target.id)))
      .returning()
  )[0];
  return removed !== undefined;
}
