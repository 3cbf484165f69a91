// Who may see a status: the one rule every reader (pages, API, federation) applies, as a predicate for a
// loaded status; lists use the same rule as an SQL condition (visibleTo, db/queries/visibility.ts).
// Followers-only and direct statuses never reach a viewer who is not the author, an accepted follower
// (followers-only) or a mentioned account; a suspended author's statuses reach no one.
import { and, eq } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { visibleTo } from "../db/queries/visibility.ts";
import { accounts, type Status, statuses } from "../db/schema/index.ts";

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
