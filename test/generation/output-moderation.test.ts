// Generated images through an OpenAI-compatible server: the vision model drafts each candidate's alt
// text, the moderation endpoint checks each image, and posting follows GENERATION_OUTPUT_POLICY.
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { call, localUser } from "../helpers/factories.ts";
import { type FakeOpenAI, json, startFakeOpenAI } from "../helpers/fake-openai.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const KEY = "sk-output-moderation-secret";

async function fakeServer(moderation: { flagged: boolean; categories: Record<string, boolean> }) {
  const fake = await startFakeOpenAI();
  cleanups.push(() => fake.stop());
  const png = (
    await sharp({ create: { width: 64, height: 64, channels: 3, background: "#884422" } })
      .png()
      .toBuffer()
  ).toString("base64");
  fake.handle("POST /images/generations", (_req, res) =>
    json(res, 200, { created: 1, data: [{ b64_json: png }] }),
  );
  fake.handle("POST /moderations", (req, res) => {
    // The prompt check (a string input) passes; the image check (image_url input) gives the verdict.
    const input = JSON.parse(req.body).input;
    const image = Array.isArray(input) && input[0]?.type === "image_url";
    json(res, 200, {
      id: "m",
      model: "omni-moderation-latest",
      results: [
        image
          ? { ...moderation, category_scores: {} }
          : { flagged: false, categories: {}, category_scores: {} },
      ],
    });
  });
  return fake;
}

async function instanceWith(fake: FakeOpenAI, env: Record<string, string> = {}) {
  const instance: TestInstance = await createTestInstance({
    IMAGE_PROVIDER: "openai",
    OPENAI_API_KEY: KEY,
    OPENAI_BASE_URL: fake.baseUrl,
    ...env,
  });
  cleanups.push(() => instance.close());
  await instance.deps.start();
  return instance;
}

async function generate(instance: TestInstance, token: string, prompt = "a harbour at dawn") {
  const created = await call(instance, "POST", "/api/v1/atelier/generations", {
    token,
    body: { prompt, n: 1 },
  });
  expect(created.status).toBe(202);
  await instance.deps.generation.idle();
  const polled = await call(instance, "GET", `/api/v1/atelier/generations/${created.json.id}`, {
    token,
  });
  return polled.json;
}

const clean = { flagged: false, categories: { violence: false } };
const violent = { flagged: true, categories: { violence: true, "self-harm": false } };

describe("alt text drafted by a vision model", () => {
  it("stores the model's description on the candidate, editable before posting", async () => {
    const fake = await fakeServer(clean);
    fake.handle("POST /chat/completions", (_req, res) =>
      json(res, 200, {
        id: "c",
        object: "chat.completion",
        created: 1,
        model: "gpt-4o-mini",
        choices: [
          {
            index: 0,
            finish_reason: "stop",
            message: {
              role: "assistant",
              content: "Fishing boats moored in a calm harbour at sunrise.",
            },
          },
        ],
      }),
    );
    const instance = await instanceWith(fake, { OPENAI_VISION_MODEL: "gpt-4o-mini" });
    const { token } = await localUser(instance, "alice");
    const job = await generate(instance, token);
    expect(job.state).toBe("succeeded");
    const media = job.candidates[0];
    expect(media.description).toBe("Fishing boats moored in a calm harbour at sunrise.");
    const chat = fake.requests.find((r) => r.path === "/chat/completions")!;
    expect(JSON.parse(chat.body).model).toBe("gpt-4o-mini");
    // Editable before posting (Mastodon's PUT /api/v1/media/:id), and the edit is what is posted.
    const edited = await call(instance, "PUT", `/api/v1/media/${media.id}`, {
      token,
      body: { description: "Three red boats in a harbour at dawn." },
    });
    expect(edited.json.description).toBe("Three red boats in a harbour at dawn.");
    const posted = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "morning", media_ids: [media.id] },
    });
    expect(posted.json.media_attachments[0].description).toBe(
      "Three red boats in a harbour at dawn.",
    );
  });

  it("falls back to the prompt when the vision model fails, and without one asks none", async () => {
    const fake = await fakeServer(clean);
    fake.handle("POST /chat/completions", (_req, res) =>
      json(res, 500, { error: { message: "vision down", type: "server_error" } }),
    );
    const instance = await instanceWith(fake, { OPENAI_VISION_MODEL: "gpt-4o-mini" });
    const { token } = await localUser(instance, "alice");
    const job = await generate(instance, token, "a quiet harbour at dawn");
    expect(job.state).toBe("succeeded");
    expect(job.candidates[0].description).toBe("a quiet harbour at dawn");

    const plain = await fakeServer(clean);
    const without = await instanceWith(plain);
    const bob = await localUser(without, "bob");
    const second = await generate(without, bob.token, "a lighthouse");
    expect(second.candidates[0].description).toBe("a lighthouse");
    expect(plain.requests.some((r) => r.path === "/chat/completions")).toBe(false);
  });
});

