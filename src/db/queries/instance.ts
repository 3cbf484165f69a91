// Figures the instance endpoints publish: user, status and peer counts, and the list of known peers.
import { and, isNotNull, isNull, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { accounts, statuses, users } from "../schema/index.ts";

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
