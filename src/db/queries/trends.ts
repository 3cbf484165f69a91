// Trends reads, and the one rule of what may trend. The refresh (domain/trends/) scores only what
// `mayTrend` admits, and every read applies it again, so a status that turned sensitive or an account
// suspended since the last refresh leaves the trends at once, not five minutes later. Reads walk the
// small trends tables by score (their score index) and join the statuses by primary key.
import { and, desc, eq, gte, type SQL, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { onPostgres, sqlTrue } from "../dialect.ts";
import { type Status, statuses, statusTrends, tags, tagTrends } from "../schema/index.ts";
import { notSilencedFor, visibleTo } from "./visibility.ts";

/** Mastodon's decay thresholds: a status under 0.3, a tag under 1 is not trending. */
export const STATUS_DECAY_THRESHOLD = 0.3;
export const TAG_DECAY_THRESHOLD = 1;

/**
 * The author of the status row may trend: they chose to be discoverable (Mastodon's rule for trends;
 * `indexable` is search's), they are not suspended, and their server is not on the instance's block
 * list (blocking a domain suspends its accounts, subdomains' included; the list is checked here too,
 * by exact host as the suggestions check it, for an account stored after the block), and moderators
 * have not limited them (Mastodon keeps silenced accounts out of trends for everyone).
 */
function authorMayTrend(): SQL {
  return sql`exists (select 1 from accounts ta where ta.id = ${statuses.accountId}
    and ta.discoverable = ${sqlTrue()} and ta.suspended_at is null and ta.limited_at is null
    and (ta.domain is null or ta.domain not in (select db.domain from domain_blocks db)))`;
}

/**
 * The status row may count towards trends: public (not unlisted: those stay out of discovery), not a
 * boost, not sensitive and without a content warning, by an author who may trend. Local and remote
 * statuses alike. For trending statuses Mastodon also leaves out replies (`asStatus`).
 */
export function mayTrend(options: { asStatus?: boolean } = {}): SQL {
  const base = sql`${statuses.visibility} = 'public' and ${statuses.reblogOfId} is null
    and ${statuses.sensitive} = ${falseLiteral()}
    and ${statuses.spoilerText} = '' and ${authorMayTrend()}`;
  if (!options.asStatus) return base;
  return sql`${base} and ${statuses.inReplyToId} is null and ${statuses.inReplyToIri} is null`;
}

/** The literal false, as sqlTrue gives true (0 on SQLite, whose booleans are integers; false on pg). */
function falseLiteral(): SQL {
  return sql.raw(onPostgres() ? "false" : "0");
}

export interface TrendPage {
  limit: number;
  offset: number;
}

export interface TrendingStatus {
  status: Status;
  /**
   * The distinct accounts (never the author) that favourited, boosted or replied to it, as the last
   * refresh counted them: what its score was computed from, so a page can say why it trends.
   */
  accounts: number;
  /** When that refresh ran: the count covers the post's life up to then. */
  refreshedAt: Date;
}

/**
 * Trending statuses for `viewerId` (null: anonymous), best first: what may trend, that the viewer may
 * see, and not by an account they blocked, muted or whose domain they blocked (as Mastodon's
 * filtered_for). `onlyImages` keeps those with a ready image (the web's explore grid), in the same order.
 */
export async function trendingStatuses(
  db: DatabaseLike,
  viewerId: string | null,
  page: TrendPage,
  options: { onlyImages?: boolean } = {},
): Promise<TrendingStatus[]> {
  return await db
    .select({
      status: statuses,
      accounts: statusTrends.accounts,
      refreshedAt: statusTrends.refreshedAt,
    })
    .from(statusTrends)
    // A cross join and the equality below: SQLite then walks status_trends by score and stops at the
    // page, where an inner join let it walk statuses_visibility_idx (every public status) instead.
    .crossJoin(statuses)
    .where(
      and(
        eq(statuses.id, statusTrends.statusId),
        gte(statusTrends.score, STATUS_DECAY_THRESHOLD),
        mayTrend({ asStatus: true }),
        visibleTo(viewerId),
        notSilencedFor(viewerId),
        options.onlyImages
          ? sql`exists (select 1 from media_attachments im where im.status_id = ${statuses.id}
              and im.type = 'image' and im.state = 'ready')`
          : undefined,
      ),
    )
    .orderBy(desc(statusTrends.score), desc(statusTrends.statusId))
    .limit(page.limit)
    .offset(page.offset);
}

/**
 * Trending tags, best first (the same for every viewer, as Mastodon's): never a rejected one, and with
 * `requireReview` (TRENDS_REVIEW) only approved ones.
 */
export async function trendingTags(
  db: DatabaseLike,
  page: TrendPage,
  options: { requireReview: boolean },
): Promise<{ name: string; displayName: string }[]> {
  const reviewed = options.requireReview
    ? sql`${tags.trendable} = ${sqlTrue()}`
    : sql`(${tags.trendable} is null or ${tags.trendable} = ${sqlTrue()})`;
  return await db
    .select({ name: tags.name, displayName: tags.displayName })
    .from(tagTrends)
    .innerJoin(tags, eq(tags.name, tagTrends.tagName))
    .where(and(gte(tagTrends.score, TAG_DECAY_THRESHOLD), reviewed))
    .orderBy(desc(tagTrends.score), tagTrends.tagName)
    .limit(page.limit)
    .offset(page.offset);
}

export interface TagForReview {
  name: string;
  displayName: string;
  score: number;
  accounts: number;
  trendable: boolean | null;
}

/** Every tag over the decay threshold, reviewed or not, best first: what an administrator reviews. */
export async function trendingTagsForReview(db: DatabaseLike): Promise<TagForReview[]> {
  return await db
    .select({
      name: tags.name,
      displayName: tags.displayName,
      score: tagTrends.score,
      accounts: tagTrends.accounts,
      trendable: tags.trendable,
    })
    .from(tagTrends)
    .innerJoin(tags, eq(tags.name, tagTrends.tagName))
    .where(gte(tagTrends.score, TAG_DECAY_THRESHOLD))
    .orderBy(desc(tagTrends.score), tagTrends.tagName);
}
