// The OpenAI provider's image reading: alt text drafted by a vision model through chat completions and
// generated images checked by the moderation endpoint, with the real client against a fake server.
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenAIProvider } from "../../src/generation/openai.ts";
import { GenerationError } from "../../src/generation/provider.ts";
import { type FakeOpenAI, json, startFakeOpenAI } from "../helpers/fake-openai.ts";

const API_KEY = "sk-test-vision-secret-987654";
let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.stop());

const provider = (options: { visionModel?: string; timeoutMs?: number } = {}) =>
  new OpenAIProvider({
    apiKey: API_KEY,
    baseUrl: fake.baseUrl,
    defaultModel: "gpt-image-1",
    timeoutMs: options.timeoutMs ?? 5000,
    maxRetries: 0,
    visionModel: "visionModel" in options ? options.visionModel : "gpt-4o-mini",
  });
const png = () =>
  sharp({ create: { width: 32, height: 32, channels: 3, background: "#cc3366" } })
    .png()
    .toBuffer();
const signal = () => new AbortController().signal;

const chatAnswer = (content: unknown) => ({
  id: "c",
  object: "chat.completion",
  created: 1,
  model: "gpt-4o-mini",
  choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content } }],
});

async function failure(promise: Promise<unknown>): Promise<GenerationError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GenerationError) return error;
    throw error;
  }
  throw new Error("expected a GenerationError");
}

describe("OpenAI provider: alt text from a vision model", () => {
  it("sends the image as a data: URL with the prompt and returns the tidied description", async () => {
    fake.handle("POST /chat/completions", (_req, res) =>
      json(res, 200, chatAnswer('  "A white lighthouse stands on dark rocks\n in grey fog."  ')),
    );
    const image = await png();
    const text = await provider().describe!(image, "a lighthouse in fog", signal());
    expect(text).toBe("A white lighthouse stands on dark rocks in grey fog.");
    const sent = fake.requests.at(-1)!;
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const body = JSON.parse(sent.body);
    expect(body.model).toBe("gpt-4o-mini");
    const user = body.messages.find((m: { role: string }) => m.role === "user");
    const parts = user.content as { type: string; text?: string; image_url?: { url: string } }[];
    expect(parts.find((p) => p.type === "text")?.text).toContain("a lighthouse in fog");
    expect(parts.find((p) => p.type === "image_url")?.image_url?.url).toBe(
      `data:image/png;base64,${image.toString("base64")}`,
    );
  });

  it("has no describe without a vision model", () => {
    expect(provider({ visionModel: undefined }).describe).toBeUndefined();
  });

  it("refuses an empty answer instead of storing empty alt text", async () => {
    fake.handle("POST /chat/completions", (_req, res) => json(res, 200, chatAnswer("   ")));
    const error = await failure(provider().describe!(await png(), "p", signal()));
    expect(error.reason).toBe("provider_error");
  });

  it("maps a 500 to a provider error that does not quote the key", async () => {
    fake.handle("POST /chat/completions", (_req, res) =>
      json(res, 500, { error: { message: `boom for ${API_KEY}`, type: "server_error" } }),
    );
    const error = await failure(provider().describe!(await png(), "p", signal()));
    expect(error.reason).toBe("provider_error");
    expect(error.message).toContain("HTTP 500");
    expect(error.message).not.toContain(API_KEY);
  });

  it("gives up after its timeout", async () => {
    fake.handle("POST /chat/completions", () => {
      // Never answers; stop() destroys the socket.
    });
    const started = performance.now();
    const error = await failure(provider({ timeoutMs: 300 }).describe!(await png(), "p", signal()));
    expect(error.reason).toBe("timeout");
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("treats a malformed answer as a provider error", async () => {
    fake.handle("POST /chat/completions", (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{not json");
    });
    const error = await failure(provider().describe!(await png(), "p", signal()));
    expect(error).toBeInstanceOf(GenerationError);
    expect(error.message).not.toContain(API_KEY);
  });
});

describe("OpenAI provider: generated images through the moderation endpoint", () => {
  it("sends the image as an image_url input and reports the flagged categories", async () => {
    fake.handle("POST /moderations", (_req, res) =>
      json(res, 200, {
        id: "m",
        model: "omni-moderation-latest",
        results: [
          {
            flagged: true,
            categories: { violence: true, "violence/graphic": true, sexual: false },
            category_scores: {},
          },
        ],
      }),
    );
    const image = await png();
    expect(await provider().moderateImage(image, signal())).toEqual({
      flagged: true,
      categories: ["violence", "violence/graphic"],
    });
    const body = JSON.parse(fake.requests.at(-1)!.body);
    expect(body.model).toBe("omni-moderation-latest");
    expect(body.input).toEqual([
      {
        type: "image_url",
        image_url: { url: `data:image/png;base64,${image.toString("base64")}` },
      },
    ]);
  });

  it("reports a clean image as not flagged", async () => {
    fake.handle("POST /moderations", (_req, res) =>
      json(res, 200, {
        id: "m",
        model: "omni-moderation-latest",
        results: [{ flagged: false, categories: { violence: false }, category_scores: {} }],
      }),
    );
    expect(await provider().moderateImage(await png(), signal())).toEqual({
      flagged: false,
      categories: [],
    });
  });

  it("fails on a 500 and on an answer without results, rather than passing the image", async () => {
    fake.handle("POST /moderations", (_req, res) =>
      json(res, 500, { error: { message: "down", type: "server_error" } }),
    );
    expect((await failure(provider().moderateImage(await png(), signal()))).reason).toBe(
      "provider_error",
    );
    fake.handle("POST /moderations", (_req, res) => json(res, 200, { id: "m" }));
    expect((await failure(provider().moderateImage(await png(), signal()))).message).toMatch(
      /unreadable/,
    );
  });

  it("gives up after its timeout", async () => {
    fake.handle("POST /moderations", () => {});
    const error = await failure(provider({ timeoutMs: 300 }).moderateImage(await png(), signal()));
    expect(error.reason).toBe("timeout");
  });
});
