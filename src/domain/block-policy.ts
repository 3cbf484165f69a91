// The one rule every door meets: no follow, favourite or boost across a block, whichever side made it;
// and no follow with, nor notification from, an account on a domain the local user blocked.
// It lives here, not in a route, so the API, the pages, the remote-follow page and the inbox all refuse
// alike; each door maps AcrossBlockError to its own answer.
import { and, eq, or } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { type Account, accountDomainBlocks, blocks } from "../db/schema/index.ts";
import { AppError } from "../errors.ts";

/** A follow, favourite or boost refused because one of the two accounts blocks the other. */
export class AcrossBlockError extends AppError {
  constructor() {
    // Mastodon's answer (403, "This action is not allowed") for following someone who blocks you.
    super("forbidden", "This action is not allowed");
  }
}

/** Whether either account blocks the other. */
export async function blockedEitherWay(
  db: DatabaseLike,
  accountId: string,
  otherId: string,
): Promise<boolean> {
  const row = (
    await db
      .select({ id: blocks.id })
      .from(blocks)
      .where(
        or(
          and(eq(blocks.accountId, accountId), eq(blocks.targetAccountId, otherId)),
          and(eq(blocks.accountId, otherId), eq(blocks.targetAccountId, accountId)),
        ),
      )
      .limit(1)
  )[0];
  return row !== undefined;
}

/** Whether `accountId` blocked `targetId` (one way). */
export async function hasBlocked(
  db: DatabaseLike,
  accountId: string,
  targetId: string,
): Promise<boolean> {
  const row = (
    await db
      .select({ id: blocks.id })
      .from(blocks)
      .where(and(eq(blocks.accountId, accountId), eq(blocks.targetAccountId, targetId)))
      .limit(1)
  )[0];
  return row !== undefined;
}

/** Throws AcrossBlockError when `accountId` and `otherId` are on two sides of a block. */
export async function refuseAcrossBlock(
  db: DatabaseLike,
  accountId: string,
  otherId: string,
): Promise<void> {
  if (await blockedEitherWay(db, accountId, otherId)) throw new AcrossBlockError();
}

/** Whether `accountId` blocked the domain `account` is on (never for a local account). */
export async function isOnDomainBlockedBy(
  db: DatabaseLike,
  accountId: string,
  account: Pick<Account, "domain">,
): Promise<boolean> {
  if (account.domain === null) return false;
  return (
    (
      await db
        .select({ id: accountDomainBlocks.id })
        .from(accountDomainBlocks)
        .where(
          and(
            eq(accountDomainBlocks.accountId, accountId),
            eq(accountDomainBlocks.domain, account.domain),
          ),
        )
        .limit(1)
    )[0] !== undefined
  );
}
