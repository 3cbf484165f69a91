// Studio sessions through the client API: steps with a parent (refine, inpaint with a mask, vary, resize),
// the session's steps in order, ownership, "my creations" searched by prompt with Mastodon's Link header,
// and the chain of steps carried as lineage in the candidates' provenance.
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { generationJobs } from "../../src/db/schema/index.ts";
import { provenanceFromJsonLd } from "../../src/generation/provenance-vocab.ts";
import { STUDIO_MAX_DEPTH } from "../../src/generation/studio.ts";
import { call, localUser } from "../helpers/factories.ts";
import { type FakeOpenAI, json, startFakeOpenAI } from "../helpers/fake-openai.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let instance: TestInstance;
let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await instance.close();
  await fake?.stop();
  fake = undefined;
});

const GENERATIONS = "/api/v1/atelier/generations";

/** A PNG mask of `size`², transparent (to be changed) in its left half, opaque elsewhere. */
async function leftHalfMask(size: number): Promise<Buffer> {
  const pixels = Buffer.alloc(size * size * 4, 255);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size / 2; x++) pixels[(y * size + x) * 4 + 3] = 0;
  return await sharp(pixels, { raw: { width: size, height: size, channels: 4 } })
    .png()
    .toBuffer();
}

async function step(token: string, body: Record<string, unknown>) {
  const created = await call(instance, "POST", GENERATIONS, { token, body });
  expect(created.status, JSON.stringify(created.json)).toBe(202);
  await instance.deps.generation.idle();
  const done = await call(instance, "GET", `${GENERATIONS}/${created.json.id}`, { token });
  expect(done.json.state, JSON.stringify(done.json.error)).toBe("succeeded");
  return done.json;
}

