// Reads of a user's own domain blocks (domain/account-domain-blocks.ts writes them): the API's paged list
// and the settings page's full one.
import { and, asc, eq } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { type AccountDomainBlock, accountDomainBlocks } from "../schema/index.ts";
import { finishPage, type PageParams, pageConditions, pageOrder } from "./page.ts";

/** A page of `accountId`'s blocked domains, newest block first (paged by the entries' ids). */
export async function domainBlocksOf(
  db: DatabaseLike,
  accountId: string,
  page: PageParams,
): Promise<AccountDomainBlock[]> {
  const rows = await db
    .select()
    .from(accountDomainBlocks)
    .where(
      and(
        eq(accountDomainBlocks.accountId, accountId),
        ...pageConditions(accountDomainBlocks.id, page),
      ),
    )
    .orderBy(pageOrder(accountDomainBlocks.id, page))
    .limit(page.limit);
  return finishPage(rows, page);
}

/** Every domain `accountId` blocked, alphabetically (the settings page; a user has few). */
export async function allDomainBlocksOf(db: DatabaseLike, accountId: string): Promise<string[]> {
  return (
    await db
      .select({ domain: accountDomainBlocks.domain })
      .from(accountDomainBlocks)
      .where(eq(accountDomainBlocks.accountId, accountId))
      .orderBy(asc(accountDomainBlocks.domain))
  ).map((r) => r.domain);
}
