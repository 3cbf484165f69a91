import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenAIProvider } from "../../src/generation/openai.ts";
import { GenerationError } from "../../src/generation/provider.ts";
import { type FakeOpenAI, json, startFakeOpenAI } from "../helpers/fake-openai.ts";

const API_KEY = "sk-test-very-secret-0123456789";
let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.stop());

const provider = (timeoutMs = 5000) =>
  new OpenAIProvider({
    apiKey: API_KEY,
    baseUrl: fake.baseUrl,
    defaultModel: "gpt-image-1",
    timeoutMs,
    maxRetries: 0,
  });
const request = {
  prompt: "a lighthouse in fog",
  model: "gpt-image-1",
  size: "1024x1024",
  quality: "high",
  background: "auto",
  n: 2,
};
const png = () =>
  sharp({ create: { width: 64, height: 64, channels: 3, background: "#3366cc" } })
    .png()
    .toBuffer();

async function failure(promise: Promise<unknown>): Promise<GenerationError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GenerationError) return error;
    throw error;
  }
  throw new Error("expected a GenerationError");
}

describe("OpenAI provider (real client, fake server on loopback)", () => {
  it("decodes base64 images and keeps the revised prompt", async () => {
    const image = (await png()).toString("base64");
    fake.handle("POST /images/generations", (_req, res) =>
      json(res, 200, {
        created: 1,
        data: [
          { b64_json: image, revised_prompt: "a tall lighthouse in thick fog" },
          { b64_json: image },
        ],
      }),
    );
    const images = await provider().generate(request, new AbortController().signal);
    expect(images).toHaveLength(2);
    expect((await sharp(images[0]!.bytes).metadata()).width).toBe(64);
    expect(images[0]!.revisedPrompt).toBe("a tall lighthouse in thick fog");
    const sent = fake.requests.at(-1)!;
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(JSON.parse(sent.body)).toMatchObject({
      model: "gpt-image-1",
      prompt: "a lighthouse in fog",
      n: 2,
      size: "1024x1024",
      quality: "high",
    });
    // gpt-image models reject response_format; it must not be sent.
    expect(JSON.parse(sent.body).response_format).toBeUndefined();
  });

  it("asks DALL·E for base64 explicitly and passes the negative prompt in words", async () => {
    const image = (await png()).toString("base64");
    fake.handle("POST /images/generations", (_req, res) =>
      json(res, 200, { created: 1, data: [{ b64_json: image }] }),
    );
    await provider().generate(
      { ...request, model: "dall-e-3", quality: "hd", n: 1, negativePrompt: "boats" },
      new AbortController().signal,
    );
    const body = JSON.parse(fake.requests.at(-1)!.body);
    expect(body.response_format).toBe("b64_json");
    expect(body.prompt).toContain("Avoid: boats");
  });

  it("turns a content-policy refusal into a clear content_policy error", async () => {
    fake.handle("POST /images/generations", (_req, res) =>
      json(res, 400, {
        error: {
          message: "Your request was rejected as a result of our safety system.",
          type: "invalid_request_error",
          code: "content_policy_violation",
        },
      }),
    );
    const error = await failure(provider().generate(request, new AbortController().signal));
    expect(error.reason).toBe("content_policy");
    expect(error.status).toBe(422);
    expect(error.message).toMatch(/refused this prompt under its content policy/);
  });

  it("reports a 429 with its retry-after", async () => {
    fake.handle("POST /images/generations", (_req, res) =>
      json(
        res,
        429,
        { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
        { "retry-after": "17" },
      ),
    );
    const error = await failure(provider().generate(request, new AbortController().signal));
    expect(error.reason).toBe("rate_limited");
    expect(error.retryAfterSeconds).toBe(17);
    expect(error.message).toContain("try again in 17 seconds");
  });

  it("tells an exhausted account apart from a rate limit", async () => {
    fake.handle("POST /images/generations", (_req, res) =>
      json(res, 429, {
        error: {
          message: "You exceeded your current quota",
          type: "insufficient_quota",
          code: "insufficient_quota",
        },
      }),
    );
    const error = await failure(provider().generate(request, new AbortController().signal));
    expect(error.reason).toBe("provider_quota");
  });

  it("gives up after its timeout", async () => {
    fake.handle("POST /images/generations", () => {
      // Never answers; the server's stop() destroys the socket.
    });
    const started = performance.now();
    const error = await failure(provider(300).generate(request, new AbortController().signal));
    expect(error.reason).toBe("timeout");
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("never repeats the key when it is rejected", async () => {
    fake.handle("POST /images/generations", (_req, res) =>
      json(res, 401, {
        error: {
          message: `Incorrect API key provided: ${API_KEY}. You can find your API key at …`,
          type: "invalid_request_error",
          code: "invalid_api_key",
        },
      }),
    );
    const error = await failure(provider().generate(request, new AbortController().signal));
    expect(error.reason).toBe("provider_auth");
    expect(error.message).toMatch(/key was rejected/);
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(
      API_KEY,
    );
    expect(String(error.stack)).not.toContain(API_KEY);
  });

  it("sends the prompt to the moderation endpoint and reports flagged categories", async () => {
    fake.handle("POST /moderations", (_req, res) =>
      json(res, 200, {
        id: "m",
        model: "omni-moderation-latest",
        results: [
          { flagged: true, categories: { violence: true, hate: false }, category_scores: {} },
        ],
      }),
    );
    const verdict = await provider().moderate("something violent", new AbortController().signal);
    expect(verdict).toEqual({ flagged: true, categories: ["violence"] });
    expect(JSON.parse(fake.requests.at(-1)!.body).input).toBe("something violent");
  });

  it("treats a server without a moderation endpoint as not flagging (blocked terms still apply)", async () => {
    fake.handle("POST /moderations", (_req, res) =>
      json(res, 404, { error: { message: "Not found", type: "invalid_request_error" } }),
    );
    expect(await provider().moderate("anything", new AbortController().signal)).toEqual({
      flagged: false,
      categories: [],
    });
  });

  it("edits an image through images.edit with a multipart upload", async () => {
    const image = (await png()).toString("base64");
    fake.handle("POST /images/edits", (_req, res) =>
      json(res, 200, { created: 1, data: [{ b64_json: image }] }),
    );
    const images = await provider().edit(
      { ...request, n: 1, image: await png() },
      new AbortController().signal,
    );
    expect(images).toHaveLength(1);
    const sent = fake.requests.at(-1)!;
    expect(sent.headers["content-type"]).toMatch(/^multipart\/form-data/);
    expect(sent.body).toContain('name="prompt"');
  });

  it("sends an edit's mask as its own PNG file next to the image", async () => {
    const image = (await png()).toString("base64");
    fake.handle("POST /images/edits", (_req, res) =>
      json(res, 200, { created: 1, data: [{ b64_json: image }] }),
    );
    const mask = await sharp({
      create: { width: 64, height: 64, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const images = await provider().edit(
      { ...request, prompt: "add a boat in the masked part", n: 1, image: await png(), mask },
      new AbortController().signal,
    );
    expect(images).toHaveLength(1);
    const sent = fake.requests.at(-1)!;
    expect(sent.path).toBe("/images/edits");
    expect(sent.body).toMatch(/name="image(\[\])?"; filename="[^"]+\.png"/);
    expect(sent.body).toMatch(/name="mask"; filename="mask\.png"/);
    expect(sent.body).toContain("add a boat in the masked part");
  });

  it("turns a refused or failing edit into the same clear errors as a generation", async () => {
    fake.handle("POST /images/edits", (_req, res) =>
      json(res, 400, {
        error: {
          message: "Your request was rejected as a result of our safety system.",
          type: "invalid_request_error",
          code: "moderation_blocked",
        },
      }),
    );
    const edit = () =>
      provider().edit({ ...request, n: 1, image: Buffer.alloc(0) }, new AbortController().signal);
    const refused = await failure(
      provider().edit({ ...request, n: 1, image: await png() }, new AbortController().signal),
    );
    expect(refused.reason).toBe("content_policy");
    expect(refused.status).toBe(422);
    expect(refused.message).toMatch(/refused this prompt under its content policy/);
    fake.handle("POST /images/edits", (_req, res) =>
      json(res, 500, { error: { message: "The server had an error", type: "server_error" } }),
    );
    const failed = await failure(edit());
    expect(failed.reason).toBe("provider_error");
    expect(failed.message).toMatch(/The image service failed \(HTTP 500\)/);
    expect(JSON.stringify({ message: failed.message, details: failed.details })).not.toContain(
      API_KEY,
    );
  });
});
