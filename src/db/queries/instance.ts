// Figures the instance endpoints publish: user, status and peer counts, weekly activity and the list of
// known peers.
import { and, gte, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { accounts, loginWeeks, statuses, users } from "../schema/index.ts";

export function instanceStats(db: DatabaseLike): {
  userCount: number;
  statusCount: number;
  domainCount: number;
  activeMonth: number;
} {
  const n = (q: { n: number } | undefined) => q?.n ?? 0;
  const monthAgo = new Date(Date.now() - 30 * 24 * 3600 * 1000);
  return {
    userCount: n(
      db.select({ n: sql<number>`count(*)` }).from(users).where(isNull(users.disabledAt)).get(),
    ),
    statusCount: n(
      db
        .select({ n: sql<number>`count(*)` })
        .from(statuses)
        .where(and(sql`${statuses.local} = 1`, isNull(statuses.reblogOfId)))
        .get(),
    ),
    domainCount: n(
      db
        .select({ n: sql<number>`count(distinct ${accounts.domain})` })
        .from(accounts)
        .where(isNotNull(accounts.domain))
        .get(),
    ),
    activeMonth: n(
      db
        .select({ n: sql<number>`count(*)` })
        .from(users)
        .where(sql`${users.lastSignInAt} >= ${monthAgo.getTime()}`)
        .get(),
    ),
  };
}

/** Hosts of every remote account we know, sorted. */
export function knownPeers(db: DatabaseLike): string[] {
  return db
    .selectDistinct({ domain: accounts.domain })
    .from(accounts)
    .where(isNotNull(accounts.domain))
    .orderBy(accounts.domain)
    .all()
    .map((r) => r.domain!);
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
export function weeklyActivity(db: DatabaseLike, currentWeek: Date, weeks = 12): ActivityWeek[] {
  const out: ActivityWeek[] = [];
  for (let i = 0; i < weeks; i++) {
    const start = new Date(currentWeek.getTime() - i * WEEK_MS);
    const end = new Date(start.getTime() + WEEK_MS);
    const count = (q: { n: number } | undefined) => q?.n ?? 0;
    out.push({
      week: start,
      statuses: count(
        db
          .select({ n: sql<number>`count(*)` })
          .from(statuses)
          .where(
            and(
              sql`${statuses.local} = 1`,
              isNull(statuses.reblogOfId),
              gte(statuses.createdAt, start),
              lt(statuses.createdAt, end),
            ),
          )
          .get(),
      ),
      logins: count(
        db
          .select({ n: sql<number>`count(*)` })
          .from(loginWeeks)
          .where(sql`${loginWeeks.week} = ${start.getTime()}`)
          .get(),
      ),
      registrations: count(
        db
          .select({ n: sql<number>`count(*)` })
          .from(users)
          .where(and(gte(users.createdAt, start), lt(users.createdAt, end)))
          .get(),
      ),
    });
  }
  return out;
}
