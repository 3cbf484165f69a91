// `npm run bench [-- --quick] [-- --strict] [-- --only id,id] [-- --redis] [-- --postgres]`: runs the
// benchmarks on loopback, prints PASS/FAIL per target, writes bench/results.json and BENCHMARKS.md. Exits
// non-zero on a FAIL only with --strict, and on any benchmark that crashed. --redis starts a Redis server
// and runs the servers with REDIS_URL (Fedify's queue and cache there); its figures go to bench/tmp, ids
// suffixed. --postgres runs the instance on PostgreSQL (a server it starts, or BENCH_DATABASE_URL: one
// whose user may create databases): the timelines at 1,000,000 statuses, and inbox ingest and fan-out
// with a web process and 1, then 2, worker processes; a full run's figures go to the "postgres" part of
// bench/results.json (and its own table in BENCHMARKS.md), leaving the SQLite figures as they were.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startPostgres, startRedis, type TestServer } from "../test/helpers/servers.ts";
import { benchFanout } from "./fanout.ts";
import { benchGeneration } from "./generation.ts";
import { benchHttp } from "./http.ts";
import { benchInbox } from "./inbox.ts";
import { root } from "./lib/instance.ts";
import {
  type BenchResults,
  type Figure,
  machineInfo,
  verdict,
  writeResults,
} from "./lib/report.ts";
import { type BenchStore, sqliteStore, storeVariant } from "./lib/stores.ts";
import { benchMedia } from "./media.ts";
import { benchSearch } from "./search.ts";
import { benchTimelines } from "./timelines.ts";
import { benchTrends } from "./trends.ts";

export interface BenchContext {
  quick: boolean;
  /** Added to the environment of the servers the benchmarks start (REDIS_URL with --redis). */
  env: Record<string, string>;
  /** Where the instance keeps its data and how many processes it runs as (SQLite: one). */
  store: BenchStore;
  figure(f: Figure): void;
  skip(id: string, reason: string): void;
}

type Benchmark = { id: string; run: (ctx: BenchContext) => Promise<void>; store?: BenchStore };

const benchmarks: Benchmark[] = [
  { id: "http", run: benchHttp },
  { id: "media", run: benchMedia },
  { id: "generation", run: benchGeneration },
  { id: "timelines", run: benchTimelines },
  { id: "search", run: benchSearch },
  { id: "trends", run: benchTrends },
  { id: "inbox", run: benchInbox },
  { id: "fanout", run: benchFanout },
];

/** What --postgres runs: what the store changes, and the federation work with one and two workers. */
function postgresBenchmarks(serverUrl: string): Benchmark[] {
  const workers = (n: number): BenchStore => ({ kind: "postgres", serverUrl, workers: n });
  return [
    { id: "timelines", run: benchTimelines, store: workers(0) },
    { id: "search", run: benchSearch, store: workers(0) },
    { id: "trends", run: benchTrends, store: workers(0) },
    { id: "inbox", run: benchInbox, store: workers(1) },
    { id: "inbox", run: benchInbox, store: workers(2) },
    { id: "fanout", run: benchFanout, store: workers(1) },
    { id: "fanout", run: benchFanout, store: workers(2) },
  ];
}

/** The PostgreSQL server of a --postgres run: BENCH_DATABASE_URL's (left running), else one of its own. */
async function benchPostgres(): Promise<TestServer> {
  const url = process.env.BENCH_DATABASE_URL;
  if (url === undefined) return await startPostgres();
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "[::1]"].includes(host)) {
    throw new Error(`BENCH_DATABASE_URL must be on loopback, not ${host}`);
  }
  return { url, stop: async () => {} };
}

// The notes below the table: what the targets are and where we think one is wrong, with the evidence.
const NOTES = `
${readFileSync(join(root, "bench", "notes.md"), "utf8")}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      strict: { type: "boolean", default: false },
      only: { type: "string" },
      redis: { type: "boolean", default: false },
      postgres: { type: "boolean", default: false },
    },
  });
  if (values.redis && values.postgres) throw new Error("--redis and --postgres are separate runs");
  const redis = values.redis ? await startRedis() : undefined;
  const postgres = values.postgres ? await benchPostgres() : undefined;
  const only = values.only?.split(",");
  const results: BenchResults = {
    date: new Date().toISOString(),
    quick: values.quick === true,
    machine: machineInfo(),
    figures: [],
    skipped: [],
  };
  const ctx: BenchContext = {
    quick: results.quick,
    env: redis === undefined ? {} : { REDIS_URL: redis.url },
    store: sqliteStore,
    figure(measured) {
      const variant = storeVariant(ctx.store);
      const f =
        redis === undefined
          ? { ...measured, id: measured.id + variant.id, label: measured.label + variant.label }
          : {
              ...measured,
              id: `${measured.id}.redis`,
              label: `${measured.label} [queue on Redis]`,
            };
      results.figures.push(f);
      const ratio = f.ratio === undefined ? "" : ` (${(f.ratio * 100).toFixed(0)}% of ceiling)`;
      const target = f.target ? `  ${verdict(f.target)}` : "";
      process.stdout.write(`${f.label}: ${f.value.toFixed(1)} ${f.unit}${ratio}${target}\n`);
    },
    skip(id, reason) {
      results.skipped.push({ id, reason });
      process.stdout.write(`${id}: skipped (${reason})\n`);
    },
  };
  let crashed = false;
  try {
    for (const b of postgres === undefined ? benchmarks : postgresBenchmarks(postgres.url)) {
      if (only !== undefined && !only.includes(b.id)) continue;
      ctx.store = b.store ?? sqliteStore;
      const id = b.id + storeVariant(ctx.store).id;
      process.stdout.write(`\n== ${id} ==\n`);
      try {
        await b.run(ctx);
      } catch (error) {
        crashed = true;
        process.stderr.write(`${id} crashed: ${error instanceof Error ? error.stack : error}\n`);
        ctx.skip(id, `crashed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    await redis?.stop();
    await postgres?.stop();
  }
  // A quick run only proves the benchmarks still work, and a Redis run measures a variant: neither
  // replaces the full run's figures. A full PostgreSQL run replaces only the PostgreSQL ones.
  writeResults(
    results.quick || redis !== undefined ? join(root, "bench", "tmp") : root,
    results,
    NOTES,
    postgres === undefined ? "main" : "postgres",
  );
  const failed = results.figures.filter((f) => f.target && !f.target.pass);
  const disputed = failed.filter((f) => f.target?.disputed).length;
  process.stdout.write(
    `\n${results.figures.length} figures, ${failed.length} below target (${disputed} of them with a target we dispute), ${results.skipped.length} not measured.\n`,
  );
  if (crashed || (values.strict && failed.length > 0)) process.exitCode = 1;
}

await main();
