// Benchmark 3 (timelines): a database of 1,000,000 statuses from 10,000 accounts, a user following 1,000 of
// them. p50/p99 of the home timeline (40 a page, page 1 and page 50 via max_id), the public timeline and a
// hashtag timeline through the HTTP API, against the same query functions run directly on the database;
// and the explore page of every server's latest images (every tenth status has one), as a visitor gets it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PageParams } from "../src/db/queries/page.ts";
import { homeTimeline, publicTimeline, tagTimeline } from "../src/db/queries/timelines.ts";
import { issueAccessToken } from "../src/domain/oauth.ts";
import { timeSamples } from "./lib/stats.ts";
import { createBenchDatabase, startBenchInstance } from "./lib/stores.ts";
import { buildTimelineData } from "./lib/timeline-data.ts";
import { buildTimelineDataPostgres } from "./lib/timeline-data-postgres.ts";
import { explainHomeTimeline } from "./lib/timeline-plans.ts";
import { runWorker } from "./lib/worker.ts";
import type { BenchContext } from "./run.ts";

/** p50/p99 of `runs` sequential GETs of `url`, timed by a client process of its own (workers/latency.ts). */
function timeOverHttp(url: string, runs: number, headers: Record<string, string>) {
  return runWorker<{ p50: number; p99: number }>("latency.ts", [
    url,
    String(runs),
    JSON.stringify(headers),
  ]);
}

