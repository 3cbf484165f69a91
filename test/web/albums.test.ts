// Albums from the web: made and edited with plain forms (add, reorder, cover, remove), shown on a public
// page in the owner's order and listed on the profile; each post only as the viewer may see it, and only
// the owner's own image posts go in. Both stores (ATELIER_TEST_STORE=postgres).
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mediaAttachments } from "../../src/db/schema/index.ts";
import type { Deps } from "../../src/deps.ts";
import { publishStatus } from "../../src/domain/statuses.ts";
import { localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

async function imagePost(
  deps: Deps,
  accountId: string,
  prompt: string,
  visibility: "public" | "private" = "public",
) {
  const job = await deps.generation.request(accountId, { prompt, size: "256x256", seed: 4 });
  await deps.generation.idle();
  const candidate = (await deps.generation.get(accountId, job.id)).candidates[0]!;
  return await publishStatus(deps, accountId, {
    text: prompt,
    media: [{ id: candidate.id }],
    visibility,
  });
}

/** The status ids of the tiles in the page's grid, in order. */
const gridOrder = (body: string) => {
  const grid = /<ul class="grid"[\s\S]*?<\/ul>/.exec(body)?.[0] ?? "";
  return [...grid.matchAll(/href="\/@alice\/(\d+)"/g)]
    .map((m) => m[1]!)
    .filter((id, i, all) => all.indexOf(id) === i);
};

/** The thumbnail and display URLs of a status's first image. */
async function coverUrls(statusId: string) {
  const [m] = await instance.deps.db
    .select()
    .from(mediaAttachments)
    .where(eq(mediaAttachments.statusId, statusId));
  return {
    thumbnail: instance.deps.urls.media(m!.thumbnailKey!),
    full: instance.deps.urls.media(m!.displayKey!),
  };
}

describe("albums", () => {
  it("are made, filled, reordered and shown in order on a public page and the profile", async () => {
    const { deps } = instance;
    await deps.start();
    const alice = await localUser(instance, "alice");
    const bob = await localUser(instance, "bob");
    const first = await imagePost(deps, alice.account.id, "a red kite");
    const second = await imagePost(deps, alice.account.id, "a blue heron");
    const hidden = await imagePost(deps, alice.account.id, "a secret owl", "private");
    const text = await publishStatus(deps, alice.account.id, { text: "no image" });
    const bobs = await imagePost(deps, bob.account.id, "bob's fox");

    const client = new PageClient(instance.app);
    await client.signIn("alice");
    const csrf = await client.csrfFrom("/albums");
    expect((await client.post("/albums", { csrf, title: "  " })).status).toBe(400);
    const created = await client.post("/albums", { csrf, title: "Birds" });
    expect(created.status).toBe(303);
    const edit = created.headers.get("location")!;
    const albumId = /\/albums\/(\d+)\/edit/.exec(edit)![1]!;
    for (const post of [first, second, hidden]) {
      const added = await client.post(`/albums/${albumId}/posts`, { csrf, status_id: post.id });
      expect(added.status).toBe(303);
    }
    // Only one's own image posts: a text post is refused with its reason, someone else's is unknown.
    const refused = await client.post(`/albums/${albumId}/posts`, { csrf, status_id: text.id });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Only posts with images go in an album");
    expect(
      (await client.post(`/albums/${albumId}/posts`, { csrf, status_id: bobs.id })).status,
    ).toBe(404);

    const path = `/@alice/albums/${albumId}`;
    const owner = await client.get(path);
    expect(owner.body).toContain("<h1>Birds</h1>");
    expect(gridOrder(owner.body)).toEqual([first.id, second.id, hidden.id]);
    // Move the heron first, then take the owl out.
    const moved = await client.post(`/albums/${albumId}/posts/${second.id}`, {
      csrf,
      action: "up",
    });
    expect(moved.status).toBe(303);
    expect(gridOrder((await client.get(path)).body)).toEqual([second.id, first.id, hidden.id]);

    // A visitor sees the public posts only, in the owner's order.
    const visitor = new PageClient(instance.app);
    const seen = await visitor.get(path);
    expect(seen.res.status).toBe(200);
    expect(gridOrder(seen.body)).toEqual([second.id, first.id]);
    expect(seen.body).toContain("2 posts");
    expect(seen.body).not.toContain("Edit album");
    const profile = await visitor.get("/@alice");
    expect(profile.body).toContain(`href="${path}">Birds</a>`);
    // Without a chosen cover, the first post the visitor may see is the cover.
    expect(profile.body).toContain(
      `class="album-cover" src="${(await coverUrls(second.id)).thumbnail}"`,
    );

    // Rename with a cover from the album; a cover from outside it is refused.
    const renamed = await client.post(`/albums/${albumId}`, {
      csrf,
      title: "Birds of prey",
      cover_status_id: first.id,
    });
    expect(renamed.status).toBe(303);
    // The cover is what the album's lists show, and its page's link card.
    const firstImage = (await coverUrls(first.id)).thumbnail;
    const listed = (await visitor.get("/@alice")).body;
    expect(listed).toMatch(
      new RegExp(`<img class="album-cover" src="${firstImage}"[^>]*> <a href="${path}">`),
    );
    expect((await client.get("/albums")).body).toContain(`class="album-cover" src="${firstImage}"`);
    expect((await visitor.get(path)).body).toContain(
      `<meta property="og:image" content="${(await coverUrls(first.id)).full}">`,
    );
    const outside = await client.post(`/albums/${albumId}`, {
      csrf,
      title: "Birds of prey",
      cover_status_id: text.id,
    });
    expect(outside.status).toBe(400);
    const removed = await client.post(`/albums/${albumId}/posts/${hidden.id}`, {
      csrf,
      action: "remove",
    });
    expect(removed.status).toBe(303);
    const after = await client.get(path);
    expect(after.body).toContain("<h1>Birds of prey</h1>");
    expect(gridOrder(after.body)).toEqual([second.id, first.id]);

    // Bob may not edit alice's album: it is unknown to him.
    const asBob = new PageClient(instance.app);
    await asBob.signIn("bob");
    expect((await asBob.get(`/albums/${albumId}/edit`)).res.status).toBe(404);
    const bobCsrf = await asBob.csrfFrom("/albums");
    expect(
      (
        await asBob.post(`/albums/${albumId}/posts/${first.id}`, {
          csrf: bobCsrf,
          action: "remove",
        })
      ).status,
    ).toBe(404);
    expect(gridOrder((await visitor.get(path)).body)).toEqual([second.id, first.id]);

    const deleted = await client.post(`/albums/${albumId}/delete`, { csrf });
    expect(deleted.status).toBe(303);
    expect((await visitor.get(path)).res.status).toBe(404);
  });
});
