// Suspending a local account (an administrator's decision, reversible), as Mastodon does: the account
// cannot sign in, its tokens stop answering, its web sessions end, and it and its posts are hidden
// everywhere while `accounts.suspended_at` is set. That one column is the rule: every read that hides
// suspended accounts (account lookups, timelines, the actor dispatcher, token resolution) checks it, so the
// API, the pages and federation hide the account alike. Nothing is deleted, so unsuspending brings it all
// back. No activity is federated (Mastodon sends none either for a reversible suspension; other servers
// just stop seeing the actor until it returns).
import { and, eq, isNull, ne } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { returned } from "../db/returned.ts";
import { type Account, accounts, oauthAuthorizationCodes, users } from "../db/schema/index.ts";
import { conflict, notFound } from "../errors.ts";
import { logger } from "../logging.ts";
import { findLocalAccount } from "./accounts.ts";
import { endWebSessions } from "./credentials.ts";
import { accountLabel, type ModeratorRef, recordModeration } from "./moderation-log.ts";

const log = logger("domain", "suspensions");

/** A local account that exists and was not deleted by its owner. */
async function liveLocalAccount(db: DatabaseLike, username: string): Promise<Account> {
  const account = await findLocalAccount(db, username);
  if (account === undefined) throw notFound(`No local user named "${username}"`);
  if (account.deletedAt !== null) throw conflict(`@${account.username} was deleted`);
  return account;
}

/** Suspends a local account; refuses an already suspended one and the last active administrator. */
export async function suspendLocalAccount(
  db: DatabaseLike,
  username: string,
  by: ModeratorRef,
  now = new Date(),
): Promise<Account> {
  const account = await liveLocalAccount(db, username);
  if (account.suspendedAt !== null) throw conflict(`@${account.username} is already suspended`);
  const suspended = await db.transaction(async (tx) => {
    const user = (await tx.select().from(users).where(eq(users.accountId, account.id)).limit(1))[0];
    if (user?.admin === true) {
      const otherAdmin = (
        await tx
          .select({ id: users.accountId })
          .from(users)
          .innerJoin(accounts, eq(accounts.id, users.accountId))
          .where(
            and(
              eq(users.admin, true),
              ne(users.accountId, account.id),
              isNull(accounts.suspendedAt),
            ),
          )
          .limit(1)
      )[0];
      if (otherAdmin === undefined) {
        throw conflict("This is the only active administrator: it cannot be suspended.");
      }
    }
    // Tokens stay (they answer 401 while suspended, as Mastodon keeps them); sessions and pending codes
    // end so nothing half-signed-in survives the suspension.
    await endWebSessions(tx, account.id);
    await tx
      .delete(oauthAuthorizationCodes)
      .where(eq(oauthAuthorizationCodes.accountId, account.id));
    await recordModeration(tx, {
      ...by,
      action: "account.suspend",
      targetType: "account",
      targetId: account.id,
      targetLabel: accountLabel(account),
    });
    return returned(
      await tx
        .update(accounts)
        .set({ suspendedAt: now })
        .where(eq(accounts.id, account.id))
        .returning(),
    );
  });
  log.info("Suspended local account {username}.", { username: account.username });
  return suspended;
}

/** Lifts a suspension; refuses an account that is not suspended (or was deleted). */
export async function unsuspendLocalAccount(
  db: Database,
  username: string,
  by: ModeratorRef,
): Promise<Account> {
  const account = await liveLocalAccount(db, username);
  if (account.suspendedAt === null) throw conflict(`@${account.username} is not suspended`);
  await recordModeration(db, {
    ...by,
    action: "account.unsuspend",
    targetType: "account",
    targetId: account.id,
    targetLabel: accountLabel(account),
  });
  const restored = returned(
    await db
      .update(accounts)
      .set({ suspendedAt: null })
      .where(eq(accounts.id, account.id))
      .returning(),
  );
  log.info("Unsuspended local account {username}.", { username: account.username });
  return restored;
}
