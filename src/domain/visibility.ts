// Who may see a status: the one rule every reader (pages, API, federation) applies, as a predicate for a
// loaded status and as an SQL condition for lists. Followers-only and direct statuses never reach a
// viewer who is not the author, an accepted follower (followers-only) or a mentioned account.
import { and, eq, or, type SQL, sql } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { authorNotSuspended } from "../db/queries/visibility.ts";
import { accounts, follows, type Status, statuses, statusMentions } from "../db/schema/index.ts";

/**
 * SQL condition on `statuses` that is true for the rows `viewerId` (null: anonymous) may see; a
 * suspended author's rows are seen by no one while the suspension lasts.
 */
export function visibleTo(viewerId: string | null): SQL {
  const open = or(eq(statuses.visibility, "public"), eq(statuses.visibility, "unlisted"))!;
  const shown = authorNotSuspended();
  if (viewerId === null) return and(shown, open)!;
  const mentioned = sql`exists (select 1 from ${statusMentions} where ${statusMentions.statusId} = ${statuses.id} and ${statusMentions.accountId} = ${viewerId})`;
  const follower = sql`exists (select 1 from ${follows} where ${follows.accountId} = ${viewerId} and ${follows.targetAccountId} = ${statuses.accountId} and ${follows.state} = 'accepted')`;
  return and(
    shown,
    or(
      open,
      eq(statuses.accountId, viewerId),
      and(eq(statuses.visibility, "private"), or(follower, mentioned)),
      and(eq(statuses.visibility, "direct"), mentioned),
    ),
  )!;
}

/** Whether `viewerId` (null: anonymous) may see `status`. */
export function canSee(
  db: DatabaseLike,
  status: Pick<Status, "id" | "accountId" | "visibility">,
  viewerId: string | null,
): boolean {
  if (isSuspendedAccount(db, status.accountId)) return false;
  if (status.visibility === "public" || status.visibility === "unlisted") return true;
  if (viewerId === null) return false;
  if (status.accountId === viewerId) return true;
  const row = db
    .select({ id: statuses.id })
    .from(statuses)
    .where(and(eq(statuses.id, status.id), visibleTo(viewerId)))
    .get();
  return row !== undefined;
}

/** Whether the account is suspended (its posts and profile are hidden from everyone meanwhile). */
export function isSuspendedAccount(db: DatabaseLike, accountId: string): boolean {
  const row = db
    .select({ suspendedAt: accounts.suspendedAt })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .get();
  return row !== undefined && row.suspendedAt !== null;
}
