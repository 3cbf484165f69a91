// Money and limits: the price of an image by model/quality/size, each user's daily image quota, the
// instance's monthly budget, and the spending record an administrator reads (`atelier spending …`).
import { and, eq, exists, gte, inArray, or, sql, sum } from "drizzle-orm";
import type { Config, ImagePrices } from "../config.ts";
import type { DatabaseLike } from "../db/client.ts";
import { utcPeriod } from "../db/dialect.ts";
import { newId } from "../db/ids.ts";
import { generationJobs, generationSpending } from "../db/schema/index.ts";
import { AppError } from "../errors.ts";

export interface Price {
  /** US dollars × 1,000,000 per image. */
  microsPerImage: number;
  /** False when the table has no entry for this model (then the cost counts as 0). */
  priced: boolean;
}

/** Looks up a price, falling back to "*" for quality, then size. */
export function priceOf(prices: ImagePrices, model: string, quality: string, size: string): Price {
  const byQuality = prices[model];
  if (byQuality === undefined) return { microsPerImage: 0, priced: false };
  const bySize = byQuality[quality] ?? byQuality["*"];
  const usd = bySize?.[size] ?? bySize?.["*"];
  if (usd === undefined) return { microsPerImage: 0, priced: false };
  return { microsPerImage: Math.round(usd * 1_000_000), priced: true };
}

export const startOfUtcDay = (now: Date) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
export const startOfUtcMonth = (now: Date) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

/**
 * Images the account asked for today (UTC): in jobs queued, running or succeeded, and in failed or
 * cancelled jobs whose provider call was made (they have a spending row: the images were paid for).
 */
export async function imagesRequestedToday(
  db: DatabaseLike,
  accountId: string,
  now = new Date(),
): Promise<number> {
  const row = (
    await db
      .select({ n: sum(generationJobs.n) })
      .from(generationJobs)
      .where(
        and(
          sql`${generationJobs.accountId} = ${accountId}`,
          gte(generationJobs.createdAt, startOfUtcDay(now)),
          or(
            inArray(generationJobs.state, ["queued", "running", "succeeded"]),
            exists(
              db
                .select({ one: sql`1` })
                .from(generationSpending)
                .where(eq(generationSpending.jobId, generationJobs.id)),
            ),
          ),
        ),
      )
      .limit(1)
  )[0];
  return Number(row?.n ?? 0);
}

/** Refuses (429) a request for `n` more images when it would pass the account's daily quota. */
export async function checkDailyQuota(
  db: DatabaseLike,
  config: Config,
  accountId: string,
  n: number,
  now = new Date(),
): Promise<void> {
  const quota = config.generation.dailyQuota;
  if (quota === 0) return;
  const used = await imagesRequestedToday(db, accountId, now);
  if (used + n > quota) {
    throw new AppError(
      "rate_limited",
      `Daily image limit reached: ${used} of ${quota} images used today; it resets at 00:00 UTC`,
      { details: { used, quota } },
    );
  }
}

/** Spending since the start of this UTC month, in micro-dollars. */
export async function spentThisMonthMicros(db: DatabaseLike, now = new Date()): Promise<number> {
  const row = (
    await db
      .select({ total: sum(generationSpending.costMicros) })
      .from(generationSpending)
      .where(gte(generationSpending.createdAt, startOfUtcMonth(now)))
      .limit(1)
  )[0];
  return Number(row?.total ?? 0);
}

/**
 * What the queued and running jobs will cost once they finish, in micro-dollars: they are not in the
 * spending record yet, but a new request must not spend the same budget again.
 */
export async function pendingJobsMicros(db: DatabaseLike, prices: ImagePrices): Promise<number> {
  return (
    await db
      .select({
        model: generationJobs.model,
        quality: generationJobs.quality,
        size: generationJobs.size,
        n: generationJobs.n,
      })
      .from(generationJobs)
      .where(inArray(generationJobs.state, ["queued", "running"]))
  ).reduce(
    (total, j) => total + priceOf(prices, j.model, j.quality, j.size).microsPerImage * j.n,
    0,
  );
}

/**
 * Refuses (503) a paid request (costing `requestMicros`) that would take this month's spending, with
 * what the queued and running jobs will cost, over the configured budget. Free requests and instances
 * without a budget read nothing.
 */
export async function checkMonthlyBudget(
  db: DatabaseLike,
  config: Config,
  requestMicros: number,
  now = new Date(),
): Promise<void> {
  const budget = config.generation.monthlyBudgetUsd;
  if (budget === undefined || requestMicros === 0) return;
  const estimateMicros = requestMicros + (await pendingJobsMicros(db, config.generation.prices));
  const spent = await spentThisMonthMicros(db, now);
  if (spent + estimateMicros > Math.round(budget * 1_000_000)) {
    throw new AppError(
      "unavailable",
      `The instance's image budget for this month is spent (${formatUsd(spent)} of ${formatUsd(budget * 1_000_000)}); AI generation resumes next month`,
    );
  }
}

export function formatUsd(micros: number): string {
  return `$${(micros / 1_000_000).toFixed(micros !== 0 && Math.abs(micros) < 10_000 ? 4 : 2)}`;
}

export interface SpendingEntry {
  jobId: string | null;
  accountId: string | null;
  provider: string;
  model: string;
  size: string;
  quality: string;
  images: number;
  price: Price;
}

/** Records a provider call that made `images` images (inside the job's final transaction). */
export async function recordSpending(db: DatabaseLike, entry: SpendingEntry): Promise<number> {
  const costMicros = entry.price.microsPerImage * entry.images;
  await db.insert(generationSpending).values({
    id: newId(),
    jobId: entry.jobId,
    accountId: entry.accountId,
    provider: entry.provider,
    model: entry.model,
    size: entry.size,
    quality: entry.quality,
    images: entry.images,
    costMicros,
    priced: entry.price.priced,
  });
  return costMicros;
}

export interface SpendingSummaryRow {
  month: string;
  provider: string;
  model: string;
  images: number;
  costMicros: number;
  unpricedImages: number;
}

/** Spending by month (UTC, "YYYY-MM"), provider and model, newest month first. */
export async function spendingSummary(
  db: DatabaseLike,
  since?: Date,
): Promise<SpendingSummaryRow[]> {
  const month = utcPeriod(generationSpending.createdAt, "month");
  return await db
    .select({
      month,
      provider: generationSpending.provider,
      model: generationSpending.model,
      images: sql<number>`sum(${generationSpending.images})`.mapWith(Number),
      costMicros: sql<number>`sum(${generationSpending.costMicros})`.mapWith(Number),
      unpricedImages:
        sql<number>`sum(case when ${generationSpending.priced} then 0 else ${generationSpending.images} end)`.mapWith(
          Number,
        ),
    })
    .from(generationSpending)
    .where(since === undefined ? undefined : gte(generationSpending.createdAt, since))
    .groupBy(month, generationSpending.provider, generationSpending.model)
    .orderBy(sql`1 desc`, generationSpending.provider, generationSpending.model);
}
