// Benchmark (trends): the trends refresh on the timeline benchmark's database (1,000,000 statuses over a
// year from 10,000 accounts, every 50th tagged), with an hour of engagement on the newest statuses.
// Measured: the first refresh (no cursor: it reads the two days a status can trend for), a steady one
// (five minutes of new favourites since the previous refresh, as the five-minute job sees them), and
// the trending statuses read a page of the API makes. In-process, on the benchmark's own handle.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { desc, sql } from "drizzle-orm";
import type { Database } from "../src/db/client.ts";
import { newId } from "../src/db/ids.ts";
import { trendingStatuses } from "../src/db/queries/trends.ts";
import { accounts, favourites, statuses } from "../src/db/schema/index.ts";
import { refreshStatusTrends } from "../src/domain/trends/statuses.ts";
import { refreshTagTrends } from "../src/domain/trends/tags.ts";
import { timeSamples } from "./lib/stats.ts";
import { createBenchDatabase } from "./lib/stores.ts";
import { buildTimelineData } from "./lib/timeline-data.ts";
import { buildTimelineDataPostgres } from "./lib/timeline-data-postgres.ts";
import type { BenchContext } from "./run.ts";

const MINUTE = 60_000;

/** `perPost(i)` favourites from distinct accounts on the i-th of `posts`, made in [from, to). */
async function favourite(
  db: Database,
  posts: readonly string[],
  fans: readonly string[],
  perPost: (i: number) => number,
  from: number,
  to: number,
): Promise<number> {
  const rows: (typeof favourites.$inferInsert)[] = [];
  posts.forEach((statusId, i) => {
    for (let k = 0; k < perPost(i); k++) {
      // Spread through the interval, out of order, as favourites arrive.
      const at = from + ((rows.length * 7919) % (to - from));
      rows.push({ id: newId(at), accountId: fans[(i * 31 + k) % fans.length]!, statusId });
    }
  });
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insert(favourites)
      .values(rows.slice(i, i + 500))
      .onConflictDoNothing();
  }
  return rows.length;
}

async function refreshBoth(db: Database, now: Date) {
  const s = await refreshStatusTrends(db, now);
  const t = await refreshTagTrends(db, now);
  return { statuses: s, tags: t };
}

export async function benchTrends(ctx: BenchContext): Promise<void> {
  const postgres = ctx.store.kind === "postgres";
  const sizes = ctx.quick
    ? { accounts: 1000, statuses: 50_000, following: 100 }
    : { accounts: 10_000, statuses: 1_000_000, following: 100 };
  const dataDir = mkdtempSync(join(tmpdir(), "atelier-bench-trends-"));
  const database = await createBenchDatabase(ctx.store, dataDir, "trends");
  try {
    const { db } = database;
    const built = performance.now();
    await (postgres ? buildTimelineDataPostgres : buildTimelineData)(db, "http://localhost", sizes);
    // Every author may trend; and, as autovacuum would after such a change, fresh statistics (else
    // PostgreSQL plans for one discoverable account and walks every status of the thousand there are).
    await db.update(accounts).set({ discoverable: true });
    if (postgres) await database.rows(sql`analyze accounts`);
    const fans = (await db.select({ id: accounts.id }).from(accounts)).map((r) => r.id);
    const newest = (
      await db.select({ id: statuses.id }).from(statuses).orderBy(desc(statuses.id)).limit(500)
    ).map((r) => r.id);
    const now = Date.now();
    // An hour of engagement: the newest 500 statuses, 0 to 39 distinct accounts each.
    const hour = await favourite(db, newest, fans, (i) => (i * 7) % 40, now - 60 * MINUTE, now);
    process.stdout.write(
      `built ${sizes.statuses} statuses and ${hour} favourites in ${((performance.now() - built) / 1000).toFixed(1)} s\n`,
    );

    const first = performance.now();
    const firstResult = await refreshBoth(db, new Date(now));
    const firstMs = performance.now() - first;
    ctx.figure({
      id: "trends.refresh.first",
      label: `Trends refresh at ${sizes.statuses.toLocaleString("en")} statuses, first (reads two days)`,
      value: firstMs,
      unit: "ms",
      notes: `${firstResult.statuses.scored} statuses scored, ${firstResult.statuses.trending} trending; ${firstResult.tags.scored} tags scored`,
    });

    // Five minutes on: 200 new favourites on the newest 100 statuses.
    const later = now + 5 * MINUTE;
    await favourite(db, newest.slice(0, 100), fans.slice(fans.length / 2), () => 2, now, later);
    const steady = performance.now();
    const steadyResult = await refreshBoth(db, new Date(later));
    const steadyMs = performance.now() - steady;
    ctx.figure({
      id: "trends.refresh.steady",
      label: `Trends refresh at ${sizes.statuses.toLocaleString("en")} statuses, five minutes after the last`,
      value: steadyMs,
      unit: "ms",
      target: { description: "≤ 1000 ms", pass: steadyMs <= 1000 },
      notes: `${steadyResult.statuses.scored} statuses scored, ${steadyResult.statuses.trending} trending`,
    });

    const read = await timeSamples(ctx.quick ? 30 : 300, () =>
      trendingStatuses(db, null, { limit: 20, offset: 0 }),
    );
    ctx.figure({
      id: "trends.statuses.read",
      label: "Trending statuses, a page of 20 (the query), p99",
      value: read.p99,
      unit: "ms",
      notes: `p50 ${read.p50.toFixed(2)} ms`,
    });
    const rows = await database.rows<{ n: number }>(sql`select count(*) as n from status_trends`);
    process.stdout.write(`status_trends holds ${rows[0]?.n} rows\n`);
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
