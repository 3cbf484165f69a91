import { configure, type LogRecord, reset } from "@logtape/logtape";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { returned } from "../../src/db/returned.ts";
import { generationJobs, generationSpending } from "../../src/db/schema/index.ts";
import { createDeps, type Deps } from "../../src/deps.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { readScene } from "../../src/generation/local/render.ts";
import { addBlockedTerm } from "../../src/generation/moderation.ts";
import { DIGITAL_SOURCE_TYPE, readDigitalSourceType } from "../../src/media/provenance.ts";
import { type FakeOpenAI, json, startFakeOpenAI } from "../helpers/fake-openai.ts";
import { storeVariables, tempDir, testConfig } from "../helpers/instance.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function instance(env: Record<string, string> = {}, dir = tempDir()) {
  const deps = await createDeps(testConfig({ DATA_DIR: dir.path, ...env }));
  cleanups.push(() => dir.remove());
  cleanups.push(() => deps.close());
  return { deps, dir };
}

async function user(deps: Deps, username = "alice") {
  return (await createLocalUser(deps.db, deps.urls, { username, password: "correct horse" }))
    .account;
}

async function fakeOpenAI(): Promise<FakeOpenAI> {
  const fake = await startFakeOpenAI();
  cleanups.push(() => fake.stop());
  fake.handle("POST /moderations", (_req, res) =>
    json(res, 200, {
      id: "m",
      model: "omni-moderation-latest",
      results: [{ flagged: false, categories: {}, category_scores: {} }],
    }),
  );
  return fake;
}

const openaiEnv = (fake: FakeOpenAI) => ({
  IMAGE_PROVIDER: "openai",
  OPENAI_API_KEY: "sk-secret-key-42",
  OPENAI_BASE_URL: fake.baseUrl,
});

