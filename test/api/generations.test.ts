import { afterEach, describe, expect, it } from "vitest";
import { addBlockedTerm } from "../../src/generation/moderation.ts";
import { call, localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: TestInstance;
afterEach(() => instance.close());

describe("AI generations API", () => {
  it("queues a job, polls it to candidates, and posts a candidate as an AI status; remixes it", async () => {
    instance = await createTestInstance();
    const { token } = await localUser(instance, "alice");
    await instance.deps.start();
    const created = await call(instance, "POST", "/api/v1/atelier/generations", {
      token,
      body: { prompt: "a lighthouse at dusk", n: 2, seed: 7, size: "512x512" },
    });
    expect(created.status).toBe(202);
    expect(created.json).toMatchObject({
      state: "queued",
      prompt: "a lighthouse at dusk",
      n: 2,
      seed: 7,
      provider: "local",
      candidates: [],
      error: null,
    });
    await instance.deps.generation.idle();
    const polled = await call(instance, "GET", `/api/v1/atelier/generations/${created.json.id}`, {
      token,
    });
    expect(polled.status).toBe(200);
    expect(polled.json.state).toBe("succeeded");
    expect(polled.json.candidates).toHaveLength(2);
    const candidate = E.expectEntity(E.MediaAttachment, polled.json.candidates[0]);
    expect(polled.json.candidates[0].atelier.provenance).toMatchObject({
      ai_generated: true,
      prompt: "a lighthouse at dusk",
      seed: 7,
      generation_id: created.json.id,
    });

    const posted = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "made this", media_ids: [candidate.id] },
    });
    expect(posted.status).toBe(200);
    expect(posted.json.media_attachments[0].description).toMatch(
      /^A lighthouse on the sea at dusk/,
    );
    expect(posted.json.tags.map((t: { name: string }) => t.name.toLowerCase())).toContain("aiart");

    const remix = await call(instance, "POST", "/api/v1/atelier/generations", {
      token,
      body: { remix_of_status_id: posted.json.id, seed: 8, size: "512x512" },
    });
    expect(remix.status).toBe(202);
    expect(remix.json.prompt).toBe("a lighthouse at dusk");
    expect(remix.json.remix_of_status_id).toBe(posted.json.id);

    const list = await call(instance, "GET", "/api/v1/atelier/generations", { token });
    expect(list.json.map((g: { id: string }) => g.id)).toEqual([remix.json.id, created.json.id]);
    const finished = await call(
      instance,
      "POST",
      `/api/v1/atelier/generations/${created.json.id}/cancel`,
      { token },
    );
    expect(finished.status).toBe(409);
  });

  it("cancels a queued job and hides jobs from other users", async () => {
    instance = await createTestInstance();
    const { token } = await localUser(instance, "alice");
    const { token: bobToken } = await localUser(instance, "bob");
    // The worker is not started, so the job stays queued.
    const created = await call(instance, "POST", "/api/v1/atelier/generations", {
      token,
      form: { prompt: "orbs", n: "1" },
    });
    expect(created.status).toBe(202);
    const others = await call(instance, "GET", `/api/v1/atelier/generations/${created.json.id}`, {
      token: bobToken,
    });
    expect(others.status).toBe(404);
    const cancelled = await call(
      instance,
      "POST",
      `/api/v1/atelier/generations/${created.json.id}/cancel`,
      { token },
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.state).toBe("cancelled");
  });

  it("turns refusals into Mastodon errors: 422 with the reason, 429 with Retry-After for the quota", async () => {
    instance = await createTestInstance({ GENERATION_DAILY_QUOTA: "2" });
    const { token } = await localUser(instance, "alice");
    const { token: readOnly } = await localUser(instance, "carol", "read");
    await addBlockedTerm(instance.deps.db, "real person", "no deepfakes");
    const blocked = await call(instance, "POST", "/api/v1/atelier/generations", {
      token,
      body: { prompt: "a real person at a party" },
    });
    expect(blocked.status).toBe(422);
    expect(blocked.json.error).toMatch(/real person.*no deepfakes/);
    const badSize = await call(instance, "POST", "/api/v1/atelier/generations", {
      token,
      body: { prompt: "x", size: "7x7" },
    });
    expect(badSize.status).toBe(422);
    expect(badSize.json.error).toMatch(/Size must be one of/);
    const empty = await call(instance, "POST", "/api/v1/atelier/generations", {
      token,
      body: {},
    });
    expect(empty.status).toBe(422);
    const overQuota = await call(instance, "POST", "/api/v1/atelier/generations", {
      token,
      body: { prompt: "three please", n: 3 },
    });
    expect(overQuota.status).toBe(429);
    expect(overQuota.json.error).toMatch(/Daily image limit/);
    const retryAfter = Number(overQuota.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    const scope = await call(instance, "POST", "/api/v1/atelier/generations", {
      token: readOnly,
      body: { prompt: "x" },
    });
    expect(scope.status).toBe(403);
    const list = await call(instance, "GET", "/api/v1/atelier/generations", { token });
    expect(list.json).toEqual([]);
  });
});