describe("output moderation through the moderation endpoint", () => {
  it("under `block`, a flagged image is kept as a flagged candidate and cannot be posted (422)", async () => {
    const fake = await fakeServer(violent);
    const instance = await instanceWith(fake, { GENERATION_OUTPUT_POLICY: "block" });
    const { token } = await localUser(instance, "alice");
    const job = await generate(instance, token);
    expect(job.state).toBe("succeeded");
    const sent = fake.requests
      .filter((r) => r.path === "/moderations")
      .map((r) => JSON.parse(r.body));
    expect(
      sent.some(
        (b) =>
          Array.isArray(b.input) && b.input[0].image_url.url.startsWith("data:image/png;base64,"),
      ),
    ).toBe(true);
    expect(job.moderation).toEqual([
      { media_id: job.candidates[0].id, flagged: true, categories: ["violence"] },
    ]);
    const posted = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "look", media_ids: [job.candidates[0].id] },
    });
    expect(posted.status).toBe(422);
    expect(posted.json.error).toMatch(/flagged .*\(violence\).* cannot be posted/);
    const scheduled = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: {
        status: "later",
        media_ids: [job.candidates[0].id],
        scheduled_at: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    expect(scheduled.status).toBe(422);
  });

  it("under `sensitive`, a flagged image is posted sensitive behind a warning naming the categories, which an edit keeps", async () => {
    const fake = await fakeServer(violent);
    const instance = await instanceWith(fake, { GENERATION_OUTPUT_POLICY: "sensitive" });
    const { token } = await localUser(instance, "alice");
    const job = await generate(instance, token);
    const posted = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "look", media_ids: [job.candidates[0].id], spoiler_text: "storm" },
    });
    expect(posted.status).toBe(200);
    expect(posted.json.sensitive).toBe(true);
    expect(posted.json.spoiler_text).toBe("storm · Flagged by moderation: violence");
    const edited = await call(instance, "PUT", `/api/v1/statuses/${posted.json.id}`, {
      token,
      body: { status: "look again", spoiler_text: "", sensitive: false },
    });
    expect(edited.status).toBe(200);
    expect(edited.json.sensitive).toBe(true);
    expect(edited.json.spoiler_text).toBe("Flagged by moderation: violence");
  });

  it("a clean image posts as usual under either policy", async () => {
    for (const policy of ["block", "sensitive"]) {
      const fake = await fakeServer(clean);
      const instance = await instanceWith(fake, { GENERATION_OUTPUT_POLICY: policy });
      const { token } = await localUser(instance, `u${policy}`);
      const job = await generate(instance, token);
      expect(job.moderation[0]).toMatchObject({ flagged: false, categories: [] });
      const posted = await call(instance, "POST", "/api/v1/statuses", {
        token,
        body: { status: "fine", media_ids: [job.candidates[0].id] },
      });
      expect(posted.status).toBe(200);
      expect(posted.json.sensitive).toBe(false);
      expect(posted.json.spoiler_text).toBe("");
    }
  });

  it("fails the job, keeping no image, when the image check fails (500 or malformed)", async () => {
    for (const answer of ["500", "malformed"] as const) {
      const fake = await fakeServer(clean);
      fake.handle("POST /moderations", (req, res) => {
        if (typeof JSON.parse(req.body).input === "string") {
          json(res, 200, { id: "m", model: "m", results: [{ flagged: false, categories: {} }] });
        } else if (answer === "500") {
          json(res, 500, { error: { message: `broken ${KEY}`, type: "server_error" } });
        } else {
          json(res, 200, { id: "m", model: "m" });
        }
      });
      const instance = await instanceWith(fake);
      const { token } = await localUser(instance, `u${answer}`);
      const job = await generate(instance, token);
      expect(job.state).toBe("failed");
      expect(job.candidates).toEqual([]);
      expect(job.error.code).toBe("provider_error");
      expect(job.error.message).not.toContain(KEY);
    }
  });

  it("fails the job when the image check times out", async () => {
    const fake = await fakeServer(clean);
    fake.handle("POST /moderations", (req, res) => {
      if (typeof JSON.parse(req.body).input === "string") {
        json(res, 200, { id: "m", model: "m", results: [{ flagged: false, categories: {} }] });
      }
      // The image check never answers; stop() destroys the socket.
    });
    const instance = await instanceWith(fake, { OPENAI_TIMEOUT_SECONDS: "1" });
    const { token } = await localUser(instance, "alice");
    const job = await generate(instance, token);
    expect(job.state).toBe("failed");
    expect(job.error.code).toBe("timeout");
    expect(job.candidates).toEqual([]);
  });
});
