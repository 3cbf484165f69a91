// The pages and the client API read through the same db/queries functions, so for one viewer they show
// the same posts: across a block (either way) neither shows the other's post, profile listing or reply,
// and what the API's home timeline hides for a mute the home page hides too.
import { afterEach, describe, expect, it } from "vitest";
import type { Account } from "../../src/db/queries/rows.ts";
import { blockAccount } from "../../src/domain/interactions.ts";
import { muteAccount } from "../../src/domain/mutes.ts";
import { issueAccessToken } from "../../src/domain/oauth.ts";
import { call, follow, localUser, notify, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const i: TestInstance = await createTestInstance();
  cleanups.push(() => i.close());
  const alice = (await localUser(i, "alice")).account;
  const bob = (await localUser(i, "bob")).account;
  const post = await status(i, bob.id, {
    images: 1,
    content: "<p>Bob posts publicly</p>",
  });
  const token = (
    await issueAccessToken(i.deps.db, {
      applicationId: null,
      accountId: alice.id,
      scopes: ["read"],
    })
  ).accessToken;
  const client = new PageClient(i.app);
  await client.signIn("alice");
  return { i, alice, bob, post, token, client };
}

const blockWays: [string, (a: Account, b: Account) => [Account, Account]][] = [
  ["Bob blocks Alice", (alice, bob) => [bob, alice]],
  ["Alice blocks Bob", (alice, bob) => [alice, bob]],
];

describe("the pages and the API answer alike", () => {
  for (const [name, way] of blockWays) {
    it(`${name}: Bob's post is 404 for Alice on the page as in the API`, async () => {
      const { i, alice, bob, post, token, client } = await setup();
      expect((await client.get(`/@bob/${post.id}`)).res.status).toBe(200);
      const [blocker, blocked] = way(alice, bob);
      await blockAccount(i.deps.db, i.deps.urls, blocker, blocked);
      const api = await call(i, "GET", `/api/v1/statuses/${post.id}`, { token });
      expect(api.status).toBe(404);
      const page = await client.get(`/@bob/${post.id}`);
      expect(page.res.status).toBe(404);
      expect(page.body).not.toContain("Bob posts publicly");
    });

    it(`${name}: Bob's profile lists none of his posts or images to Alice, as the API`, async () => {
      const { i, alice, bob, post, token, client } = await setup();
      const before = await client.get("/@bob?tab=posts");
      expect(before.body).toContain(`/@bob/${post.id}`);
      const [blocker, blocked] = way(alice, bob);
      await blockAccount(i.deps.db, i.deps.urls, blocker, blocked);
      const api = await call(i, "GET", `/api/v1/accounts/${bob.id}/statuses`, { token });
      expect(api.status).toBe(200);
      expect(api.json).toEqual([]);
      const posts = await client.get("/@bob?tab=posts");
      expect(posts.res.status).toBe(200);
      expect(posts.body).not.toContain(`/@bob/${post.id}`);
      expect(posts.body).toMatch(/<strong>0<\/strong> posts/);
      const images = await client.get("/@bob");
      expect(images.body).not.toContain(`/@bob/${post.id}`);
    });

    it(`${name}: Bob's reply is not under Alice's post, on the page as in the API's context`, async () => {
      const { i, alice, bob, token, client } = await setup();
      const own = await status(i, alice.id, { content: "<p>Alice asks</p>" });
      const reply = await status(i, bob.id, {
        inReplyToId: own.id,
        content: "<p>Bob answers</p>",
      });
      expect((await client.get(`/@alice/${own.id}`)).body).toContain("Bob answers");
      const [blocker, blocked] = way(alice, bob);
      await blockAccount(i.deps.db, i.deps.urls, blocker, blocked);
      const api = await call(i, "GET", `/api/v1/statuses/${own.id}/context`, { token });
      expect(api.json.descendants.map((s: { id: string }) => s.id)).not.toContain(reply.id);
      const page = await client.get(`/@alice/${own.id}`);
      expect(page.res.status).toBe(200);
      expect(page.body).not.toContain("Bob answers");
    });
  }

  it("a muted account's posts are in neither the API's home timeline nor the home page", async () => {
    const { i, alice, bob, post, token, client } = await setup();
    await follow(i, alice.id, bob.id);
    expect((await client.get("/home")).body).toContain(`/@bob/${post.id}`);
    await muteAccount(i.deps.db, alice, bob);
    const api = await call(i, "GET", "/api/v1/timelines/home", { token });
    expect(api.json.map((s: { id: string }) => s.id)).not.toContain(post.id);
    const home = await client.get("/home");
    expect(home.res.status).toBe(200);
    expect(home.body).not.toContain(`/@bob/${post.id}`);
  });

  it("notifications from an account Alice blocked are on neither the API's list nor the page", async () => {
    const { i, alice, bob, token, client } = await setup();
    await notify(i, alice.id, bob.id, "follow");
    expect((await client.get("/notifications")).body).toContain("followed you");
    await blockAccount(i.deps.db, i.deps.urls, alice, bob);
    const api = await call(i, "GET", "/api/v1/notifications", { token });
    expect(api.json).toEqual([]);
    const page = await client.get("/notifications");
    expect(page.body).not.toContain("followed you");
    expect(page.body).toContain("No notifications yet.");
  });
});
