// Trending links: what the refresh counts (the accounts that shared each link, by UTC day), the trends
// read and the review list. A link is shared by a status showing its card, and by each boost of one (as
// Mastodon's Trends::Links registers the booster), counted only where `mayTrend` admits the status
// shared — so the same sanctions and exclusions as tags apply, and apply again at every refresh.
import { and, desc, eq, gte, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { rawRows, sqlTrue } from "../dialect.ts";
import { idFloor } from "../ids.ts";
import { linkTrends, type PreviewCard, previewCards } from "../schema/index.ts";
import { mayTrend, type TrendPage } from "./trends.ts";

/** Mastodon's decay threshold for links: under 1 a link is not trending. */
export const LINK_DECAY_THRESHOLD = 1;
const DAY_MS = 86_400_000;
const HISTORY_DAYS = 7;

export interface LinkDay {
  cardId: string;
  /** Days since 1970 (UTC). */
  day: number;
  uses: number;
  accounts: number;
}

/**
 * Per card of `cardIds` and per UTC day since `since`: the shares (statuses with the card, and boosts
 * of them) and the distinct accounts that made them. Each branch walks status_preview_cards by its
 * (card_id, status_id) index, then the statuses by primary key (the cross join keeps SQLite from
 * starting at statuses_visibility_idx) and the boosts by statuses_reblog_idx.
 */
export async function linkShares(
  db: DatabaseLike,
  cardIds: readonly string[],
  since: Date,
): Promise<LinkDay[]> {
  if (cardIds.length === 0) return [];
  const list = sql.join(
    cardIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const floor = idFloor(since);
  const rows = await rawRows<{
    card_id: string;
    day: number | string;
    uses: number | string;
    accounts: number | string;
  }>(
    db,
    sql`select sh.card_id as card_id, (cast(sh.share_id as bigint) >> 16) / ${sql.raw(String(DAY_MS))} as day,
        count(*) as uses, count(distinct sh.account_id) as accounts
      from (
        select spc.card_id as card_id, statuses.id as share_id, statuses.account_id as account_id
          from status_preview_cards spc cross join statuses
          where spc.card_id in (${list}) and statuses.id = spc.status_id and statuses.id >= ${floor}
            and ${mayTrend()}
        union all
        select spc.card_id, b.id, b.account_id
          from status_preview_cards spc cross join statuses
          join statuses b on b.reblog_of_id = statuses.id
          join accounts ba on ba.id = b.account_id
          where spc.card_id in (${list}) and statuses.id = spc.status_id and b.id >= ${floor}
            and b.visibility = 'public' and ba.suspended_at is null and ${mayTrend()}
      ) sh
      group by 1, 2`,
  );
  // pg answers bigint arithmetic and count() as text.
  return rows.map((r) => ({
    cardId: r.card_id,
    day: Number(r.day),
    uses: Number(r.uses),
    accounts: Number(r.accounts),
  }));
}

/** Mastodon's history of a trending link: the last seven days, today first, counts as strings. */
export async function linkHistory(
  db: DatabaseLike,
  cardIds: readonly string[],
  now: Date = new Date(),
): Promise<Map<string, { day: string; uses: string; accounts: string }[]>> {
  const today = Math.floor(now.getTime() / DAY_MS);
  const first = today - (HISTORY_DAYS - 1);
  const counts = new Map(
    (await linkShares(db, cardIds, new Date(first * DAY_MS))).map((r) => [
      `${r.cardId} ${r.day}`,
      r,
    ]),
  );
  return new Map(
    cardIds.map((id) => {
      const days = [];
      for (let d = today; d >= first; d--) {
        const c = counts.get(`${id} ${d}`);
        days.push({
          day: String((d * DAY_MS) / 1000),
          uses: String(c?.uses ?? 0),
          accounts: String(c?.accounts ?? 0),
        });
      }
      return [id, days];
    }),
  );
}

function reviewed(requireReview: boolean) {
  return requireReview
    ? sql`${previewCards.trendable} = ${sqlTrue()}`
    : sql`(${previewCards.trendable} is null or ${previewCards.trendable} = ${sqlTrue()})`;
}

/**
 * Trending links, best first (the same for every viewer): never a rejected one, and with
 * `requireReview` (TRENDS_REVIEW) only approved ones.
 */
export async function trendingLinks(
  db: DatabaseLike,
  page: TrendPage,
  options: { requireReview: boolean },
): Promise<PreviewCard[]> {
  const rows = await db
    .select({ card: previewCards })
    .from(linkTrends)
    .innerJoin(previewCards, eq(previewCards.id, linkTrends.cardId))
    .where(
      and(
        gte(linkTrends.score, LINK_DECAY_THRESHOLD),
        eq(previewCards.state, "ready"),
        reviewed(options.requireReview),
      ),
    )
    .orderBy(desc(linkTrends.score), linkTrends.cardId)
    .limit(page.limit)
    .offset(page.offset);
  return rows.map((r) => r.card);
}

/** Whether the link of `url` trends now (the link timeline is only for those, as Mastodon's). */
export async function trendingLinkByUrl(
  db: DatabaseLike,
  url: string,
  options: { requireReview: boolean },
): Promise<PreviewCard | undefined> {
  return (
    await db
      .select({ card: previewCards })
      .from(linkTrends)
      .innerJoin(previewCards, eq(previewCards.id, linkTrends.cardId))
      .where(
        and(
          eq(previewCards.url, url),
          gte(linkTrends.score, LINK_DECAY_THRESHOLD),
          eq(previewCards.state, "ready"),
          reviewed(options.requireReview),
        ),
      )
      .limit(1)
  )[0]?.card;
}

export interface LinkForReview {
  url: string;
  title: string;
  score: number;
  accounts: number;
  trendable: boolean | null;
}

/** Every link over the decay threshold, reviewed or not, best first: what an administrator reviews. */
export async function trendingLinksForReview(db: DatabaseLike): Promise<LinkForReview[]> {
  return await db
    .select({
      url: previewCards.url,
      title: previewCards.title,
      score: linkTrends.score,
      accounts: linkTrends.accounts,
      trendable: previewCards.trendable,
    })
    .from(linkTrends)
    .innerJoin(previewCards, eq(previewCards.id, linkTrends.cardId))
    .where(gte(linkTrends.score, LINK_DECAY_THRESHOLD))
    .orderBy(desc(linkTrends.score), linkTrends.cardId);
}
