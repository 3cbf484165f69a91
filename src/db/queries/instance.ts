// Figures the instance endpoints publish: user, status and peer counts, weekly activity and the list of
// known peers.
import { and, eq, gte, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { sqlTrue } from "../dialect.ts";
import { accounts, loginWeeks, statuses, users } from "../schema/index.ts";

export async function instanceStats(db: DatabaseLike): Promise<{
  userCount: number;
  statusCount: number;
  domainCount: number;
  activeMonth: number;
}> {
  const n = (q: { n: number } | undefined) => q?.n ?? 0;
  const monthAgo = new Date(Date.now() - 30 * 24 * 3600 * 1000);
  return {
    userCount: n(
      (
        await db
          .select({ n: sql<number>`count(*)`.mapWith(Number) })
          .from(users)
          .where(isNull(users.disabledAt))
          .limit(1)
      )[0],
    ),
    statusCount: n(
      (
        await db
          .select({ n: sql<number>`count(*)`.mapWith(Number) })
          .from(statuses)
          .where(and(sql`${statuses.local} = ${sqlTrue()}`, isNull(statuses.reblogOfId)))
          .limit(1)
      )[0],
    ),
    domainCount: n(
      (
        await db
          .select({ n: sql<number>`count(distinct ${accounts.domain})`.mapWith(Number) })
          .from(accounts)
          .where(isNotNull(accounts.domain))
          .limit(1)
      )[0],
    ),
    activeMonth: n(
      (
        await db
          .select({ n: sql<number>`count(*)`.mapWith(Number) })
          .from(users)
          .where(gte(users.lastSignInAt, monthAgo))
          .limit(1)
      )[0],
    ),
  };
}

/** Hosts of every remote account we know, sorted. */
export async function knownPeers(db: DatabaseLike): Promise<string[]> {
  return (
    await db
      .selectDistinct({ domain: accounts.domain })
      .from(accounts)
      .where(isNotNull(accounts.domain))
      .orderBy(accounts.domain)
  ).map((r) => r.domain!);
}

export interface ActivityWeek {
  /** Monday 00:00 UTC. */
  week: Date;
  statuses: number;
  logins: number;
  registrations: number;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * `weeks` weeks of activity, the current one first: local statuses posted (boosts aside), users who
 * signed in (each once a week) and users who registered. `currentWeek` is that week's Monday 00:00 UTC.
 */
export async function weeklyActivity(
  db: DatabaseLike,
  currentWeek: Date,
  weeks = 12,
): Promise<ActivityWeek[]> {
  const out: ActivityWeek[] = [];
  for (let i = 0; i < weeks; i++) {
    const start = new Date(currentWeek.getTime() - i * WEEK_MS);
    const end = new Date(start.getTime() + WEEK_MS);
    const count = (q: { n: number } | undefined) => q?.n ?? 0;
    out.push({
      week: start,
      statuses: count(
        (
          await db
            .select({ n: sql<number>`count(*)`.mapWith(Number) })
            .from(statuses)
            .where(
              and(
                sql`${statuses.local} = ${sqlTrue()}`,
                isNull(statuses.reblogOfId),
                gte(statuses.createdAt, start),
                lt(statuses.createdAt, end),
              ),
            )
            .limit(1)
        )[0],
      ),
      logins: count(
        (
          await db
            .select({ n: sql<number>`count(*)`.mapWith(Number) })
            .from(loginWeeks)
            .where(eq(loginWeeks.week, start))
            .limit(1)
        )[0],
      ),
      registrations: count(
        (
          await db
            .select({ n: sql<number>`count(*)`.mapWith(Number) })
            .from(users)
            .where(and(gte(users.createdAt, start), lt(users.createdAt, end)))
            .limit(1)
        )[0],
      ),
    });
  }
  return out;
}