describe("studio sessions (API, local provider)", () => {
  it("refines, inpaints, varies and resizes in one session whose steps keep their parents and lineage", async () => {
    instance = await createTestInstance();
    const { token } = await localUser(instance, "alice");
    await instance.deps.start();

    const first = await step(token, { prompt: "a lighthouse by the sea at dusk", size: "256x256" });
    expect(first).toMatchObject({ kind: "generate", parent_id: null, session_id: first.id });

    const refined = await step(token, { parent_id: first.id, prompt: "add stars, at night" });
    expect(refined).toMatchObject({
      kind: "refine",
      parent_id: first.id,
      session_id: first.id,
      source_media_id: first.candidates[0].id,
      size: "256x256",
    });

    // The mask as base64 in JSON; only its transparent (left) half may change.
    const mask = await leftHalfMask(256);
    const inpainted = await step(token, {
      parent_id: refined.candidates[0].id,
      mask: mask.toString("base64"),
      prompt: "more fog",
    });
    expect(inpainted).toMatchObject({ kind: "inpaint", parent_id: refined.id, has_mask: true });
    const varied = await step(token, { parent_id: inpainted.id, kind: "vary" });
    // A variation redraws the session's prompt, not the last instruction.
    expect(varied).toMatchObject({ kind: "vary", prompt: "a lighthouse by the sea at dusk" });

    const resized = await step(token, { parent_id: varied.id, size: "512x512" });
    expect(resized).toMatchObject({ kind: "resize", size: "512x512", parent_id: varied.id });
    expect(resized.candidates[0].meta.original).toMatchObject({ width: 512, height: 512 });

    const session = await call(instance, "GET", `${GENERATIONS}/sessions/${first.id}`, { token });
    expect(session.status).toBe(200);
    expect(session.json.steps.map((s: { id: string }) => s.id)).toEqual([
      first.id,
      refined.id,
      inpainted.id,
      varied.id,
      resized.id,
    ]);
    expect(session.json.steps.map((s: { kind: string }) => s.kind)).toEqual([
      "generate",
      "refine",
      "inpaint",
      "vary",
      "resize",
    ]);

    // Each image remembers the chain that made it, first step first.
    const lineage = resized.candidates[0].atelier.provenance.lineage;
    expect(lineage.map((l: { id: string }) => l.id)).toEqual([
      first.id,
      refined.id,
      inpainted.id,
      varied.id,
      resized.id,
    ]);
    expect(lineage[1]).toMatchObject({
      kind: "refine",
      prompt: "add stars, at night",
      parent_id: first.id,
      model: "atelier-procedural-1",
      provider: "local",
    });
    expect(first.candidates[0].atelier.provenance.lineage).toEqual([]);
  });

  it("keeps an inpainted image's opaque-masked pixels exactly, with the mask sent as a multipart file", async () => {
    instance = await createTestInstance();
    const { token, account } = await localUser(instance, "alice");
    await instance.deps.start();
    const first = await step(token, { prompt: "a quiet harbour at noon", size: "256x256" });
    const form = new FormData();
    form.set("parent_id", first.id);
    form.set("prompt", "at night");
    form.set(
      "mask",
      new Blob([new Uint8Array(await leftHalfMask(256))], { type: "image/png" }),
      "mask.png",
    );
    const res = await instance.app.request(GENERATIONS, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(202);
    const created = (await res.json()) as { id: string; kind: string; has_mask: boolean };
    expect(created).toMatchObject({ kind: "inpaint", has_mask: true });
    await instance.deps.generation.idle();
    const done = await instance.deps.generation.get(account.id, created.id);
    const pixels = async (mediaId: string) => {
      const row = await instance.deps.media.get(account.id, mediaId);
      const stored = await instance.deps.media.store.get(row.originalKey!);
      return (await sharp(stored!.bytes).removeAlpha().raw().toBuffer()) as Buffer;
    };
    const original = await pixels(first.candidates[0].id);
    const edited = await pixels(done.candidates[0]!.id);
    let leftChanged = 0;
    let rightChanged = 0;
    for (let y = 0; y < 256; y++)
      for (let x = 0; x < 256; x++) {
        const o = (y * 256 + x) * 3;
        const same = original.subarray(o, o + 3).equals(edited.subarray(o, o + 3));
        if (x < 128) leftChanged += same ? 0 : 1;
        else rightChanged += same ? 0 : 1;
      }
    expect(rightChanged).toBe(0);
    expect(leftChanged).toBeGreaterThan(128 * 256 * 0.5);
  });

  it("refuses parents that are not yours (404), bad masks and steps that make no sense (422)", async () => {
    instance = await createTestInstance();
    const { token } = await localUser(instance, "alice");
    const { token: bobToken } = await localUser(instance, "bob");
    await instance.deps.start();
    const first = await step(token, { prompt: "red circles", size: "256x256" });

    for (const parent of [first.id, first.candidates[0].id, "999999999999999999"]) {
      const res = await call(instance, "POST", GENERATIONS, {
        token: bobToken,
        body: { parent_id: parent, prompt: "warmer" },
      });
      expect(res.status).toBe(404);
      expect(res.json.error).toMatch(/No such generation or image of yours/);
    }
    const refused = async (body: Record<string, unknown>, pattern: RegExp) => {
      const res = await call(instance, "POST", GENERATIONS, { token, body });
      expect(res.status, JSON.stringify(res.json)).toBe(422);
      expect(res.json.error).toMatch(pattern);
    };
    const mask = (await leftHalfMask(256)).toString("base64");
    await refused({ prompt: "x", mask }, /mask needs a parent_id/);
    await refused(
      { parent_id: first.id, prompt: "x", mask: (await leftHalfMask(64)).toString("base64") },
      /size of the image it masks \(256x256\)/,
    );
    const opaque = await sharp({
      create: { width: 256, height: 256, channels: 3, background: "#000" },
    })
      .png()
      .toBuffer();
    await refused(
      { parent_id: first.id, prompt: "x", mask: opaque.toString("base64") },
      /alpha channel/,
    );
    await refused({ parent_id: first.id, prompt: "x", mask: "not base64!" }, /base64/);
    await refused(
      { parent_id: first.id, prompt: "x", mask: Buffer.from("GIF89a").toString("base64") },
      /must be a PNG/,
    );
    await refused({ parent_id: first.id, kind: "inpaint", prompt: "x" }, /needs a mask/);
    await refused({ parent_id: first.id, kind: "resize", size: "256x256" }, /size other than/);
    await refused({ kind: "refine", prompt: "warmer" }, /needs a parent_id/);
    await refused({ parent_id: first.id, kind: "teleport", prompt: "x" }, /kind/);

    const missing = await call(instance, "GET", `${GENERATIONS}/sessions/${first.id}`, {
      token: bobToken,
    });
    expect(missing.status).toBe(404);
  });

  it("bounds the depth of a chain", async () => {
    instance = await createTestInstance();
    const { token } = await localUser(instance, "alice");
    await instance.deps.start();
    const first = await step(token, { prompt: "blue waves", size: "256x256" });
    // Deepen the chain directly: running two dozen jobs would say nothing more.
    await instance.deps.db
      .update(generationJobs)
      .set({ depth: STUDIO_MAX_DEPTH })
      .where(eq(generationJobs.id, first.id));
    const res = await call(instance, "POST", GENERATIONS, {
      token,
      body: { parent_id: first.id, prompt: "warmer" },
    });
    expect(res.status).toBe(422);
    expect(res.json.error).toMatch(new RegExp(`${STUDIO_MAX_DEPTH} steps deep`));
  });

  it("lists my creations newest first, searched by prompt, paginated with a Link header", async () => {
    instance = await createTestInstance();
    const { token } = await localUser(instance, "alice");
    const { token: bobToken } = await localUser(instance, "bob");
    const ids: string[] = [];
    for (const prompt of ["a red fox in snow", "a harbour at dawn", "A Red Barn", "100% red_ish"]) {
      const res = await call(instance, "POST", GENERATIONS, { token, body: { prompt } });
      ids.push(res.json.id);
    }
    await call(instance, "POST", GENERATIONS, { token: bobToken, body: { prompt: "red bob" } });

    const red = await call(instance, "GET", `${GENERATIONS}?q=RED&limit=2`, { token });
    expect(red.status).toBe(200);
    expect(red.json.map((g: { id: string }) => g.id)).toEqual([ids[3], ids[2]]);
    const link = red.headers.get("link")!;
    expect(link).toContain('rel="next"');
    const next = /<([^>]+)>; rel="next"/.exec(link)![1]!;
    expect(new URL(next).searchParams.get("q")).toBe("RED");
    const older = await call(instance, "GET", new URL(next).pathname + new URL(next).search, {
      token,
    });
    expect(older.json.map((g: { id: string }) => g.id)).toEqual([ids[0]]);

    // LIKE's wildcards are matched as themselves.
    const literal = await call(
      instance,
      "GET",
      `${GENERATIONS}?q=${encodeURIComponent("0% red_")}`,
      {
        token,
      },
    );
    expect(literal.json.map((g: { id: string }) => g.id)).toEqual([ids[3]]);
    const none = await call(instance, "GET", `${GENERATIONS}?q=_`, { token });
    expect(none.json.map((g: { id: string }) => g.id)).toEqual([ids[3]]);
  });
});

describe("studio lineage on a posted status", () => {
  it("shows the chain of steps on the status page and in the Note's AI terms", async () => {
    instance = await createTestInstance({ ORIGIN: "https://atelier.example" });
    const { token } = await localUser(instance, "alice");
    await instance.deps.start();
    const first = await step(token, { prompt: "a lighthouse by the sea at dusk", size: "256x256" });
    const refined = await step(token, { parent_id: first.id, prompt: "add stars" });
    const posted = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "two steps", media_ids: [refined.candidates[0].id] },
    });
    expect(posted.status).toBe(200);
    expect(posted.json.media_attachments[0].atelier.provenance.lineage).toHaveLength(2);

    const page = await instance.app.request(posted.json.url, { headers: { Accept: "text/html" } });
    const body = await page.text();
    expect(page.status).toBe(200);
    expect(body).toContain("Made in 2 steps");
    expect(body).toMatch(/<strong>Generated<\/strong>: a lighthouse by the sea at dusk/);
    expect(body).toMatch(new RegExp(`data-step="${refined.id}" data-parent="${first.id}"`));
    expect(body).toMatch(/<strong>Refined<\/strong>: add stars/);

    const note = await instance.app.request(posted.json.uri, {
      headers: { Accept: "application/activity+json" },
    });
    expect(note.status).toBe(200);
    const json = (await note.json()) as {
      "@context": unknown;
      attachment: Record<string, unknown>[];
    };
    expect(json.attachment[0]!.aiLineage).toEqual([
      {
        aiStepId: first.id,
        aiStepKind: "generate",
        aiPrompt: "a lighthouse by the sea at dusk",
        aiModel: "atelier-procedural-1",
        aiProvider: "local",
      },
      {
        aiStepId: refined.id,
        aiParentStepId: first.id,
        aiStepKind: "refine",
        aiPrompt: "add stars",
        aiModel: "atelier-procedural-1",
        aiProvider: "local",
      },
    ]);
    expect(JSON.stringify(json["@context"])).toContain(
      '"aiLineage":{"@id":"atelier:aiLineage","@container":"@list"}',
    );
    // What a receiving Atelier reads back, bounded.
    expect(provenanceFromJsonLd(json.attachment[0]!)?.lineage).toEqual([
      {
        id: first.id,
        kind: "generate",
        prompt: "a lighthouse by the sea at dusk",
        model: "atelier-procedural-1",
        provider: "local",
      },
      {
        id: refined.id,
        parentId: first.id,
        kind: "refine",
        prompt: "add stars",
        model: "atelier-procedural-1",
        provider: "local",
      },
    ]);
  });
});

