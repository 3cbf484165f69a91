// How trends score, after Mastodon (app/models/trends/statuses.rb and tags.rb, their default options):
// a burst of distinct accounts over what was expected, squared and divided by the expectation, then
// halved every half-life. Pure arithmetic, so the refresh and the tests share one definition.

/** Fewer distinct accounts than this and nothing trends (Mastodon's `threshold`, for both). */
export const MIN_ACCOUNTS = 5;

/** A status's score halves every two hours of its age (Mastodon's `score_halflife`). */
export const STATUS_HALF_LIFE_MS = 2 * 3600_000;

/** A tag's peak score halves every four hours (Mastodon's `max_score_halflife`)… */
export const TAG_HALF_LIFE_MS = 4 * 3600_000;
/** …and is the one decayed from for two days (`max_score_cooldown`), even when today scores lower. */
export const TAG_COOLDOWN_MS = 2 * 86_400_000;

/**
 * Statuses older than this are not scored. At a two-hour half-life a two-day-old status keeps 2^-24 of
 * its score: staying over the 0.3 threshold would take some 2,300 distinct accounts, so nothing older
 * can trend, and the refresh never reads further back than this.
 */
export const STATUS_MAX_AGE_MS = 2 * 86_400_000;

/** A link's peak halves every eight hours (Trends::Links' `max_score_halflife`; its cooldown is the tags'). */
export const LINK_HALF_LIFE_MS = 8 * 3600_000;

/** Mastodon's burst score: 0 under the account minimum or under the expectation. */
export function burstScore(observed: number, expected: number): number {
  const e = expected > 0 ? expected : 1;
  if (observed < MIN_ACCOUNTS || observed < e) return 0;
  return (observed - e) ** 2 / e;
}

/** `score` halved once per `halfLifeMs` elapsed since `since`. */
export function decayed(score: number, since: Date, now: Date, halfLifeMs: number): number {
  return score * 0.5 ** ((now.getTime() - since.getTime()) / halfLifeMs);
}

/**
 * A status's trend score from the distinct accounts that favourited, boosted or replied to it (Mastodon
 * expects one: its own author's attention, so to speak), decayed with the status's age.
 */
export function statusScore(accounts: number, createdAt: Date, now: Date): number {
  const score = burstScore(accounts, 1);
  return score === 0 ? 0 : decayed(score, createdAt, now, STATUS_HALF_LIFE_MS);
}

export interface TagPeak {
  maxScore: number;
  maxScoreAt: Date;
}

/**
 * A tag's score: today's distinct accounts against yesterday's (UTC days, as its history). A new peak
 * replaces the kept one; a peak older than the cooldown is forgotten. The score is the peak decayed.
 * Links score the same way (Mastodon's Trends::Links), with their own half-life.
 */
export function tagScore(
  today: number,
  yesterday: number,
  kept: TagPeak | undefined,
  now: Date,
  halfLifeMs = TAG_HALF_LIFE_MS,
): TagPeak & { score: number } {
  let peak: TagPeak =
    kept === undefined || kept.maxScoreAt.getTime() < now.getTime() - TAG_COOLDOWN_MS
      ? { maxScore: 0, maxScoreAt: now }
      : kept;
  const score = burstScore(today, yesterday);
  if (score > peak.maxScore) peak = { maxScore: score, maxScoreAt: now };
  return { ...peak, score: decayed(peak.maxScore, peak.maxScoreAt, now, halfLifeMs) };
}
