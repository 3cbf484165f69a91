// A user's own domain blocks (Mastodon's account domain blocks): one local account stops hearing from a
// whole remote domain. Blocking stores the entry and, in the same transaction, ends follows both ways
// (an Undo(Follow) for each of the user's follows there, a Reject for each follower or follow request from
// there, so that server drops them too) and clears the notifications from that domain, as Mastodon's
// AfterBlockDomainFromAccountService. What stays hidden afterwards (statuses in timelines, threads,
// search and streams; notifications) is the visibility rule's part (db/queries/visibility.ts); new
// follows either way and notifications from there are refused by followAccount, receiveFollow and
// addNotification through isOnDomainBlockedBy (block-policy.ts). The instance's own block list is
// moderation.ts.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import {
  type Account,
  accountDomainBlocks,
  accounts,
  follows,
  notifications,
} from "../db/schema/index.ts";
import { badRequest, unprocessable } from "../errors.ts";
import { recordEvent } from "./events.ts";
import { removeFollow } from "./follows.ts";
import { canonicalDomain } from "./moderation.ts";

/**
 * The stored form of a domain a user typed (a host, host:port, or a URL), canonicalDomain's; 422 when it
 * is not a host or is this instance's own (`ownHost`, host[:port] of the origin): a user cannot block
 * their own server's accounts wholesale, and accounts here have no domain to match.
 */
export function normalizeUserBlockedDomain(input: string | undefined, ownHost: string): string {
  let host = (input ?? "").trim();
  if (host === "") throw unprocessable("Validation failed: Domain can't be blank");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
    try {
      host = new URL(host).host;
    } catch {
      throw unprocessable("Validation failed: Domain is not a valid domain name");
    }
  }
  const domain = canonicalDomain(host);
  if (domain === null) throw unprocessable("Validation failed: Domain is not a valid domain name");
  if (domain === canonicalDomain(ownHost)) {
    throw unprocessable("Validation failed: Domain cannot be this server's own");
  }
  return domain;
}

/**
 * `account` (local) blocks `input`'s domain. Idempotent: blocking again changes nothing and ends
 * nothing more. Returns the stored domain and how many follows ended.
 */
export async function blockDomainForAccount(
  db: Database,
  account: Account,
  input: string | undefined,
  ownHost: string,
): Promise<{ domain: string; created: boolean; endedFollows: number }> {
  if (account.domain !== null) throw badRequest("Only local accounts block domains here");
  const domain = normalizeUserBlockedDomain(input, ownHost);
  return await db.transaction(async (tx) => {
    const inserted = (
      await tx
        .insert(accountDomainBlocks)
        .values({ id: newId(), accountId: account.id, domain })
        .onConflictDoNothing()
        .returning()
    )[0];
    if (inserted === undefined) return { domain, created: false, endedFollows: 0 };
    const there = (
      await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.domain, domain))
    ).map((a) => a.id);
    if (there.length === 0) return { domain, created: true, endedFollows: 0 };
    const ended = await tx
      .select()
      .from(follows)
      .where(
        sql`(${follows.accountId} = ${account.id} and ${inArray(follows.targetAccountId, there)})
          or (${follows.targetAccountId} = ${account.id} and ${inArray(follows.accountId, there)})`,
      );
    for (const follow of ended) {
      await removeFollow(tx, follow);
      const ending = {
        followId: follow.id,
        followIri: follow.iri,
        accountId: follow.accountId,
        targetAccountId: follow.targetAccountId,
      };
      // Ours: Undo(Follow). Theirs (accepted or still a request): Reject, so their server forgets it.
      await recordEvent(
        tx,
        follow.accountId === account.id
          ? { type: "follow.undone", ...ending }
          : { type: "follow.rejected", ...ending },
      );
    }
    await tx
      .delete(notifications)
      .where(
        and(eq(notifications.accountId, account.id), inArray(notifications.fromAccountId, there)),
      );
    return { domain, created: true, endedFollows: ended.length };
  });
}

/** `account` lifts its block of `input`'s domain; whether there was one. Follows do not come back. */
export async function unblockDomainForAccount(
  db: Database,
  account: Account,
  input: string | undefined,
  ownHost: string,
): Promise<boolean> {
  const domain = normalizeUserBlockedDomain(input, ownHost);
  const removed = (
    await db
      .delete(accountDomainBlocks)
      .where(
        and(eq(accountDomainBlocks.accountId, account.id), eq(accountDomainBlocks.domain, domain)),
      )
      .returning()
  )[0];
  return removed !== undefined;
}