describe("generation jobs", () => {
  it("run a local job to candidates that carry their provenance, alt text and XMP", async () => {
    const { deps } = await instance();
    const alice = await user(deps);
    await deps.start();
    const job = await deps.generation.request(alice.id, {
      prompt: "a lighthouse at dusk",
      n: 2,
      seed: 9,
      size: "512x512",
    });
    expect(job.state).toBe("queued");
    await deps.generation.idle();
    const { job: done, candidates } = await deps.generation.get(alice.id, job.id);
    expect(done.state).toBe("succeeded");
    expect(done.finishedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt!.getTime());
    expect(candidates).toHaveLength(2);
    // The local provider describes what it drew (its scene), not the prompt word for word.
    expect(candidates[0]!.description).toMatch(/^A lighthouse on the sea at dusk/);
    expect(candidates[0]!.statusId).toBeNull();
    expect(candidates[0]!.provenance).toMatchObject({
      digitalSourceType: DIGITAL_SOURCE_TYPE.trainedAlgorithmicMedia,
      provider: "local",
      model: "atelier-procedural-1",
      prompt: "a lighthouse at dusk",
      seed: 9,
      generationId: job.id,
    });
    expect(candidates[1]!.provenance?.seed).toBe(10);
    const file = await deps.media.store.get(candidates[0]!.displayKey!);
    expect(readDigitalSourceType((await sharp(file!.bytes).metadata()).xmp)).toBe(
      DIGITAL_SOURCE_TYPE.trainedAlgorithmicMedia,
    );
    const spending = await deps.db.select().from(generationSpending);
    expect(spending).toMatchObject([
      { jobId: job.id, provider: "local", images: 2, costMicros: 0 },
    ]);
  });

  it("edit a local candidate through a job: the scene survives storage and the instruction changes it", async () => {
    const { deps } = await instance();
    const alice = await user(deps);
    await deps.start();
    const first = await deps.generation.request(alice.id, {
      prompt: "a harbour at dusk",
      seed: 4,
      size: "256x256",
    });
    await deps.generation.idle();
    const [source] = (await deps.generation.get(alice.id, first.id)).candidates;
    const stored = await deps.media.store.get(source!.originalKey!);
    expect(readScene(Buffer.from(stored!.bytes))?.elements.stars).toBeUndefined();
    const edit = await deps.generation.request(alice.id, {
      prompt: "add stars",
      sourceMediaId: source!.id,
      size: "256x256",
    });
    await deps.generation.idle();
    const done = await deps.generation.get(alice.id, edit.id);
    expect(done.job.state).toBe("succeeded");
    const edited = await deps.media.store.get(done.candidates[0]!.originalKey!);
    const scene = readScene(Buffer.from(edited!.bytes));
    expect(scene).toMatchObject({ place: "harbour", time: "dusk", elements: { stars: 1 } });
  });

  it("refuse a request beyond the daily quota, counting images, with a clear message", async () => {
    const { deps } = await instance({ GENERATION_DAILY_QUOTA: "3" });
    const alice = await user(deps);
    const bob = await user(deps, "bob");
    await deps.generation.request(alice.id, { prompt: "one", n: 2 });
    await expect(deps.generation.request(alice.id, { prompt: "two", n: 2 })).rejects.toMatchObject({
      status: 429,
      message: expect.stringMatching(/Daily image limit reached: 2 of 3 images used today/),
    });
    await deps.generation.request(alice.id, { prompt: "three", n: 1 });
    // Another user has a quota of their own; a cancelled job gives its images back.
    const bobs = await deps.generation.request(bob.id, { prompt: "bob", n: 3 });
    await deps.generation.cancel(bob.id, bobs.id);
    await deps.generation.request(bob.id, { prompt: "bob again", n: 3 });
  });

  it("refuse a prompt with a blocked term, saying which, before queueing anything", async () => {
    const { deps } = await instance();
    const alice = await user(deps);
    await addBlockedTerm(deps.db, "Gore", "not on this instance");
    await expect(
      deps.generation.request(alice.id, { prompt: "lots of GORE and blood" }),
    ).rejects.toMatchObject({
      status: 422,
      message:
        'This prompt contains "gore", which this instance does not allow (not on this instance)',
    });
    // Whole words only: "Gorey" is a name, not the term.
    await deps.generation.request(alice.id, {
      prompt: "an illustration in the style of Edward Gorey",
    });
    expect(await deps.db.select().from(generationJobs)).toHaveLength(1);
  });

  it("refuse a prompt flagged by OpenAI's moderation without calling the image endpoint", async () => {
    const fake = await fakeOpenAI();
    fake.handle("POST /moderations", (_req, res) =>
      json(res, 200, {
        id: "m",
        model: "omni-moderation-latest",
        results: [{ flagged: true, categories: { "self-harm": true }, category_scores: {} }],
      }),
    );
    const { deps } = await instance(openaiEnv(fake));
    const alice = await user(deps);
    await expect(
      deps.generation.request(alice.id, { prompt: "something bad" }),
    ).rejects.toMatchObject({
      status: 422,
      message: "This prompt was refused by the moderation check (self-harm)",
    });
    expect(fake.requests.map((r) => r.path)).toEqual(["/moderations"]);
  });

  it("fail a job the provider refuses, with the reason and no images, and never store the key", async () => {
    const fake = await fakeOpenAI();
    fake.handle("POST /images/generations", (_req, res) =>
      json(res, 400, {
        error: {
          message: "Your request was rejected by our safety system.",
          code: "content_policy_violation",
          type: "invalid_request_error",
        },
      }),
    );
    const { deps } = await instance(openaiEnv(fake));
    const alice = await user(deps);
    await deps.start();
    const job = await deps.generation.request(alice.id, {
      prompt: "a harmless kitten",
      quality: "high",
    });
    await deps.generation.idle();
    const { job: failed, candidates } = await deps.generation.get(alice.id, job.id);
    expect(failed.state).toBe("failed");
    expect(failed.errorCode).toBe("content_policy");
    expect(failed.errorMessage).toMatch(/content policy/);
    expect(candidates).toEqual([]);
    const everything = JSON.stringify(await deps.db.select().from(generationJobs));
    expect(everything).not.toContain("sk-secret-key-42");
  });

  it("fail a job whose API key is rejected without the key reaching the logs or the job", async () => {
    const records: LogRecord[] = [];
    await configure({
      reset: true,
      sinks: { memory: (r) => records.push(r) },
      loggers: [{ category: [], lowestLevel: "trace", sinks: ["memory"] }],
    });
    cleanups.push(() => reset());
    const fake = await fakeOpenAI();
    fake.handle("POST /images/generations", (_req, res) =>
      json(res, 401, {
        error: {
          message: "Incorrect API key provided: sk-secret-key-42.",
          code: "invalid_api_key",
          type: "invalid_request_error",
        },
      }),
    );
    const { deps } = await instance(openaiEnv(fake));
    const alice = await user(deps);
    await deps.start();
    const job = await deps.generation.request(alice.id, { prompt: "a kitten" });
    await deps.generation.idle();
    const failed = (await deps.generation.get(alice.id, job.id)).job;
    expect(failed).toMatchObject({ state: "failed", errorCode: "provider_auth" });
    expect(failed.errorMessage).toMatch(/an administrator must fix the API key/);
    expect(records.length).toBeGreaterThan(0);
    const logged = records.map((r) =>
      JSON.stringify({ m: r.message, p: r.properties }, (_k, v) =>
        v instanceof Error ? `${v.message} ${v.stack}` : v,
      ),
    );
    expect(logged.join("\n")).not.toContain("sk-secret-key-42");
  });

  it("record the spending of a paid job at the configured price", async () => {
    const fake = await fakeOpenAI();
    const image = (
      await sharp({ create: { width: 1024, height: 1024, channels: 3, background: "#456" } })
        .png()
        .toBuffer()
    ).toString("base64");
    fake.handle("POST /images/generations", (_req, res) =>
      json(res, 200, { created: 1, data: [{ b64_json: image, revised_prompt: "revised" }] }),
    );
    const { deps } = await instance({
      ...openaiEnv(fake),
      IMAGE_PRICES: '{"gpt-image-1":{"high":{"*":0.5}}}',
      GENERATION_MONTHLY_BUDGET_USD: "0.9",
    });
    const alice = await user(deps);
    await deps.start();
    const job = await deps.generation.request(alice.id, { prompt: "a kitten", quality: "high" });
    await deps.generation.idle();
    const { job: done, candidates } = await deps.generation.get(alice.id, job.id);
    expect(done).toMatchObject({
      state: "succeeded",
      costMicros: 500_000,
      revisedPrompt: "revised",
      seed: null,
    });
    expect(candidates[0]!.provenance).toMatchObject({
      provider: "openai",
      model: "gpt-image-1",
      revisedPrompt: "revised",
    });
    // The next image would take the month past its $0.90 budget.
    await expect(
      deps.generation.request(alice.id, { prompt: "another", quality: "high" }),
    ).rejects.toMatchObject({
      status: 503,
      message: expect.stringMatching(/budget for this month is spent/),
    });
  });

  it("edit one of the user's images through images.edit", async () => {
    const fake = await fakeOpenAI();
    const result = (
      await sharp({ create: { width: 1024, height: 1024, channels: 3, background: "#a0a" } })
        .png()
        .toBuffer()
    ).toString("base64");
    fake.handle("POST /images/edits", (_req, res) =>
      json(res, 200, { created: 1, data: [{ b64_json: result }] }),
    );
    const { deps } = await instance(openaiEnv(fake));
    const alice = await user(deps);
    const bob = await user(deps, "bob");
    const source = await deps.media.ingest(
      alice.id,
      await sharp({ create: { width: 64, height: 64, channels: 3, background: "#0a0" } })
        .jpeg()
        .toBuffer(),
    );
    await expect(
      deps.generation.request(bob.id, { prompt: "make it purple", sourceMediaId: source.id }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      deps.generation.request(alice.id, {
        prompt: "x",
        model: "dall-e-3",
        sourceMediaId: source.id,
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/cannot edit/) });
    await deps.start();
    const job = await deps.generation.request(alice.id, {
      prompt: "make it purple",
      sourceMediaId: source.id,
    });
    await deps.generation.idle();
    const done = await deps.generation.get(alice.id, job.id);
    expect(done.job.state).toBe("succeeded");
    expect(done.candidates).toHaveLength(1);
    const upload = fake.requests.find((r) => r.path === "/images/edits")!;
    expect(upload.body).toContain("image/png");
  });

  it("count queued paid jobs against the monthly budget before they are paid", async () => {
    const fake = await fakeOpenAI();
    const { deps } = await instance({
      ...openaiEnv(fake),
      IMAGE_PRICES: '{"gpt-image-1":{"*":{"*":0.5}}}',
      GENERATION_MONTHLY_BUDGET_USD: "0.9",
    });
    const alice = await user(deps);
    await deps.generation.request(alice.id, { prompt: "first" });
    await expect(deps.generation.request(alice.id, { prompt: "second" })).rejects.toMatchObject({
      status: 503,
    });
  });

  it("let only one of two requests racing through moderation spend the last of the budget", async () => {
    const fake = await fakeOpenAI();
    const { deps } = await instance({
      ...openaiEnv(fake),
      IMAGE_PRICES: '{"gpt-image-1":{"*":{"*":0.5}}}',
      GENERATION_MONTHLY_BUDGET_USD: "0.9",
    });
    const alice = await user(deps);
    // Both pass the first check, then wait on the moderation call before either is stored.
    const results = await Promise.allSettled([
      deps.generation.request(alice.id, { prompt: "first" }),
      deps.generation.request(alice.id, { prompt: "second" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ status: 503 });
  });

  it("bill a cancelled paid job once its provider call answers, and count it in the daily quota", async () => {
    const fake = await fakeOpenAI();
    const image = (
      await sharp({ create: { width: 64, height: 64, channels: 3, background: "#456" } })
        .png()
        .toBuffer()
    ).toString("base64");
    let release: (() => void) | undefined;
    let aborted = false;
    fake.handle("POST /images/generations", (_req, res) => {
      res.on("close", () => {
        aborted = !res.writableEnded;
      });
      // The fake server holds the answer until the test lets it go (after the cancel).
      release = () => json(res, 200, { created: 1, data: [{ b64_json: image }] });
    });
    const { deps } = await instance({
      ...openaiEnv(fake),
      GENERATION_CONCURRENCY: "1",
      GENERATION_DAILY_QUOTA: "2",
      IMAGE_PRICES: '{"gpt-image-1":{"*":{"*":0.25}}}',
    });
    const alice = await user(deps);
    await deps.start();
    const first = await deps.generation.request(alice.id, { prompt: "slow one" });
    const second = await deps.generation.request(alice.id, { prompt: "waiting one" });
    await expect.poll(() => release !== undefined).toBe(true);
    expect((await deps.generation.get(alice.id, second.id)).job.state).toBe("queued");
    expect((await deps.generation.cancel(alice.id, second.id)).state).toBe("cancelled");
    expect((await deps.generation.cancel(alice.id, first.id)).state).toBe("cancelled");
    release?.();
    await deps.generation.idle();
    expect(aborted).toBe(false);
    const { job, candidates } = await deps.generation.get(alice.id, first.id);
    expect(job).toMatchObject({ state: "cancelled", costMicros: 250_000 });
    expect(candidates).toEqual([]);
    const spending = await deps.db.select().from(generationSpending);
    expect(spending).toMatchObject([{ jobId: first.id, images: 1, costMicros: 250_000 }]);
    expect(fake.requests.filter((r) => r.path === "/images/generations")).toHaveLength(1);
    // The paid image counts against the quota of 2; the queued job that never ran does not.
    await deps.generation.request(alice.id, { prompt: "one more" });
    await expect(deps.generation.request(alice.id, { prompt: "too many" })).rejects.toMatchObject({
      status: 429,
      details: { used: 2, quota: 2 },
    });
    await expect(
      async () => await deps.generation.cancel(alice.id, first.id),
    ).rejects.toMatchObject({
      status: 409,
    });
  });

  it("settle jobs left running by a stopped server: local ones are finished, paid ones failed", async () => {
    const dir = tempDir();
    const first = await instance({}, dir);
    const alice = await user(first.deps);
    const leftover = async (provider: string, model: string) =>
      returned(
        await first.deps.db
          .insert(generationJobs)
          .values({
            id: newId(),
            accountId: alice.id,
            state: "running",
            provider,
            model,
            prompt: "interrupted",
            size: "256x256",
            seed: 1,
            attempts: 1,
            startedAt: new Date(),
          })
          .returning(),
      );
    const local = await leftover("local", "atelier-procedural-1");
    const paid = await leftover("openai", "gpt-image-1");
    await first.deps.close();

    // Restarted on the same store (the same PostgreSQL database under test:postgres).
    const second = await instance(storeVariables(first.deps.config), dir);
    await second.deps.start();
    await second.deps.generation.idle();
    const localJob = await second.deps.generation.get(alice.id, local.id);
    expect(localJob.job.state).toBe("succeeded");
    expect(localJob.candidates).toHaveLength(1);
    const paidJob = (
      await second.deps.db
        .select()
        .from(generationJobs)
        .where(eq(generationJobs.id, paid.id))
        .limit(1)
    )[0];
    expect(paidJob).toMatchObject({ state: "failed", errorCode: "interrupted" });
    expect(paidJob?.errorMessage).toMatch(/not retried so it is not paid for twice/);
  });

  it("validate parameters against the model's capabilities", async () => {
    const { deps } = await instance();
    const alice = await user(deps);
    await expect(deps.generation.request(alice.id, { prompt: "  " })).rejects.toMatchObject({
      status: 400,
    });
    await expect(
      deps.generation.request(alice.id, { prompt: "x", size: "999x999" }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/^Size must be one of/) });
    await expect(deps.generation.request(alice.id, { prompt: "x", n: 9 })).rejects.toMatchObject({
      message: expect.stringMatching(/between 1 and 4/),
    });
    await expect(
      deps.generation.request(alice.id, { prompt: "x", model: "dall-e-3" }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/Unknown model/) });
  });
});
