// Benchmark (search): a database of 1,000,000 public statuses of 10,000 indexable accounts, their words
// drawn so that some are in nearly half the statuses and others in a few dozen, every 20th with an
// image made from a prompt (bench/lib/search-data.ts). p50/p99 of GET /api/v2/search (statuses, 20 a
// page, newest first) for a common, a middling and a rare word, two words, a phrase, a word with
// has:media, a common word from: one account, and a word of the prompts, against the same search run directly on the database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { issueAccessToken } from "../src/domain/oauth.ts";
import { searchStatuses } from "../src/domain/search.ts";
import {
  buildSearchData,
  IMAGE_EVERY,
  PROMPT_WORDS,
  VOCABULARY_SIZE,
  vocabularyWord,
} from "./lib/search-data.ts";
import { buildSearchDataPostgres } from "./lib/search-data-postgres.ts";
import { timeSamples } from "./lib/stats.ts";
import { createBenchDatabase, startBenchInstance } from "./lib/stores.ts";
import { runWorker } from "./lib/worker.ts";
import type { BenchContext } from "./run.ts";

const TARGET_MS = 50;
const LIMIT = 20;

function timeOverHttp(url: string, runs: number, headers: Record<string, string>) {
  return runWorker<{ p50: number; p99: number }>("latency.ts", [
    url,
    String(runs),
    JSON.stringify(headers),
  ]);
}

/** The share of statuses holding vocabulary word k (search-data.ts draws eight per status). */
function share(k: number): number {
  const p = Math.log((k + 2) / (k + 1)) / Math.log(VOCABULARY_SIZE + 1);
  return 1 - (1 - p) ** 8;
}

export async function benchSearch(ctx: BenchContext): Promise<void> {
  const postgres = ctx.store.kind === "postgres";
  const sizes = ctx.quick
    ? { accounts: 1000, statuses: 50_000 }
    : { accounts: 10_000, statuses: 1_000_000 };
  const runs = ctx.quick ? 30 : 300;
  const dataDir = mkdtempSync(join(tmpdir(), "atelier-bench-search-"));
  try {
    const origin = "http://localhost";
    const database = await createBenchDatabase(ctx.store, dataDir, "search");
    const { db } = database;
    const built = performance.now();
    const data = await (postgres ? buildSearchDataPostgres : buildSearchData)(db, origin, sizes);
    const buildSeconds = (performance.now() - built) / 1000;
    process.stdout.write(`built ${sizes.statuses} statuses in ${buildSeconds.toFixed(1)} s\n`);
    const token = (
      await issueAccessToken(db, {
        applicationId: null,
        accountId: data.viewerId,
        scopes: ["read"],
      })
    ).accessToken;

    const percent = (k: number) => `${(share(k) * 100).toPrecision(2)}% of statuses`;
    const cases = [
      { id: "search.common", q: vocabularyWord(0), label: `a common word (${percent(0)})` },
      { id: "search.middling", q: vocabularyWord(100), label: `a middling word (${percent(100)})` },
      { id: "search.rare", q: vocabularyWord(5000), label: `a rare word (${percent(5000)})` },
      {
        id: "search.two-words",
        q: `${vocabularyWord(10)} ${vocabularyWord(30)}`,
        label: "two words, both wanted",
      },
      {
        id: "search.phrase",
        q: `"${vocabularyWord(0)} ${vocabularyWord(1)}"`,
        label: "a two-word phrase",
      },
      {
        id: "search.has-media",
        q: `${vocabularyWord(100)} has:media`,
        label: `a middling word with has:media (1 status in ${IMAGE_EVERY} has an image)`,
      },
      {
        id: "search.from",
        q: `${vocabularyWord(0)} from:u5@peer5.example`,
        label: `a common word from one account (of ${sizes.accounts.toLocaleString("en")})`,
      },
      {
        id: "search.prompt",
        q: PROMPT_WORDS[0]!,
        label: `a word of image prompts (${((1 - (1 - 1 / PROMPT_WORDS.length) ** 6) * (100 / IMAGE_EVERY)).toPrecision(2)}% of statuses)`,
      },
    ];
    const ceilings = new Map<string, { p50: number; p99: number }>();
    const page = { limit: LIMIT, offset: 0 };
    for (const c of cases) {
      const direct = async () => await searchStatuses(db, "localhost", data.viewerId, c.q, page);
      if ((await direct()).length === 0) throw new Error(`${c.q} finds nothing`);
      ceilings.set(c.id, await timeSamples(runs, direct));
    }
    if (!postgres) await database.close();

    const instance = await startBenchInstance(ctx.store, database, {
      dataDir,
      env: { ORIGIN: origin, API_RATE_LIMIT: "1000000" },
    });
    try {
      const headers = { authorization: `Bearer ${token}` };
      for (const c of cases) {
        const path = `/api/v2/search?type=statuses&limit=${LIMIT}&q=${encodeURIComponent(c.q)}`;
        const probe = await fetch(instance.url + path, { headers });
        const body = (await probe.json()) as { statuses?: unknown[] };
        if (!probe.ok || !Array.isArray(body.statuses) || body.statuses.length === 0) {
          throw new Error(
            `${path} answered ${probe.status} with ${JSON.stringify(body).slice(0, 200)}`,
          );
        }
        const cpu = [await instance.cpuSeconds(), await database.serverCpuSeconds()];
        const http = await timeOverHttp(instance.url + path, runs, headers);
        const requests = runs + Math.min(5, runs);
        const appMs = (((await instance.cpuSeconds()) - cpu[0]!) * 1000) / requests;
        const dbMs = (((await database.serverCpuSeconds()) - cpu[1]!) * 1000) / requests;
        const ceiling = ceilings.get(c.id)!;
        ctx.figure({
          id: c.id,
          label: `Search (${sizes.statuses.toLocaleString("en")} statuses), ${c.label}: ${c.q}, p99 over HTTP`,
          value: http.p99,
          unit: "ms",
          ceiling: { value: ceiling.p99, unit: "ms", label: "same search, in-process" },
          ratio: ceiling.p99 / http.p99,
          notes: `p50 ${http.p50.toFixed(2)} ms (direct ${ceiling.p50.toFixed(2)} ms); ${body.statuses.length} a page; server CPU ${appMs.toFixed(2)} ms per request${postgres ? ` (PostgreSQL ${dbMs.toFixed(2)} ms more)` : ""}; data built in ${buildSeconds.toFixed(0)} s`,
          target: { description: `p99 ≤ ${TARGET_MS} ms`, pass: http.p99 <= TARGET_MS },
        });
      }
    } finally {
      await instance.stop();
      if (postgres) await database.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
