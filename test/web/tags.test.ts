// Hashtag pages: /tags/:name shows the tag's public posts to anyone; a signed-in user follows and
// unfollows it there with a CSRF-checked form, the web home timeline then holds a stranger's public
// post with it (the API's home query), and the settings page lists followed hashtags with Unfollow.
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { tagFollows } from "../../src/db/schema/index.ts";
import { issueAccessToken } from "../../src/domain/oauth.ts";
import { publishStatus } from "../../src/domain/statuses.ts";
import { call, localUser, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const i: TestInstance = await createTestInstance();
  cleanups.push(() => i.close());
  const alice = await localUser(i, "alice");
  const bob = await localUser(i, "bob");
  const tagged = await publishStatus(i.deps, bob.account.id, {
    text: "Fog on the hills #Mistscape",
  });
  const hidden = await publishStatus(i.deps, bob.account.id, {
    text: "Only for followers #mistscape",
    visibility: "private",
  });
  const untagged = await publishStatus(i.deps, bob.account.id, { text: "Plain words" });
  return { i, alice, bob, tagged, hidden, untagged };
}

const followRow = async (i: TestInstance, accountId: string) =>
  (
    await i.deps.db
      .select()
      .from(tagFollows)
      .where(and(eq(tagFollows.accountId, accountId), eq(tagFollows.tagName, "mistscape")))
      .limit(1)
  )[0];

describe("hashtag pages", () => {
  it("shows a visitor the tag's public posts and a way to sign in, and 404 for no hashtag", async () => {
    const { i, tagged, hidden, untagged } = await setup();
    const client = new PageClient(i.app);
    // The Posts tab has every public post with the tag; the default Images tab only those with images.
    const { res, body } = await client.get("/tags/MISTSCAPE?tab=posts");
    expect(res.status).toBe(200);
    expect(body).toContain("<h1>#Mistscape</h1>");
    expect(body).toContain("1 post this week");
    expect(body).toContain(`/@bob/${tagged.id}`);
    expect(body).not.toContain(`/@bob/${hidden.id}`);
    expect(body).not.toContain(`/@bob/${untagged.id}`);
    expect(body).toContain("/auth/sign_in?return_to=%2Ftags%2Fmistscape");
    expect(body).not.toContain('action="/tags/mistscape/follow"');
    const bad = await client.request("/tags/not-a-tag", { headers: { accept: "text/html" } });
    expect(bad.status).toBe(404);
  });

  it("shows the tag's public images as a gallery by default, and its text posts under Posts", async () => {
    const { i, bob, tagged } = await setup();
    const pictured = await status(i, bob.account.id, {
      content: "Harbour at dawn #Mistscape",
      tags: ["Mistscape"],
      images: 1,
    });
    const hiddenImage = await status(i, bob.account.id, {
      content: "Followers only #mistscape",
      tags: ["mistscape"],
      images: 1,
      visibility: "private",
    });
    const client = new PageClient(i.app);
    const images = await client.get("/tags/mistscape");
    expect(images.res.status).toBe(200);
    expect(images.body).toContain(
      '<ul class="grid" data-infinite aria-label="Images tagged #Mistscape"',
    );
    expect(images.body).toContain(`id="t-${pictured.id}"`);
    // A text post is no tile, and a followers-only image is not shown to a visitor.
    expect(images.body).not.toContain(`t-${tagged.id}`);
    expect(images.body).not.toContain(hiddenImage.id);
    expect(images.body).toMatch(/<a href="\/tags\/mistscape" aria-current="page">Images<\/a>/);
    const posts = await client.get("/tags/mistscape?tab=posts");
    expect(posts.body).toContain(`/@bob/${tagged.id}`);
    expect(posts.body).toContain(`/@bob/${pictured.id}`);
    expect(posts.body).toMatch(
      /<a href="\/tags\/mistscape\?tab=posts" aria-current="page">Posts<\/a>/,
    );
  });

  it("follows and unfollows from the tag page; home then holds a stranger's tagged post", async () => {
    const { i, alice, tagged, untagged } = await setup();
    const client = new PageClient(i.app);
    await client.signIn("alice");
    expect((await client.get("/home")).body).not.toContain(`/@bob/${tagged.id}`);

    const page = await client.get("/tags/mistscape");
    expect(page.body).toContain('action="/tags/mistscape/follow"');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const res = await client.post("/tags/mistscape/follow", { csrf, return_to: "/tags/mistscape" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/tags/mistscape");
    expect(await followRow(i, alice.account.id)).toBeDefined();
    const after = await client.get("/tags/mistscape");
    expect(after.body).toContain('action="/tags/mistscape/unfollow"');
    expect(after.body).toContain("Following");

    // The web home is the API's home: both show the stranger's post, not the untagged one.
    const home = (await client.get("/home")).body;
    expect(home).toContain(`/@bob/${tagged.id}`);
    expect(home).not.toContain(`/@bob/${untagged.id}`);
    const { accessToken: token } = await issueAccessToken(i.deps.db, {
      applicationId: null,
      accountId: alice.account.id,
      scopes: ["read"],
    });
    const api = await call(i, "GET", "/api/v1/timelines/home", { token });
    expect(api.json.map((s: { id: string }) => s.id)).toEqual([tagged.id]);

    await client.post("/tags/mistscape/unfollow", { csrf });
    expect(await followRow(i, alice.account.id)).toBeUndefined();
    expect((await client.get("/home")).body).not.toContain(`/@bob/${tagged.id}`);
  });

  it("lists followed hashtags in settings, each with an Unfollow form that comes back there", async () => {
    const { i, alice } = await setup();
    const client = new PageClient(i.app);
    await client.signIn("alice");
    const csrf = await client.csrfFrom("/tags/mistscape");
    await client.post("/tags/Mistscape/follow", { csrf });
    // A tag no post used yet is followed under the spelling asked for.
    await client.post("/tags/Brightwater/follow", { csrf });
    expect((await client.get("/settings")).body).toContain('href="/settings/followed_tags"');

    const listed = await client.get("/settings/followed_tags");
    expect(listed.res.status).toBe(200);
    expect(listed.body).toContain('<a href="/tags/mistscape">#Mistscape</a>');
    expect(listed.body).toContain('<a href="/tags/brightwater">#Brightwater</a>');
    expect(listed.body).toContain('action="/tags/mistscape/unfollow"');
    expect(listed.body).toContain('name="return_to" value="/settings/followed_tags"');
    const res = await client.post("/tags/mistscape/unfollow", {
      csrf,
      return_to: "/settings/followed_tags",
    });
    expect(res.headers.get("location")).toBe("/settings/followed_tags");
    expect(await followRow(i, alice.account.id)).toBeUndefined();
    const left = await client.get("/settings/followed_tags");
    expect(left.body).not.toContain("#Mistscape");
    expect(left.body).toContain("#Brightwater");
  });

  it("refuses a follow without a CSRF token or without signing in", async () => {
    const { i, alice } = await setup();
    const visitor = await i.app.request("/tags/mistscape/follow", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "csrf=x",
    });
    expect(visitor.status).toBe(401);
    const client = new PageClient(i.app);
    await client.signIn("alice");
    const res = await client.post("/tags/mistscape/follow", {});
    expect(res.status).toBe(403);
    expect(await followRow(i, alice.account.id)).toBeUndefined();
  });
});
