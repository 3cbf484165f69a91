// `npm run bench [-- --quick] [-- --strict] [-- --only id,id] [-- --redis]`: runs the benchmarks on
// loopback, prints PASS/FAIL per target, writes bench/results.json and BENCHMARKS.md. Exits non-zero on a
// FAIL only with --strict, and on any benchmark that crashed. --redis starts a Redis server and runs the
// servers with REDIS_URL (Fedify's queue and cache there); its figures go to bench/tmp, ids suffixed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startRedis } from "../test/helpers/servers.ts";
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
import { benchMedia } from "./media.ts";
import { benchTimelines } from "./timelines.ts";

export interface BenchContext {
  quick: boolean;
  /** Added to the environment of the servers the benchmarks start (REDIS_URL with --redis). */
  env: Record<string, string>;
  figure(f: Figure): void;
  skip(id: string, reason: string): void;
}

const benchmarks: { id: string; run: (ctx: BenchContext) => Promise<void> }[] = [
  { id: "http", run: benchHttp },
  { id: "media", run: benchMedia },
  { id: "generation", run: benchGeneration },
  { id: "timelines", run: benchTimelines },
  { id: "inbox", run: benchInbox },
  { id: "fanout", run: benchFanout },
];

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
    },
  });
  const redis = values.redis ? await startRedis() : undefined;
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
    figure(measured) {
      const f =
        redis === undefined
          ? measured
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
  for (const b of benchmarks) {
    if (only !== undefined && !only.includes(b.id)) continue;
    process.stdout.write(`\n== ${b.id} ==\n`);
    try {
      await b.run(ctx);
    } catch (error) {
      crashed = true;
      process.stderr.write(`${b.id} crashed: ${error instanceof Error ? error.stack : error}\n`);
      ctx.skip(b.id, `crashed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  await redis?.stop();
  // A quick run only proves the benchmarks still work, and a Redis run measures a variant: neither
  // replaces the full run's figures.
  writeResults(
    results.quick || redis !== undefined ? join(root, "bench", "tmp") : root,
    results,
    NOTES,
  );
  const failed = results.figures.filter((f) => f.target && !f.target.pass);
  const disputed = failed.filter((f) => f.target?.disputed).length;
  process.stdout.write(
    `\n${results.figures.length} figures, ${failed.length} below target (${disputed} of them with a target we dispute), ${results.skipped.length} not measured.\n`,
  );
  if (crashed || (values.strict && failed.length > 0)) process.exitCode = 1;
}

await main();
