// The profile directory (Mastodon's GET /api/v1/directory): accounts that chose to be discoverable,
// local ones only once approved and confirmed, never suspended, moved or (for a viewer who does not
// follow them) limited; for a signed-in viewer never one they blocked, muted or that blocked them, and,
// across the whole directory, never one on a domain they blocked. Ordered by their latest post
// (`active`, accounts that never posted last) or newest first (`new`), paged by offset.
import { and, desc, isNull, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { DatabaseLike } from "../client.ts";
import { sqlTrue } from "../dialect.ts";
import { type Account, accounts } from "../schema/index.ts";
import { accountNotSilencedFor, authorNotLimitedFor } from "./visibility.ts";

export type DirectoryOrder = "active" | "new";

export interface DirectoryQuery {
  order: DirectoryOrder;
  /** Only this instance's accounts. */
  local: boolean;
  offset: number;
  limit: number;
}

const accountId = accounts.id as SQLiteColumn;

/**
 * A local account is listed only once its sign-up was approved and its address confirmed (Mastodon's
 * `without_unapproved`): an applicant waiting for review has no public presence yet.
 */
function approvedIfLocal(): SQL {
  return sql`(${accounts.domain} is not null or exists (select 1 from users du
    where du.account_id = ${accounts.id} and du.approved_at is not null
    and du.confirmed_at is not null and du.disabled_at is null))`;
}

/** The accounts on domains `viewerId` blocked (their own account_domain_blocks). */
function notOnDomainBlockedBy(viewerId: string): SQL {
  return sql`(${accounts.domain} is null or ${accounts.domain} not in
    (select adb.domain from account_domain_blocks adb where adb.account_id = ${viewerId}))`;
}

/** One page of the profile directory for `viewerId` (null: anonymous). */
export async function directoryAccounts(
  db: DatabaseLike,
  viewerId: string | null,
  query: DirectoryQuery,
): Promise<Account[]> {
  const where: (SQL | undefined)[] = [
    sql`${accounts.discoverable} = ${sqlTrue()}`,
    isNull(accounts.suspendedAt),
    isNull(accounts.movedToAccountId),
    authorNotLimitedFor(viewerId, accountId),
    approvedIfLocal(),
    // The instance's own domain blocks suspend the domain's accounts; an account stored after the
    // block is caught by its domain, as suggestions and trends check it.
    sql`(${accounts.domain} is null or ${accounts.domain} not in (select domain from domain_blocks))`,
    query.local ? isNull(accounts.domain) : undefined,
  ];
  if (viewerId !== null) {
    where.push(accountNotSilencedFor(viewerId, accountId));
    // Mastodon leaves the viewer's domain blocks out of the local directory: no local account has one.
    if (!query.local) where.push(notOnDomainBlockedBy(viewerId));
  }
  const order =
    query.order === "new"
      ? [desc(accounts.id)]
      : // Never-posted accounts last on both stores (SQLite sorts nulls first when descending).
        [sql`${accounts.lastStatusAt} is null`, desc(accounts.lastStatusAt), desc(accounts.id)];
  return await db
    .select()
    .from(accounts)
    .where(and(...where))
    .orderBy(...order)
    .limit(query.limit)
    .offset(query.offset);
}
