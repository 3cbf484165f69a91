// Two `ROLE=worker` processes on one store (the SQLite file, or PostgreSQL under `npm run test:postgres`),
// started at the same moment over work left for them: each scheduled status is published once, each poll
// end announced once, each queued generation job run once; neither worker's start-up recovery fails the
// other's running jobs.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { closeStore, openStore } from "../src/db/dialect.ts";
import {
  generationCandidates,
  generationJobs,
  generationSpending,
  notifications,
  pollEndings,
  scheduledStatuses,
  statuses,
} from "../src/db/schema/index.ts";
import { createDeps } from "../src/deps.ts";
import { createLocalUser } from "../src/domain/accounts.ts";
import { publishStatus } from "../src/domain/statuses.ts";
import { insertQueuedJob } from "../src/generation/job-store.ts";
import { LOCAL_MODEL } from "../src/generation/local/index.ts";
import { tempDir, testConfig } from "./helpers/instance.ts";
import { type Started, startScript } from "./helpers/process.ts";
import { pause } from "./helpers/sse.ts";

const HOUR = 3_600_000;
const started: Started[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) {
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGTERM");
    await s.exited;
  }
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("two worker processes on one store", () => {
  it("publish a scheduled status, end a poll and run each generation job once", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    // ROLE=web: the test's own deps record work and dispatch none of it.
    const config = testConfig({ DATA_DIR: dir.path, ROLE: "web" });
    const anHourAgo = () => new Date(Date.now() - HOUR);
    const setup = await createDeps(config, { now: anHourAgo, measureRemoteMedia: false });
    const { account: alice } = await createLocalUser(setup.db, setup.urls, {
      username: "alice",
      password: "alice-password",
    });
    // Scheduled an hour ago for ten minutes later: due now.
    await setup.scheduledStatuses.schedule(
      alice.id,
      { text: "scheduled hello" },
      new Date(anHourAgo().getTime() + 10 * 60_000),
    );
    const poll = await publishStatus(setup, alice.id, {
      text: "Quick question",
      poll: { options: ["Yes", "No"], expiresIn: 300 },
    });
    await setup.db.update(pollEndings).set({ endsAt: new Date(Date.now() - 1000) });
    const jobIds: string[] = [];
    for (let i = 0; i < 6; i++) {
      const job = await insertQueuedJob(setup.db, alice.id, "local", {
        prompt: `a lighthouse, take ${i}`,
        negativePrompt: null,
        model: LOCAL_MODEL,
        size: "512x512",
        quality: "auto",
        background: "auto",
        n: 1,
        seed: i,
        sourceMediaId: null,
        remixOfStatusId: null,
      });
      jobIds.push(job.id);
    }
    await setup.close();

    const env = {
      DATA_DIR: dir.path,
      ...(config.databaseUrl !== undefined ? { DATABASE_URL: config.databaseUrl } : {}),
      ORIGIN: config.origin,
      ROLE: "worker",
      LOG_LEVEL: "info",
      IMAGE_PROVIDER: "local",
    };
    started.push(
      ...(await Promise.all([
        startScript("src/main.ts", env, /worker running/, 30_000),
        startScript("src/main.ts", env, /worker running/, 30_000),
      ])),
    );

    const db = await openStore(config);
    cleanups.push(() => closeStore(db));
    const done = async () => {
      const jobs = await db.select().from(generationJobs);
      const scheduled = await db.select().from(scheduledStatuses);
      const ends = await db.select().from(pollEndings);
      return jobs.every((j) => j.state === "succeeded") && scheduled.length + ends.length === 0;
    };
    for (let i = 0; i < 600 && !(await done()); i++) await pause(50);
    expect(await done()).toBe(true);
    // A second publication or run would come from the other worker at about the same time.
    await pause(1500);

    const published = await db.select().from(statuses).where(eq(statuses.accountId, alice.id));
    expect(published).toHaveLength(2);
    expect(published.filter((s) => s.content?.includes("scheduled hello"))).toHaveLength(1);
    expect(
      await db.select().from(notifications).where(eq(notifications.type, "poll")),
    ).toMatchObject([{ accountId: alice.id, statusId: poll.id }]);
    const jobs = await db.select().from(generationJobs);
    expect(jobs.map((j) => [j.state, j.attempts])).toEqual(jobIds.map(() => ["succeeded", 1]));
    const spending = await db.select().from(generationSpending);
    expect(spending.map((s) => s.jobId).sort()).toEqual(jobIds);
    expect(await db.select().from(generationCandidates)).toHaveLength(jobIds.length);

    for (const s of started) s.child.kill("SIGTERM");
    expect(await Promise.all(started.map((s) => s.exited))).toEqual([0, 0]);
  }, 120_000);
});
