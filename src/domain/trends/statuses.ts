// Trending statuses: the refresh. New favourites, boosts and replies since the last refresh (read by
// primary key from the cursor, at most BATCH of each) name the statuses to score, together with those
// trending now (so they decay). Each is scored from the distinct accounts that favourited, boosted or
// replied to it — each account once however it engaged, never the author, never a suspended account —
// and statuses younger than STATUS_MAX_AGE_MS only. Scores under the threshold leave the table.
import { and, asc, gte, inArray, isNotNull, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { rawRows } from "../../db/dialect.ts";
import { idFloor } from "../../db/ids.ts";
import { mayTrend, STATUS_DECAY_THRESHOLD } from "../../db/queries/trends.ts";
import { favourites, statuses, statusTrends } from "../../db/schema/index.ts";
import { BATCH, reachedUntil, readFrom, saveReadUntil } from "./cursor.ts";
import { STATUS_MAX_AGE_MS, statusScore } from "./scores.ts";

/** Candidates are scored this many at a time (one query each), to keep each statement small. */
const CHUNK = 500;

export interface StatusRefresh {
  /** Statuses scored. */
  scored: number;
  /** Statuses trending afterwards. */
  trending: number;
}

/** Recomputes the trending statuses as of `now`, reading only what changed since the last refresh. */
export async function refreshStatusTrends(db: Database, now: Date): Promise<StatusRefresh> {
  const oldest = new Date(now.getTime() - STATUS_MAX_AGE_MS);
  const floor = idFloor(await readFrom(db, "statuses", oldest));
  const liked = await db
    .select({ id: favourites.id, target: favourites.statusId })
    .from(favourites)
    .where(gte(favourites.id, floor))
    .orderBy(asc(favourites.id))
    .limit(BATCH);
  const answered = await db
    .select({
      id: statuses.id,
      target: sql<string>`coalesce(${statuses.reblogOfId}, ${statuses.inReplyToId})`,
    })
    .from(statuses)
    .where(
      and(
        gte(statuses.id, floor),
        or(isNotNull(statuses.reblogOfId), isNotNull(statuses.inReplyToId)),
      ),
    )
    .orderBy(asc(statuses.id))
    .limit(BATCH);
  const current = await db.select({ id: statusTrends.statusId }).from(statusTrends);
  const oldestId = idFloor(oldest);
  const candidates = new Set(current.map((r) => r.id));
  // Ids compare as time: equal-length decimal strings (db/ids.ts).
  for (const r of [...liked, ...answered]) if (r.target >= oldestId) candidates.add(r.target);

  const scores = new Map<string, typeof statusTrends.$inferInsert>();
  const ids = [...candidates];
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const row of await engagement(db, ids.slice(i, i + CHUNK), oldestId)) {
      const score = statusScore(row.accounts, row.createdAt, now);
      if (!Number.isFinite(score) || score < STATUS_DECAY_THRESHOLD) continue;
      scores.set(row.id, {
        statusId: row.id,
        accountId: row.accountId,
        language: row.language,
        score,
        accounts: row.accounts,
        refreshedAt: now,
      });
    }
  }
  const gone = ids.filter((id) => !scores.has(id));
  await db.transaction(async (tx) => {
    for (let i = 0; i < gone.length; i += CHUNK) {
      await tx.delete(statusTrends).where(inArray(statusTrends.statusId, gone.slice(i, i + CHUNK)));
    }
    for (const row of scores.values()) {
      await tx
        .insert(statusTrends)
        .values(row)
        .onConflictDoUpdate({
          target: statusTrends.statusId,
          set: { score: row.score, accounts: row.accounts, refreshedAt: now },
        });
    }
  });
  await saveReadUntil(
    db,
    "statuses",
    reachedUntil([{ ids: liked.map((r) => r.id) }, { ids: answered.map((r) => r.id) }], now),
  );
  return { scored: ids.length, trending: scores.size };
}

/**
 * Of `ids`, the statuses that may trend and are not older than `oldestId`, each with the number of
 * distinct accounts other than its author, not suspended, that favourited, boosted or replied to it.
 * Each branch of the union reads one index (favourites_status_idx, statuses_reblog_idx,
 * statuses_reply_idx) for the listed statuses only; count(distinct) counts an account once however
 * it engaged. The cross join keeps SQLite from driving the query by statuses_visibility_idx (every
 * public status of the last two days) instead of by the few rows the union found; PostgreSQL plans
 * it as the inner join it is.
 */
async function engagement(
  db: Database,
  ids: readonly string[],
  oldestId: string,
): Promise<
  { id: string; accountId: string; language: string | null; createdAt: Date; accounts: number }[]
> {
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  const rows = await rawRows<{
    id: string;
    account_id: string;
    language: string | null;
    created_at: number | string | Date;
    accounts: number | string;
  }>(
    db,
    sql`select statuses.id, statuses.account_id, statuses.language, statuses.created_at,
        count(distinct e.account_id) as accounts
      from (select f.status_id as target, f.account_id from favourites f where f.status_id in (${list})
        union all select b.reblog_of_id, b.account_id from statuses b where b.reblog_of_id in (${list})
        union all select r.in_reply_to_id, r.account_id from statuses r where r.in_reply_to_id in (${list})
      ) e
      cross join statuses
      join accounts ea on ea.id = e.account_id
      where statuses.id = e.target and e.account_id <> statuses.account_id and ea.suspended_at is null
        and statuses.id >= ${oldestId} and ${mayTrend({ asStatus: true })}
      group by statuses.id, statuses.account_id, statuses.language, statuses.created_at`,
  );
  // Raw rows come as each driver gives them: integer milliseconds or a Date, a number or a bigint's text.
  return rows.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    language: r.language,
    createdAt: timeOf(r.created_at),
    accounts: Number(r.accounts),
  }));
}

/** A raw timestamp: SQLite's integer milliseconds, or PostgreSQL's timestamptz (a Date, or its text). */
function timeOf(value: number | string | Date): Date {
  if (typeof value === "string" && /^\d+$/.test(value)) return new Date(Number(value));
  return new Date(value);
}
