// Follow suggestions (Mastodon's /api/v2/suggestions): first the accounts followed by the accounts the
// viewer follows, ranked by how many of them follow each; then active local accounts (posted in the
// last 30 days), ranked by the favourites and boosts their recent posts received. Only accounts that
// chose to be suggested (discoverable), and never the viewer, an account they follow or asked to
// follow, one they block or that blocks them, one they mute, one they dismissed, a suspended or moved
// account, or one on a blocked domain.
import { and, desc, eq, gte, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { sqlTime, sqlTrue } from "../dialect.ts";
import { type Account, accounts, follows } from "../schema/index.ts";
import { accountNotSilencedFor } from "./visibility.ts";

/** Mastodon's names for why an account is suggested. */
export type SuggestionSource = "friends_of_friends" | "most_interactions";

export interface Suggestion {
  account: Account;
  sources: SuggestionSource[];
}

const ACTIVE_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

/** Who may be suggested to `viewerId` at all. */
function eligible(viewerId: string): SQL {
  return sql`${accounts.id} <> ${viewerId}
    and ${accounts.suspendedAt} is null
    and ${accounts.limitedAt} is null
    and ${accounts.movedToAccountId} is null
    and ${accounts.discoverable} = ${sqlTrue()}
    and not exists (select 1 from follows f where f.account_id = ${viewerId} and f.target_account_id = ${accounts.id})
    and ${accountNotSilencedFor(viewerId, accounts.id)}
    and not exists (select 1 from suggestion_dismissals d where d.account_id = ${viewerId} and d.target_account_id = ${accounts.id})
    and (${accounts.domain} is null or ${accounts.domain} not in (select domain from domain_blocks))`;
}

/** Up to `limit` suggestions for `viewerId`, best first. */
export async function suggestionsFor(
  db: DatabaseLike,
  viewerId: string,
  limit: number,
  now = new Date(),
): Promise<Suggestion[]> {
  // Friends of friends: who the accounts I follow follow, by how many of them.
  const byFriends = await db
    .select({ id: accounts.id, n: sql<number>`count(*)`.mapWith(Number).as("n") })
    .from(follows)
    .innerJoin(accounts, eq(accounts.id, follows.targetAccountId))
    .where(
      and(
        eq(follows.state, "accepted"),
        sql`${follows.accountId} in (select target_account_id from follows where account_id = ${viewerId} and state = 'accepted')`,
        eligible(viewerId),
      ),
    )
    // By the account's primary key (the same groups): PostgreSQL then lets the order read its columns.
    .groupBy(accounts.id)
    .orderBy(desc(sql`n`), desc(accounts.followersCount), accounts.id)
    .limit(limit);
  // Active local accounts, by the favourites and boosts of their posts of the last 30 days.
  const since = new Date(now.getTime() - ACTIVE_DAYS * DAY_MS);
  const active = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(isNull(accounts.domain), gte(accounts.lastStatusAt, since), eligible(viewerId)))
    .orderBy(
      desc(sql`(select count(*) from favourites fv join statuses s on s.id = fv.status_id
        where s.account_id = ${accounts.id} and s.created_at >= ${sqlTime(since)})
        + (select count(*) from statuses r join statuses s on s.id = r.reblog_of_id
        where s.account_id = ${accounts.id} and s.created_at >= ${sqlTime(since)})`),
      desc(accounts.lastStatusAt),
      accounts.id,
    )
    .limit(limit);
  const sources = new Map<string, SuggestionSource[]>();
  for (const r of byFriends) sources.set(r.id, ["friends_of_friends"]);
  for (const r of active) sources.set(r.id, [...(sources.get(r.id) ?? []), "most_interactions"]);
  const ids = [...sources.keys()].slice(0, limit);
  if (ids.length === 0) return [];
  const rows = new Map(
    (await db.select().from(accounts).where(inArray(accounts.id, ids))).map((a) => [a.id, a]),
  );
  return ids.flatMap((id) => {
    const account = rows.get(id);
    return account ? [{ account, sources: sources.get(id)! }] : [];
  });
}
