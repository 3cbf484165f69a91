import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { returned } from "../../src/db/returned.ts";
import { generationJobs, mediaAttachments, statuses } from "../../src/db/schema/index.ts";
import { localUser, status, webpImage } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const i: TestInstance = await createTestInstance();
  cleanups.push(() => i.close());
  await i.deps.generation.start();
  const alice = await localUser(i, "alice");
  const client = new PageClient(i.app);
  await client.signIn("alice");
  const csrf = await client.csrfFrom("/compose");
  return { i, alice, client, csrf };
}

/** Polls the job's JSON until it is no longer queued or running, as app.js does. */
async function waitForJob(client: PageClient, jobPath: string): Promise<string> {
  for (let n = 0; n < 200; n++) {
    const res = await client.request(`${jobPath}.json`);
    const job = (await res.json()) as { state: string };
    if (job.state !== "queued" && job.state !== "running") return job.state;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("job did not finish");
}

describe("compose", () => {
  it("generates with the local provider, shows candidates and posts the chosen one with alt text drafted from what was drawn", async () => {
    const { i, alice, client, csrf } = await setup();
    const res = await client.post("/compose/generate", {
      csrf,
      prompt: "a lighthouse in a violet storm",
      negative_prompt: "people",
      size: "1024x1024",
    });
    expect(res.status).toBe(303);
    const jobPath = res.headers.get("location")!;
    expect(jobPath).toMatch(/^\/compose\/jobs\/\d+$/);
    expect(await waitForJob(client, jobPath)).toBe("succeeded");

    const result = await client.get(jobPath);
    expect(result.body).toContain("Pick an image");
    const mediaId = /name="media" value="(\d+)"/.exec(result.body)![1]!;
    const jobId = jobPath.split("/").pop()!;
    expect(result.body).toContain(">a lighthouse in a violet storm</textarea>");

    const posted = await client.post("/compose/post", {
      csrf,
      job: jobId,
      media: mediaId,
      text: "Stormy",
      alt: "",
      cw: "",
      visibility: "public",
    });
    expect(posted.status).toBe(303);
    const statusPath = posted.headers.get("location")!;
    expect(statusPath).toMatch(/^\/@alice\/\d+$/);
    const media = (
      await i.deps.db
        .select()
        .from(mediaAttachments)
        .where(eq(mediaAttachments.id, mediaId))
        .limit(1)
    )[0]!;
    expect(media.statusId).toBe(statusPath.split("/").pop());
    // Empty alt text keeps the draft: the local provider's description of what it drew.
    expect(media.description).toMatch(/^A lighthouse/);
    const page = await client.get(statusPath);
    expect(page.body).toContain("AI-generated");
    const status = (
      await i.deps.db
        .select()
        .from(statuses)
        .where(eq(statuses.accountId, alice.account.id))
        .limit(1)
    )[0]!;
    expect(status.visibility).toBe("public");
  });

  it("shows a progress page that refreshes without JavaScript while the job runs", async () => {
    const { i, alice, client } = await setup();
    // A queued job (the worker is not told about it) stays queued while the page is read.
    const job = returned(
      await i.deps.db
        .insert(generationJobs)
        .values({
          id: "123456",
          accountId: alice.account.id,
          provider: "local",
          model: "local",
          prompt: "waiting",
          size: "1024x1024",
          state: "queued",
        })
        .returning(),
    );
    const page = await client.get(`/compose/jobs/${job.id}`);
    expect(page.body).toContain('data-job-poll="/compose/jobs/123456.json"');
    expect(page.body).toContain('<noscript><meta http-equiv="refresh" content="2"></noscript>');
    expect(page.res.headers.get("content-security-policy")).not.toContain("unsafe-inline");
  });

  it("does not show or post another user's job", async () => {
    const { i, client, csrf } = await setup();
    const res = await client.post("/compose/generate", { csrf, prompt: "mine", size: "1024x1024" });
    const jobPath = res.headers.get("location")!;
    await waitForJob(client, jobPath);
    await localUser(i, "mallory");
    const mallory = new PageClient(i.app);
    await mallory.signIn("mallory");
    expect((await mallory.get(jobPath)).res.status).toBe(404);
    const mediaId = (await i.deps.db.select().from(mediaAttachments).limit(1))[0]!.id;
    const csrfM = await mallory.csrfFrom("/compose");
    const post = await mallory.post("/compose/post", {
      csrf: csrfM,
      job: jobPath.split("/").pop()!,
      media: mediaId,
    });
    expect(post.status).toBe(404);
    expect(await i.deps.db.select().from(statuses)).toHaveLength(0);
  });

  it("refuses a generate form without a CSRF token", async () => {
    const { i, client } = await setup();
    const res = await client.post("/compose/generate", { prompt: "x", size: "1024x1024" });
    expect(res.status).toBe(403);
    expect(await i.deps.db.select().from(generationJobs)).toHaveLength(0);
  });

  it("shows a refused prompt on the form, keeping what was typed", async () => {
    const { client, csrf } = await setup();
    const res = await client.post("/compose/generate", { csrf, prompt: "   ", size: "1024x1024" });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await res.text()).toContain('role="alert"');
  });

  it("uploads one's own image (multipart) and posts it with a content warning", async () => {
    const { i, client, csrf } = await setup();
    const webp = await webpImage({ r: 200, g: 40, b: 90 });
    const form = new FormData();
    form.set("csrf", csrf);
    form.set("file", new File([webp], "mine.webp", { type: "image/webp" }));
    form.set("text", "My own drawing");
    form.set("alt", "A red square");
    form.set("cw", "bright colours");
    form.set("visibility", "unlisted");
    const res = await client.request("/compose/upload", { method: "POST", body: form });
    expect(res.status).toBe(303);
    const status = (await i.deps.db.select().from(statuses).limit(1))[0]!;
    expect(status.spoilerText).toBe("bright colours");
    expect(status.visibility).toBe("unlisted");
    const media = (await i.deps.db.select().from(mediaAttachments).limit(1))[0]!;
    expect(media.description).toBe("A red square");
    expect(media.statusId).toBe(status.id);
  });

  it("pre-fills the prompt when remixing and the post quotes the source", async () => {
    const { i, client, csrf } = await setup();
    const first = await client.post("/compose/generate", {
      csrf,
      prompt: "origami cranes",
      size: "1024x1024",
    });
    const firstJob = first.headers.get("location")!;
    await waitForJob(client, firstJob);
    const mediaId = /name="media" value="(\d+)"/.exec((await client.get(firstJob)).body)![1]!;
    const posted = await client.post("/compose/post", {
      csrf,
      job: firstJob.split("/").pop()!,
      media: mediaId,
      visibility: "public",
    });
    const sourceId = posted.headers.get("location")!.split("/").pop()!;

    const remix = await client.get(`/compose?remix=${sourceId}`);
    expect(remix.body).toContain(">origami cranes</textarea>");
    expect(remix.body).toContain(`name="remix_of" value="${sourceId}"`);
    const res = await client.post("/compose/generate", {
      csrf,
      prompt: "origami cranes at night",
      size: "1024x1024",
      remix_of: sourceId,
    });
    const jobPath = res.headers.get("location")!;
    expect(await waitForJob(client, jobPath)).toBe("succeeded");
    const remixMedia = /name="media" value="(\d+)"/.exec((await client.get(jobPath)).body)![1]!;
    const post = await client.post("/compose/post", {
      csrf,
      job: jobPath.split("/").pop()!,
      media: remixMedia,
      visibility: "public",
    });
    const remixId = post.headers.get("location")!.split("/").pop()!;
    const row = (
      await i.deps.db.select().from(statuses).where(eq(statuses.id, remixId)).limit(1)
    )[0]!;
    expect(row.quoteOfId).toBe(sourceId);
  });
});

describe("compose remix of a post the viewer may not see", () => {
  it("pre-fills nothing for a followers-only or direct post, exactly as for an unknown id", async () => {
    const { i, client } = await setup();
    const carol = await localUser(i, "carol");
    const secret = async (visibility: "private" | "direct", prompt: string) =>
      (await status(i, carol.account.id, { visibility, images: 1, prompt })).id;
    const privateId = await secret("private", "a secret followers-only prompt");
    const directId = await secret("direct", "a secret direct prompt");
    const visible = (
      await status(i, carol.account.id, {
        images: 1,
        prompt: "a public prompt",
      })
    ).id;
    const unknown = String(BigInt(visible) + 1000n);
    const page = async (id: string) =>
      (await client.get(`/compose?remix=${id}`)).body
        .replaceAll(id, "ID")
        .replace(/nonce="[^"]*"/g, "nonce");
    expect(await page(visible)).toContain(">a public prompt</textarea>");
    const none = await page(unknown);
    for (const id of [privateId, directId]) {
      const body = await page(id);
      expect(body).not.toContain("secret");
      expect(body).toBe(none);
    }
  });
});
