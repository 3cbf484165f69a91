// What the administration page shows of generation spending: totals per UTC day and per account over a
// period, read from the spending record (kept when jobs or accounts are gone), beside the budget and the
// daily quota the configuration sets.
import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { utcPeriod } from "../db/dialect.ts";
import { accounts, generationSpending } from "../db/schema/index.ts";

export interface SpendingTotal {
  images: number;
  costMicros: number;
  /** Images made with a model the price table does not know (counted at 0). */
  unpricedImages: number;
}

const totals = {
  images: sql<number>`coalesce(sum(${generationSpending.images}), 0)`.mapWith(Number),
  costMicros: sql<number>`coalesce(sum(${generationSpending.costMicros}), 0)`.mapWith(Number),
  unpricedImages:
    sql<number>`coalesce(sum(case when ${generationSpending.priced} then 0 else ${generationSpending.images} end), 0)`.mapWith(
      Number,
    ),
};

const inPeriod = (from: Date, to: Date) =>
  and(gte(generationSpending.createdAt, from), lt(generationSpending.createdAt, to));

/** Everything spent in [from, to). */
export async function spendingTotal(
  db: DatabaseLike,
  from: Date,
  to: Date,
): Promise<SpendingTotal> {
  return (await db.select(totals).from(generationSpending).where(inPeriod(from, to)).limit(1))[0]!;
}

/** Spending per UTC day ("YYYY-MM-DD") in [from, to), newest first. */
export async function spendingByDay(
  db: DatabaseLike,
  from: Date,
  to: Date,
): Promise<(SpendingTotal & { day: string })[]> {
  const day = utcPeriod(generationSpending.createdAt, "day");
  return await db
    .select({ day, ...totals })
    .from(generationSpending)
    .where(inPeriod(from, to))
    .groupBy(day)
    .orderBy(desc(day));
}

/**
 * Spending per account in [from, to), largest cost first. `username` is null for spending whose account
 * is gone (deleted users' spending stays in the instance's books).
 */
export async function spendingByAccount(
  db: DatabaseLike,
  from: Date,
  to: Date,
  limit = 100,
): Promise<(SpendingTotal & { accountId: string | null; username: string | null })[]> {
  return await db
    .select({
      accountId: generationSpending.accountId,
      username: sql<
        string | null
      >`case when ${accounts.deletedAt} is null then ${accounts.username} end`,
      ...totals,
    })
    .from(generationSpending)
    .leftJoin(accounts, eq(accounts.id, generationSpending.accountId))
    .where(inPeriod(from, to))
    // With the account's key too (the same groups): PostgreSQL then lets the select read its columns.
    .groupBy(generationSpending.accountId, accounts.id)
    .orderBy(desc(totals.costMicros), desc(totals.images))
    .limit(limit);
}
