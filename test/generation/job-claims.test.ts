// Generation jobs with several workers on one database (two deps, two store connections, as two
// ROLE=worker processes have): a job runs under its worker's lease, a worker starting leaves the jobs
// other live workers run alone, and a job whose worker died is settled once its lease has run out.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { type GenerationJob, generationJobs } from "../../src/db/schema/index.ts";
import { createDeps, type Deps } from "../../src/deps.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { claimNextQueuedJob, insertQueuedJob } from "../../src/generation/job-store.ts";
import { GenerationService } from "../../src/generation/jobs.ts";
import { LOCAL_MODEL, LocalProvider } from "../../src/generation/local/index.ts";
import type { GeneratedImage, GenerateRequest } from "../../src/generation/provider.ts";
import { tempDir, testConfig } from "../helpers/instance.ts";
import { testsOnPostgres } from "../helpers/postgres-store.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The local generator, held at the start of each call until release(). */
class HeldProvider extends LocalProvider {
  started = 0;
  #release: (() => void) | undefined;
  readonly #held = new Promise<void>((resolve) => {
    this.#release = resolve;
  });
  release(): void {
    this.#release?.();
  }
  override async generate(
    request: GenerateRequest,
    signal: AbortSignal,
  ): Promise<GeneratedImage[]> {
    this.started++;
    await this.#held;
    return super.generate(request, signal);
  }
}

/** Two workers' deps on one fresh database: each opens the store on connections of its own. */
async function twoWorkers(provider = new LocalProvider()) {
  const dir = tempDir();
  cleanups.push(dir.remove);
  const config = testConfig({ DATA_DIR: dir.path });
  const open = async () => {
    const deps = await createDeps(config, { imageProvider: provider });
    cleanups.push(() => deps.close());
    return deps;
  };
  const first = await open();
  const second = await open();
  const alice = (
    await createLocalUser(first.db, first.urls, { username: "alice", password: "correct horse" })
  ).account;
  return { config, first, second, alice };
}

function worker(deps: Deps, provider = new LocalProvider(), leaseMs?: number): GenerationService {
  const service = new GenerationService({
    db: deps.db,
    config: deps.config,
    provider,
    media: deps.media,
    ...(leaseMs !== undefined ? { leaseMs } : {}),
  });
  cleanups.push(() => service.close(0));
  return service;
}

async function jobRow(deps: Deps, id: string): Promise<GenerationJob | undefined> {
  return (await deps.db.select().from(generationJobs).where(eq(generationJobs.id, id)))[0];
}

async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("generation jobs with several workers", () => {
  it("leave a job another live worker runs alone when a second worker starts", async () => {
    const held = new HeldProvider();
    const { first, second, alice } = await twoWorkers(held);
    const running = worker(first, held);
    await running.start();
    const job = await running.request(alice.id, { prompt: "a harbour", size: "512x512" });
    await until(async () => held.started === 1);
    expect(await jobRow(first, job.id)).toMatchObject({
      state: "running",
      claimedBy: running.claimant,
    });

    // A second worker starts: its recovery must neither fail nor re-queue the job the first runs.
    const starting = worker(second);
    await starting.start();
    await starting.idle();
    expect(await jobRow(second, job.id)).toMatchObject({
      state: "running",
      claimedBy: running.claimant,
      attempts: 1,
    });

    held.release();
    await running.idle();
    expect(await running.get(alice.id, job.id)).toMatchObject({
      job: { state: "succeeded", attempts: 1 },
      candidates: [expect.anything()],
    });
  });

  it("take over the jobs of a worker that died once its lease has run out", async () => {
    const { first, second, alice } = await twoWorkers();
    const leaseEnd = new Date(Date.now() + 4000);
    const leftBy = async (provider: string, model: string) =>
      (
        await first.db
          .insert(generationJobs)
          .values({
            id: newId(),
            accountId: alice.id,
            state: "running",
            provider,
            model,
            prompt: "cut off",
            size: "512x512",
            seed: 1,
            attempts: 1,
            startedAt: new Date(),
            // The dead worker's lease, never to be renewed.
            claimedBy: "dead-worker",
            claimedUntil: leaseEnd,
          })
          .returning()
      )[0]!;
    const local = await leftBy("local", LOCAL_MODEL);
    const paid = await leftBy("openai", "gpt-image-1");

    const survivor = worker(second, new LocalProvider(), 200);
    await survivor.start();
    await survivor.idle();
    if (Date.now() < leaseEnd.getTime()) {
      // Within the lease the jobs are still the other worker's, as a live one's would be.
      expect(await jobRow(second, local.id)).toMatchObject({ state: "running", attempts: 1 });
      expect(await jobRow(second, paid.id)).toMatchObject({ state: "running" });
    }

    // The survivor looks again (the worker's poll kicks it every second) after the lease ran out.
    await until(async () => {
      await survivor.kick();
      await survivor.idle();
      return (await jobRow(second, local.id))?.state === "succeeded";
    });
    expect(await jobRow(second, local.id)).toMatchObject({
      state: "succeeded",
      attempts: 2,
      claimedBy: survivor.claimant,
    });
    // The paid one is failed rather than paid for twice.
    expect(await jobRow(second, paid.id)).toMatchObject({
      state: "failed",
      errorCode: "interrupted",
    });
  });

  it("are claimed once each by two workers claiming at the same moment", async () => {
    const { first, second, alice } = await twoWorkers();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const job = await insertQueuedJob(first.db, alice.id, "local", {
        prompt: `job ${i}`,
        model: LOCAL_MODEL,
        size: "512x512",
        quality: "auto",
        background: "auto",
        n: 1,
        seed: i,
        negativePrompt: null,
        sourceMediaId: null,
        remixOfStatusId: null,
      });
      ids.push(job.id);
    }
    // SQLite's claims take turns on the file's write lock (test/workers.test.ts races two processes);
    // two connections of one process would only wait for each other, so there the calls follow.
    const claimAll = async (deps: Deps, claimant: string) => {
      const claimed: string[] = [];
      for (;;) {
        const job = await claimNextQueuedJob(deps.db, claimant, 60_000);
        if (job === undefined) return claimed;
        claimed.push(job.id);
      }
    };
    const [a, b] = testsOnPostgres()
      ? await Promise.all([claimAll(first, "a"), claimAll(second, "b")])
      : [await claimAll(first, "a"), await claimAll(second, "b")];
    expect([...a, ...b].sort()).toEqual(ids);
    const rows = await first.db.select().from(generationJobs);
    expect(rows.every((r) => r.state === "running" && r.attempts === 1)).toBe(true);
    expect(
      rows
        .filter((r) => r.claimedBy === "a")
        .map((r) => r.id)
        .sort(),
    ).toEqual([...a].sort());
  });
});
