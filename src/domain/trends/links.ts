// Trending links: the refresh. The cards of statuses linked since the last refresh (status_preview_cards
// read by its primary key from the cursor) and of boosts made since (statuses by primary key), plus the
// links with a peak still in its cooldown, are scored as tags are: today's distinct accounts that shared
// the link against yesterday's (db/queries/link-trends.ts counts them, over statuses that may trend), with
// Mastodon's Trends::Links half-life. A card is linked a moment after its status is made (the page is
// fetched in the background); the cursor's slack covers that delay as it covers late remote statuses.
import { and, asc, eq, gte, inArray, isNotNull } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { idFloor } from "../../db/ids.ts";
import { LINK_DECAY_THRESHOLD, linkShares } from "../../db/queries/link-trends.ts";
import { linkTrends, statuses, statusPreviewCards } from "../../db/schema/index.ts";
import { BATCH, reachedUntil, readFrom, saveReadUntil } from "./cursor.ts";
import { LINK_HALF_LIFE_MS, TAG_COOLDOWN_MS, type TagPeak, tagScore } from "./scores.ts";

const DAY_MS = 86_400_000;
const CHUNK = 500;

export interface LinkRefresh {
  scored: number;
  trending: number;
}

/** Recomputes the trending links as of `now`, reading only the shares since the last refresh. */
export async function refreshLinkTrends(db: Database, now: Date): Promise<LinkRefresh> {
  const todayStart = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const yesterdayStart = todayStart - DAY_MS;
  const floor = idFloor(await readFrom(db, "links", new Date(todayStart)));
  const linked = await db
    .select({ id: statusPreviewCards.statusId, cardId: statusPreviewCards.cardId })
    .from(statusPreviewCards)
    .where(gte(statusPreviewCards.statusId, floor))
    .orderBy(asc(statusPreviewCards.statusId))
    .limit(BATCH);
  const boosted = await db
    .select({ id: statuses.id, cardId: statusPreviewCards.cardId })
    .from(statuses)
    .innerJoin(statusPreviewCards, eq(statusPreviewCards.statusId, statuses.reblogOfId))
    .where(and(gte(statuses.id, floor), isNotNull(statuses.reblogOfId)))
    .orderBy(asc(statuses.id))
    .limit(BATCH);
  const kept = new Map<string, TagPeak>(
    (
      await db
        .select({
          cardId: linkTrends.cardId,
          maxScore: linkTrends.maxScore,
          maxScoreAt: linkTrends.maxScoreAt,
        })
        .from(linkTrends)
    ).map((r) => [r.cardId, r]),
  );
  const cardIds = [
    ...new Set([...kept.keys(), ...linked.map((r) => r.cardId), ...boosted.map((r) => r.cardId)]),
  ];
  const today = todayStart / DAY_MS;
  const rows: (typeof linkTrends.$inferInsert)[] = [];
  for (let i = 0; i < cardIds.length; i += CHUNK) {
    const chunk = cardIds.slice(i, i + CHUNK);
    const days = await linkShares(db, chunk, new Date(yesterdayStart));
    for (const cardId of chunk) {
      const of = (day: number) =>
        days.find((d) => d.cardId === cardId && d.day === day)?.accounts ?? 0;
      const peak = tagScore(of(today), of(today - 1), kept.get(cardId), now, LINK_HALF_LIFE_MS);
      if (peak.maxScore === 0 || peak.maxScoreAt.getTime() < now.getTime() - TAG_COOLDOWN_MS) {
        continue;
      }
      rows.push({ cardId, ...peak, accounts: of(today), refreshedAt: now });
    }
  }
  const keptIds = new Set(rows.map((r) => r.cardId));
  const gone = [...kept.keys()].filter((id) => !keptIds.has(id));
  await db.transaction(async (tx) => {
    for (let i = 0; i < gone.length; i += CHUNK) {
      await tx.delete(linkTrends).where(inArray(linkTrends.cardId, gone.slice(i, i + CHUNK)));
    }
    for (const row of rows) {
      await tx
        .insert(linkTrends)
        .values(row)
        .onConflictDoUpdate({
          target: linkTrends.cardId,
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
  await saveReadUntil(
    db,
    "links",
    reachedUntil([{ ids: linked.map((r) => r.id) }, { ids: boosted.map((r) => r.id) }], now),
  );
  return {
    scored: cardIds.length,
    trending: rows.filter((r) => r.score >= LINK_DECAY_THRESHOLD).length,
  };
}