export async function benchTimelines(ctx: BenchContext): Promise<void> {
  const postgres = ctx.store.kind === "postgres";
  // On PostgreSQL the viewer follows 200 accounts (2% of all statuses are hers to see, a sparser home
  // than SQLite's 10%, so page 50 reaches 100,000 statuses back).
  const sizes = ctx.quick
    ? { accounts: 1000, statuses: 50_000, following: 100 }
    : { accounts: 10_000, statuses: 1_000_000, following: postgres ? 200 : 1000 };
  const runs = ctx.quick ? 30 : 300;
  const dataDir = mkdtempSync(join(tmpdir(), "atelier-bench-timelines-"));
  try {
    const origin = "http://localhost";
    const database = await createBenchDatabase(ctx.store, dataDir, "timelines");
    const { db } = database;
    const built = performance.now();
    const data = await (postgres ? buildTimelineDataPostgres : buildTimelineData)(
      db,
      origin,
      sizes,
    );
    const token = (
      await issueAccessToken(db, {
        applicationId: null,
        accountId: data.viewerId,
        scopes: ["read"],
      })
    ).accessToken;
    process.stdout.write(
      `built ${sizes.statuses} statuses in ${((performance.now() - built) / 1000).toFixed(1)} s\n`,
    );

    // Page 50 of the home timeline: the max_id after 49 pages of 40.
    const page = (p: Partial<PageParams>): PageParams => ({ limit: 40, ...p });
    let maxId: string | undefined;
    for (let i = 0; i < 49; i++) {
      const rows = await homeTimeline(db, data.viewerId, page({ maxId }));
      maxId = rows.at(-1)?.id;
    }
    if (maxId === undefined) throw new Error("the home timeline has fewer than 50 pages");

    const cases = [
      {
        id: "timeline.home.page1",
        label: "Home timeline, page 1 (40)",
        path: "/api/v1/timelines/home?limit=40",
        direct: async () => await homeTimeline(db, data.viewerId, page({})),
        target: 25,
      },
      {
        id: "timeline.home.page50",
        label: "Home timeline, page 50 via max_id",
        path: `/api/v1/timelines/home?limit=40&max_id=${maxId}`,
        direct: async () => await homeTimeline(db, data.viewerId, page({ maxId })),
        target: 25,
      },
      {
        id: "timeline.public",
        label: "Public timeline, page 1 (40)",
        path: "/api/v1/timelines/public?limit=40",
        direct: async () => await publicTimeline(db, data.viewerId, {}, page({})),
      },
      {
        id: "timeline.tag",
        label: `Hashtag timeline #${data.tag}, page 1 (40)`,
        path: `/api/v1/timelines/tag/${data.tag}?limit=40`,
        direct: async () => await tagTimeline(db, data.viewerId, data.tag, {}, page({})),
      },
    ];
    const ceilings = new Map<string, { p50: number; p99: number }>();
    for (const c of cases) ceilings.set(c.id, await timeSamples(runs, c.direct));
    // Which indexes the home timeline's statements use, pages 1 and 50 (PostgreSQL plans them itself).
    const plans = postgres
      ? {
          "timeline.home.page1": await explainHomeTimeline(db, () => cases[0]!.direct()),
          "timeline.home.page50": await explainHomeTimeline(db, () => cases[1]!.direct()),
        }
      : {};
    if (!postgres) await database.close();

    const instance = await startBenchInstance(ctx.store, database, {
      dataDir,
      // 4 × 300 timed requests from one token: past Mastodon's 300 per 5 minutes that the API keeps.
      env: { ORIGIN: origin, API_RATE_LIMIT: "1000000" },
    });
    try {
      const headers = { authorization: `Bearer ${token}` };
      for (const c of cases) {
        const probe = await fetch(instance.url + c.path, { headers });
        const body = (await probe.json()) as unknown[];
        if (!probe.ok || !Array.isArray(body) || body.length !== 40) {
          throw new Error(
            `${c.path} answered ${probe.status} with ${JSON.stringify(body).slice(0, 200)}`,
          );
        }
        // CPU per request, steadier than wall times on a loaded machine: the instance's processes, and
        // on PostgreSQL the database server's backends.
        const cpu = [await instance.cpuSeconds(), await database.serverCpuSeconds()];
        const http = await timeOverHttp(instance.url + c.path, runs, headers);
        const requests = runs + Math.min(5, runs);
        const [appMs, dbMs] = [
          (((await instance.cpuSeconds()) - cpu[0]!) * 1000) / requests,
          (((await database.serverCpuSeconds()) - cpu[1]!) * 1000) / requests,
        ];
        const cpuNote = `server CPU ${appMs.toFixed(2)} ms per request${postgres ? ` (PostgreSQL ${dbMs.toFixed(2)} ms more)` : ""}`;
        const ceiling = ceilings.get(c.id)!;
        ctx.figure({
          id: c.id,
          label: `${c.label}, p99 over HTTP`,
          value: http.p99,
          unit: "ms",
          ceiling: { value: ceiling.p99, unit: "ms", label: "same query, in-process" },
          ratio: ceiling.p99 / http.p99,
          notes: `p50 ${http.p50.toFixed(2)} ms (direct ${ceiling.p50.toFixed(2)} ms); ${cpuNote}${c.id in plans ? `; plan: ${plans[c.id as keyof typeof plans]}` : ""}`,
          ...(c.target !== undefined
            ? { target: { description: `p99 ≤ ${c.target} ms`, pass: http.p99 <= c.target } }
            : {}),
        });
      }
      // The explore page a visitor opens, every server's latest images (a tenth of the statuses carry
      // one): the same public-timeline query, the grid and the page around it.
      const explore = [
        {
          id: "explore.latest.federated",
          label: "Explore page, Latest from every server (24 image tiles)",
          path: "/explore/latest?scope=federated",
        },
      ];
      for (const e of explore) {
        const probe = await fetch(instance.url + e.path);
        const body = await probe.text();
        const tiles = (body.match(/<li class="tile /g) ?? []).length;
        if (!probe.ok || tiles !== 24) {
          throw new Error(`${e.path} answered ${probe.status} with ${tiles} tiles`);
        }
        const cpu = await instance.cpuSeconds();
        const http = await timeOverHttp(instance.url + e.path, runs, {});
        const appMs = (((await instance.cpuSeconds()) - cpu) * 1000) / (runs + Math.min(5, runs));
        ctx.figure({
          id: e.id,
          label: `${e.label}, p99 over HTTP`,
          value: http.p99,
          unit: "ms",
          notes: `p50 ${http.p50.toFixed(2)} ms; ${(body.length / 1024).toFixed(0)} KB; server CPU ${appMs.toFixed(2)} ms per request`,
        });
      }
      const rss = (await instance.web.rss()) / 2 ** 20;
      ctx.figure({
        id: "memory.after-timelines",
        label: `RSS after the timeline benchmark (${sizes.statuses.toLocaleString("en")} statuses)`,
        value: rss,
        unit: "MB",
      });
    } finally {
      await instance.stop();
      if (postgres) await database.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
