// The studio pages with the local provider: a session started and refined shows its steps in order,
// someone else's session is a 404, "my creations" finds by prompt and pages by a plain link, a step is
// posted through compose's job page, an inpaint takes its mask as an uploaded file, and a mask is
// dropped from the database once its job has finished (succeeded, failed or cancelled).
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { generationJobs } from "../../src/db/schema/index.ts";
import { insertQueuedJob, markJobCancelled } from "../../src/generation/job-store.ts";
import { LocalProvider } from "../../src/generation/local/index.ts";
import { type EditRequest, GenerationError } from "../../src/generation/provider.ts";
import { localUser } from "../helpers/factories.ts";
import { parentField, settled, stepIds, studioSetup } from "../helpers/studio-pages.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const setup = (provider?: LocalProvider) => studioSetup(cleanups, provider);

/** A PNG mask of `size`², transparent (to be changed) in its left half. */
async function leftHalfMask(size: number): Promise<Buffer> {
  const pixels = Buffer.alloc(size * size * 4, 255);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size / 2; x++) pixels[(y * size + x) * 4 + 3] = 0;
  return await sharp(pixels, { raw: { width: size, height: size, channels: 4 } })
    .png()
    .toBuffer();
}

describe("studio pages", () => {
  it("starts a session, refines it, shows both steps in order, and is a 404 to anyone else", async () => {
    const { i, client, csrf } = await setup();
    const index = await client.get("/studio");
    expect(index.body).toContain('href="/studio" aria-current="page"');
    const started = await settled(
      i,
      client,
      await client.post("/studio", { csrf, prompt: "a red kite over the dunes", size: "256x256" }),
    );
    const [first] = stepIds(started.body);
    expect(started.path).toBe(`/studio/${first}`);
    expect(started.body).toContain("a red kite over the dunes");
    expect(parentField(started.body)).toBe(first);

    const refined = await settled(
      i,
      client,
      await client.post("/studio/steps", {
        csrf,
        session: first!,
        parent_id: first!,
        kind: "refine",
        prompt: "make the sky stormy",
      }),
    );
    expect(refined.path).toBe(started.path);
    const ids = stepIds(refined.body);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(first);
    expect(refined.body.indexOf("a red kite over the dunes")).toBeLessThan(
      refined.body.indexOf("make the sky stormy"),
    );
    expect(refined.body).toContain("2. Refined");
    // The forms now work on the latest step.
    expect(parentField(refined.body)).toBe(ids[1]);
    const [job] = await i.deps.db
      .select()
      .from(generationJobs)
      .where(eq(generationJobs.id, ids[1]!));
    expect(job).toMatchObject({ kind: "refine", parentId: first, sessionId: first });

    // Bob sees neither the session nor can he build on its images.
    await localUser(i, "bob");
    const bob = new PageClient(i.app);
    await bob.signIn("bob");
    expect((await bob.get(started.path)).res.status).toBe(404);
    const bobCsrf = await bob.csrfFrom("/studio");
    const stolen = await bob.post("/studio/steps", {
      csrf: bobCsrf,
      session: first!,
      parent_id: ids[1]!,
      kind: "vary",
    });
    expect(stolen.status).toBe(404);
    expect((await bob.get("/studio")).body).not.toContain("a red kite");

    // Alice's sessions list the session once, by its first prompt; her creations, both steps.
    const mine = (await client.get("/studio")).body;
    const sessions = mine.slice(
      mine.indexOf('id="sessions-heading"'),
      mine.indexOf('id="creations-heading"'),
    );
    expect(sessions.match(new RegExp(`href="/studio/${first}"`, "g"))).toHaveLength(1);
    expect(sessions).not.toContain("make the sky stormy");
    expect(mine.slice(mine.indexOf('id="creations-heading"'))).toContain("make the sky stormy");
  });

  it("finds creations by prompt, pages them with a plain link, and posts a step through compose", async () => {
    const { i, client, csrf } = await setup();
    for (const prompt of ["a blue heron at dawn", "a copper teapot", "a blue whale, deep"]) {
      await settled(i, client, await client.post("/studio", { csrf, prompt, size: "256x256" }));
    }
    const found = await client.get("/studio?q=BLUE");
    expect(found.body).toContain("a blue heron at dawn");
    expect(found.body).toContain("a blue whale, deep");
    // The search box keeps what was searched; the copper teapot is still among the sessions above.
    expect(found.body).toContain('name="q" value="BLUE"');
    const creations = found.body.slice(found.body.indexOf('id="creations-heading"'));
    expect(creations).not.toContain("a copper teapot");
    expect((await client.get("/studio?q=nothing-like-this")).body).toContain(
      "Nothing whose prompt contains that.",
    );

    // 21 creations: the first page holds 20 and links to the rest.
    for (let n = 0; n < 18; n++) {
      await client.post("/studio", { csrf, prompt: `study number ${n}`, size: "256x256" });
    }
    await i.deps.generation.idle();
    const firstPage = await client.get("/studio");
    const more = /<a class="button" rel="next" href="(\/studio\?max_id=\d+)">More<\/a>/.exec(
      firstPage.body,
    );
    expect(more).not.toBeNull();
    const second = await client.get(more![1]!);
    const older = second.body.slice(second.body.indexOf('id="creations-heading"'));
    expect(older).toContain("a blue heron at dawn");
    expect(older).not.toContain("study number 17");

    // "Post this" is compose's own job page, which posts the step's image.
    const post = /href="(\/compose\/jobs\/(\d+))">Post this/.exec(second.body)!;
    const pick = await client.get(post[1]!);
    expect(pick.body).toContain("Pick an image");
    const mediaId = /name="media" value="(\d+)"/.exec(pick.body)![1]!;
    const posted = await client.post("/compose/post", {
      csrf,
      job: post[2]!,
      media: mediaId,
      text: "From the studio",
      visibility: "public",
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toMatch(/^\/@alice\/\d+$/);
    expect((await client.get(posted.headers.get("location")!)).body).toContain("From the studio");
  });

  it("inpaints with an uploaded mask, shows a refusal on the page, and drops the mask once the job is done", async () => {
    const { i, alice, client, csrf } = await setup();
    const started = await settled(
      i,
      client,
      await client.post("/studio", { csrf, prompt: "a quiet harbour at noon", size: "256x256" }),
    );
    const first = stepIds(started.body)[0]!;
    const upload = async (mask: Buffer) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({
        csrf,
        session: first,
        parent_id: first,
        kind: "inpaint",
        prompt: "at night",
      }))
        form.set(k, v);
      form.set("mask", new Blob([new Uint8Array(mask)], { type: "image/png" }), "mask.png");
      return await client.request("/studio/steps", { method: "POST", body: form });
    };
    // A mask of the wrong size is refused on the session page, which still shows its step.
    const refused = await upload(await leftHalfMask(128));
    expect(refused.status).toBe(400);
    const refusedBody = await refused.text();
    expect(refusedBody).toContain("The mask must be the size of the image it masks (256x256)");
    expect(stepIds(refusedBody)).toEqual([first]);
    // A mask over the 1 MB form limit reaches the mask's own checks (the route's body limit fits it).
    const noise = await sharp(
      Buffer.from(Array.from({ length: 640 * 640 * 4 }, (_, n) => (n * 7919) % 251)),
      {
        raw: { width: 640, height: 640, channels: 4 },
      },
    )
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(noise.byteLength).toBeGreaterThan(1024 * 1024);
    const large = await upload(noise);
    expect(large.status).toBe(400);
    expect(await large.text()).toContain("The mask must be the size of the image it masks");

    const inpainted = await settled(i, client, await upload(await leftHalfMask(256)));
    const ids = stepIds(inpainted.body);
    expect(ids).toHaveLength(2);
    expect(inpainted.body).toContain("2. Inpainted");
    const [job] = await i.deps.db
      .select()
      .from(generationJobs)
      .where(eq(generationJobs.id, ids[1]!));
    expect(job).toMatchObject({ kind: "inpaint", state: "succeeded", maskPng: null });
    // The API still says the step was masked.
    const api = await i.deps.generation.get(alice.account.id, ids[1]!);
    expect(api.job.kind).toBe("inpaint");

    // Cancelled: dropped as well.
    const queued = await insertQueuedJob(i.deps.db, alice.account.id, "local", {
      prompt: "held",
      negativePrompt: null,
      model: "atelier-procedural-1",
      size: "256x256",
      quality: "auto",
      background: "auto",
      n: 1,
      seed: 1,
      sourceMediaId: null,
      remixOfStatusId: null,
      maskPng: "iVBORw0KGgo=",
    });
    expect(queued.maskPng).not.toBeNull();
    expect((await markJobCancelled(i.deps.db, queued.id))?.maskPng).toBeNull();
  });

  it("drops the mask of an inpaint whose provider call failed", async () => {
    class FailingEdits extends LocalProvider {
      override async edit(_request: EditRequest, _signal: AbortSignal): Promise<never> {
        throw new GenerationError("provider_error", "The image service is down");
      }
    }
    const { i, client, csrf } = await setup(new FailingEdits());
    const started = await settled(
      i,
      client,
      await client.post("/studio", { csrf, prompt: "a lighthouse at dusk", size: "256x256" }),
    );
    const first = stepIds(started.body)[0]!;
    const form = new FormData();
    for (const [k, v] of Object.entries({
      csrf,
      session: first,
      parent_id: first,
      kind: "inpaint",
      prompt: "fog",
    }))
      form.set(k, v);
    form.set(
      "mask",
      new Blob([new Uint8Array(await leftHalfMask(256))], { type: "image/png" }),
      "mask.png",
    );
    const failed = await settled(
      i,
      client,
      await client.request("/studio/steps", { method: "POST", body: form }),
    );
    expect(failed.body).toContain("The image service is down");
    const [job] = await i.deps.db
      .select()
      .from(generationJobs)
      .where(eq(generationJobs.id, stepIds(failed.body)[1]!));
    expect(job).toMatchObject({ kind: "inpaint", state: "failed", maskPng: null });
  });
});
