// Trending tags: the refresh. Tags used by statuses made since the last refresh (status_tags read by
// its primary key from the cursor, at most BATCH rows) and the tags with a peak still in its cooldown
// are scored: today's distinct accounts (UTC, as a Tag's history counts days) against yesterday's,
// counted over statuses that may trend only, through the (tag_name, status_id) index from yesterday's
// first id on. A tag's row stays while its peak is within the cooldown, so it decays from that peak.
import { asc, gte, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { rawRows } from "../../db/dialect.ts";
import { idFloor } from "../../db/ids.ts";
import { mayTrend, TAG_DECAY_THRESHOLD } from "../../db/queries/trends.ts";
import { statusTags, tagTrends } from "../../db/schema/index.ts";
import { BATCH, reachedUntil, readFrom, saveReadUntil } from "./cursor.ts";
import { TAG_COOLDOWN_MS, type TagPeak, tagScore } from "./scores.ts";

const DAY_MS = 86_400_000;
const CHUNK = 500;

export interface TagRefresh {
  scored: number;
  trending: number;
}

/** Recomputes the trending tags as of `now`, reading only the tag uses since the last refresh. */
export async function refreshTagTrends(db: Database, now: Date): Promise<TagRefresh> {
  const todayStart = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const yesterdayStart = todayStart - DAY_MS;
  // Only today's uses can raise a score; yesterday's are read per tag below, as the expectation.
  const floor = idFloor(await readFrom(db, "tags", new Date(todayStart)));
  const used = await db
    .select({ id: statusTags.statusId, name: statusTags.tagName })
    .from(statusTags)
    .where(gte(statusTags.statusId, floor))
    .orderBy(asc(statusTags.statusId))
    .limit(BATCH);
  const kept = new Map<string, TagPeak>(
    (
      await db
        .select({
          name: tagTrends.tagName,
          maxScore: tagTrends.maxScore,
          maxScoreAt: tagTrends.maxScoreAt,
        })
        .from(tagTrends)
    ).map((r) => [r.name, r]),
  );
  const names = [...new Set([...kept.keys(), ...used.map((r) => r.name)])];

  const rows: (typeof tagTrends.$inferInsert)[] = [];
  for (let i = 0; i < names.length; i += CHUNK) {
    const counts = await accountsByDay(db, names.slice(i, i + CHUNK), todayStart, yesterdayStart);
    for (const name of names.slice(i, i + CHUNK)) {
      const c = counts.get(name) ?? { today: 0, yesterday: 0 };
      const peak = tagScore(c.today, c.yesterday, kept.get(name), now);
      // A peak past its cooldown, or none at all: nothing to keep.
      if (peak.maxScore === 0 || peak.maxScoreAt.getTime() < now.getTime() - TAG_COOLDOWN_MS) {
        continue;
      }
      rows.push({ tagName: name, ...peak, accounts: c.today, refreshedAt: now });
    }
  }
  const keptNames = new Set(rows.map((r) => r.tagName));
  const gone = [...kept.keys()].filter((name) => !keptNames.has(name));
  await db.transaction(async (tx) => {
    for (let i = 0; i < gone.length; i += CHUNK) {
      await tx.delete(tagTrends).where(inArray(tagTrends.tagName, gone.slice(i, i + CHUNK)));
    }
    for (const row of rows) {
      await tx
        .insert(tagTrends)
        .values(row)
        .onConflictDoUpdate({
          target: tagTrends.tagName,
          set: {
            score: row.score,
            maxScore: row.maxScore,
            maxScoreAt: row.maxScoreAt,
            accounts: row.accounts ?? 0,
            refreshedAt: now,
          },
        });
    }
  });
  await saveReadUntil(db, "tags", reachedUntil([{ ids: used.map((r) => r.id) }], now));
  return {
    scored: names.length,
    trending: rows.filter((r) => r.score >= TAG_DECAY_THRESHOLD).length,
  };
}

/**
 * Distinct accounts that used each tag today and yesterday, in statuses that may trend: the tags'
 * rows of the two days from the (tag_name, status_id) index, each status then by its primary key.
 * The cross join fixes that order on SQLite, which would otherwise walk statuses_visibility_idx
 * (every public status); PostgreSQL plans it as the inner join it is.
 */
async function accountsByDay(
  db: Database,
  names: readonly string[],
  todayStart: number,
  yesterdayStart: number,
): Promise<Map<string, { today: number; yesterday: number }>> {
  const todayId = idFloor(todayStart);
  const list = sql.join(
    names.map((name) => sql`${name}`),
    sql`, `,
  );
  const rows = await rawRows<{ name: string; today: number | string; yesterday: number | string }>(
    db,
    sql`select st.tag_name as name,
        count(distinct case when st.status_id >= ${todayId} then statuses.account_id end) as today,
        count(distinct case when st.status_id < ${todayId} then statuses.account_id end) as yesterday
      from status_tags st cross join statuses
      where st.tag_name in (${list}) and st.status_id >= ${idFloor(yesterdayStart)}
        and statuses.id = st.status_id and ${mayTrend()}
      group by st.tag_name`,
  );
  // pg answers count() as a bigint's text.
  return new Map(
    rows.map((r) => [r.name, { today: Number(r.today), yesterday: Number(r.yesterday) }]),
  );
}
