// Who may see a status: the one rule every reader (pages, API, federation) applies, as a predicate for a
// loaded status and as an SQL condition for lists. Followers-only and direct statuses never reach a
// viewer who is not the author, an accepted follower (followers-only) or a mentioned account.
import { and, eq, or, type SQL, sql } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { follows, type Status, statuses, statusMentions } from "../db/schema/index.ts";

/** SQL condition on `statuses` that is true for the rows `viewerId` (null: anonymous) may see. */
export function visibleTo(viewerId: string | null): SQL {
  const open = or(eq(statuses.visibility, "public"), eq(statuses.visibility, "unlisted"))!;
  if (viewerId === null) return open;
  const mentioned = sql`exists (select 1 from ${statusMentions} where ${statusMentions.statusId} = ${statuses.id} and ${statusMentions.accountId} = ${viewerId})`;
  const follower = sql`exists (select 1 from ${follows} where ${follows.accountId} = ${viewerId} and ${follows.targetAccountId} = ${statuses.accountId} and ${follows.state} = 'accepted')`;
  return or(
    open,
    eq(statuses.accountId, viewerId),
    and(eq(statuses.visibility, "private"), or(follower, mentioned)),
    and(eq(statuses.visibility, "direct"), mentioned),
  )!;
}

/** Whether `viewerId` (null: anonymous) may see `status`. */
export function canSee(
  db: DatabaseLike,
  status: Pick<Status, "id" | "accountId" | "visibility">,
  viewerId: string | null,
): boolean {
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
