// Accounts as moderators see them (Mastodon's admin API): every account, local or known remote, with its
// user row when it signs in here, filtered by origin, standing and text, newest first in id pages.
// Suspended and deleted accounts are included: moderators must find them to lift or review a suspension.
import { and, eq, inArray, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { type Account, accounts, type User, users } from "../schema/index.ts";
import { finishPage, type PageParams, pageConditions, pageOrder } from "./page.ts";

export interface AdminAccountRow {
  account: Account;
  /** null for a remote account. */
  user: User | null;
}

/** The filters of GET /api/v1/admin/accounts and /api/v2/admin/accounts, in one shape. */
export interface AdminAccountFilter {
  origin?: "local" | "remote";
  /** Mastodon's standings; silenced and sensitized never match, as this server does neither yet. */
  status?: "active" | "pending" | "disabled" | "silenced" | "suspended" | "sensitized";
  /** Only administrators (v2's `permissions=staff`, v1's `staff`). */
  staff?: boolean;
  username?: string;
  displayName?: string;
  byDomain?: string;
  email?: string;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const contains = (column: SQL | typeof accounts.username, text: string) =>
  sql`lower(${column}) like ${`%${escapeLike(text.toLowerCase())}%`} escape '\\'`;

function conditions(filter: AdminAccountFilter): SQL[] {
  // A local account without a user is the instance actor (federation/keys.ts): Mastodon's admin lists
  // leave it out, as nobody signs in as it and no moderator action applies to it.
  const out: SQL[] = [sql`(${accounts.domain} is not null or ${users.accountId} is not null)`];
  if (filter.origin === "local") out.push(isNull(accounts.domain));
  if (filter.origin === "remote") out.push(isNotNull(accounts.domain));
  switch (filter.status) {
    case "active":
      out.push(isNull(accounts.suspendedAt), isNull(users.disabledAt));
      break;
    case "pending":
      out.push(isNotNull(users.accountId), isNull(users.approvedAt));
      break;
    case "disabled":
      out.push(isNotNull(users.disabledAt));
      break;
    case "suspended":
      out.push(isNotNull(accounts.suspendedAt));
      break;
    case "silenced":
    case "sensitized":
      out.push(sql`1 = 0`);
      break;
  }
  if (filter.staff) out.push(eq(users.admin, true));
  if (filter.username) {
    out.push(
      sql`lower(${accounts.username}) like ${`${escapeLike(filter.username.toLowerCase())}%`} escape '\\'`,
    );
  }
  if (filter.displayName) out.push(contains(sql`${accounts.displayName}`, filter.displayName));
  if (filter.byDomain) {
    out.push(
      sql`lower(${accounts.domain}) like ${`%${escapeLike(filter.byDomain.toLowerCase())}%`} escape '\\'`,
    );
  }
  if (filter.email) out.push(contains(sql`${users.email}`, filter.email));
  return out;
}

/** One page of accounts matching `filter`, newest first (or from min_id upwards), by account id. */
export async function listAdminAccounts(
  db: DatabaseLike,
  filter: AdminAccountFilter,
  page: PageParams,
): Promise<AdminAccountRow[]> {
  const rows = await db
    .select({ account: accounts, user: users })
    .from(accounts)
    .leftJoin(users, eq(users.accountId, accounts.id))
    .where(and(...conditions(filter), ...pageConditions(accounts.id, page)))
    .orderBy(pageOrder(accounts.id, page))
    .limit(page.limit);
  return finishPage(rows, page);
}

/** Accounts with their user rows, by id (unknown ids left out), in no particular order. */
export async function findAdminAccounts(
  db: DatabaseLike,
  ids: readonly string[],
): Promise<AdminAccountRow[]> {
  if (ids.length === 0) return [];
  return await db
    .select({ account: accounts, user: users })
    .from(accounts)
    .leftJoin(users, eq(users.accountId, accounts.id))
    .where(inArray(accounts.id, [...ids]));
}

/** One account with its user row, suspended or not. */
export async function findAdminAccount(
  db: DatabaseLike,
  id: string,
): Promise<AdminAccountRow | undefined> {
  return (
    await db
      .select({ account: accounts, user: users })
      .from(accounts)
      .leftJoin(users, eq(users.accountId, accounts.id))
      .where(eq(accounts.id, id))
      .limit(1)
  )[0];
}
