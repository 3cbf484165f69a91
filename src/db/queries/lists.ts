// List reads: a list's members (paged by membership id, as Mastodon's Link headers are) and the
// conditions other timelines take from lists. The list timeline itself is in list-timeline.ts.
import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { sqlTrue } from "../dialect.ts";
import { type Account, accounts, listAccounts, statuses } from "../schema/index.ts";
import type { AccountPage } from "./accounts.ts";
import { finishPage, type PageParams, pageConditions, pageOrder } from "./page.ts";
import type { Viewer } from "./visibility.ts";

/** A page of the list's members; `page` undefined reads them all (Mastodon's limit=0). */
export async function listMembers(
  db: DatabaseLike,
  listId: string,
  page?: PageParams,
): Promise<AccountPage> {
  const rows = (await db
    .select({ key: listAccounts.id, account: accounts })
    .from(listAccounts)
    .innerJoin(accounts, eq(accounts.id, listAccounts.accountId))
    .where(
      and(
        eq(listAccounts.listId, listId),
        isNull(accounts.suspendedAt),
        ...(page ? pageConditions(listAccounts.id, page) : []),
      ),
    )
    .orderBy(pageOrder(listAccounts.id, page ?? { limit: 0 }))
    .limit(page?.limit ?? -1)) as { key: string; account: Account }[];
  const ordered = page ? finishPage(rows, page) : rows;
  return { accounts: ordered.map((r) => r.account), keys: ordered.map((r) => r.key) };
}

/**
 * Whether the viewer has an exclusive list, as an SQL expression (one read of the partial index
 * lists_exclusive_idx): every home page asks it (timelines.ts homeContext), so that only such viewers
 * pay for notInExclusiveList.
 */
export function hasExclusiveList(viewer: Viewer): SQL {
  return sql`exists (select 1 from lists el
    where el.account_id = ${viewer} and el.exclusive = ${sqlTrue()})`;
}

/**
 * The status row's author is on none of the viewer's exclusive lists (Mastodon 4.2+ keeps them out of
 * home). Per status: one probe per exclusive list of the viewer (the partial index, then the
 * (list_id, account_id) unique index), whatever the author's popularity. The viewer's own statuses
 * stay, as in Mastodon.
 */
export function notInExclusiveList(viewer: Viewer): SQL {
  return sql`(${statuses.accountId} = ${viewer} or not exists (select 1 from lists xl
    where xl.account_id = ${viewer} and xl.exclusive = ${sqlTrue()} and exists (select 1 from list_accounts xla
      where xla.list_id = xl.id and xla.account_id = ${statuses.accountId})))`;
}