describe("studio sessions (API, OpenAI-compatible provider)", () => {
  it("sends an inpaint step to /images/edits with the image and the mask", async () => {
    fake = await startFakeOpenAI();
    const png = async (colour: string) =>
      (
        await sharp({ create: { width: 1024, height: 1024, channels: 3, background: colour } })
          .png()
          .toBuffer()
      ).toString("base64");
    const drawn = await png("#08a");
    const edited = await png("#a80");
    fake.handle("POST /moderations", (_req, res) =>
      json(res, 200, {
        id: "m",
        model: "omni-moderation-latest",
        results: [{ flagged: false, categories: {}, category_scores: {} }],
      }),
    );
    fake.handle("POST /images/generations", (_req, res) =>
      json(res, 200, { created: 1, data: [{ b64_json: drawn }] }),
    );
    fake.handle("POST /images/edits", (_req, res) =>
      json(res, 200, { created: 1, data: [{ b64_json: edited }] }),
    );
    instance = await createTestInstance({
      IMAGE_PROVIDER: "openai",
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: fake.baseUrl,
    });
    const { token } = await localUser(instance, "alice");
    await instance.deps.start();
    const first = await step(token, { prompt: "a harbour" });
    const inpainted = await step(token, {
      parent_id: first.id,
      prompt: "put a red boat in the masked half",
      mask: (await leftHalfMask(1024)).toString("base64"),
    });
    expect(inpainted).toMatchObject({ kind: "inpaint", provider: "openai", model: "gpt-image-1" });
    const upload = fake.requests.find((r) => r.path === "/images/edits")!;
    expect(upload.headers["content-type"]).toMatch(/^multipart\/form-data/);
    expect(upload.body).toMatch(/name="image"; filename="image.png"/);
    expect(upload.body).toMatch(/name="mask"; filename="mask.png"/);
    expect(upload.body).toContain("put a red boat in the masked half");
    expect(inpainted.candidates[0].atelier.provenance.lineage).toHaveLength(2);
  });
});
