import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { favourites, follows, statuses } from "../../src/db/schema/index.ts";
import { blockAccount } from "../../src/domain/interactions.ts";
import { issueAccessToken } from "../../src/domain/oauth.ts";
import { publishStatus } from "../../src/domain/statuses.ts";
import { call, localUser } from "../helpers/factories.ts";
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
  const post = await publishStatus(i.deps, bob.account.id, { text: "Bob's public post" });
  const client = new PageClient(i.app);
  await client.signIn("alice");
  return { i, alice, bob, post, client };
}

describe("actions on posts", () => {
  it("likes and unlikes a post with a CSRF-checked form and redirects back", async () => {
    const { i, alice, post, client } = await setup();
    const page = await client.get(`/@bob/${post.id}`);
    expect(page.body).toContain(`action="/statuses/${post.id}/favourite"`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const res = await client.post(`/statuses/${post.id}/favourite`, {
      csrf,
      return_to: `/@bob/${post.id}`,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/@bob/${post.id}`);
    const liked = await i.deps.db
      .select()
      .from(favourites)
      .where(and(eq(favourites.accountId, alice.account.id), eq(favourites.statusId, post.id)));
    expect(liked).toHaveLength(1);
    const after = await client.get(`/@bob/${post.id}`);
    expect(after.body).toContain(`action="/statuses/${post.id}/unfavourite"`);
    await client.post(`/statuses/${post.id}/unfavourite`, { csrf });
    expect(await i.deps.db.select().from(favourites)).toHaveLength(0);
  });

  it("refuses a like without a CSRF token", async () => {
    const { i, post, client } = await setup();
    const res = await client.post(`/statuses/${post.id}/favourite`, {});
    expect(res.status).toBe(403);
    expect(await i.deps.db.select().from(favourites)).toHaveLength(0);
  });

  it("refuses a like from another site's Origin even with a token", async () => {
    const { i, post, client } = await setup();
    const csrf = await client.csrfFrom(`/@bob/${post.id}`);
    const res = await client.request(`/statuses/${post.id}/favourite`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://evil.example",
      },
      body: new URLSearchParams({ csrf }).toString(),
    });
    expect(res.status).toBe(403);
    expect(await i.deps.db.select().from(favourites)).toHaveLength(0);
  });

  it("boosts a public post and the boost shows on the booster's profile", async () => {
    const { i, alice, post, client } = await setup();
    const csrf = await client.csrfFrom(`/@bob/${post.id}`);
    expect((await client.post(`/statuses/${post.id}/reblog`, { csrf })).status).toBe(303);
    const boost = (
      await i.deps.db
        .select()
        .from(statuses)
        .where(and(eq(statuses.accountId, alice.account.id), eq(statuses.reblogOfId, post.id)))
        .limit(1)
    )[0];
    expect(boost).toBeDefined();
    const profile = await client.get("/@alice?tab=posts");
    expect(profile.body).toContain("Bob&#39;s public post");
  });

  it("replies to a post and the reply appears under it", async () => {
    const { post, client } = await setup();
    const csrf = await client.csrfFrom(`/@bob/${post.id}`);
    const res = await client.post(`/statuses/${post.id}/reply`, { csrf, text: "Lovely colours" });
    expect(res.status).toBe(303);
    const page = await client.get(`/@bob/${post.id}`);
    expect(page.body).toContain("Lovely colours");
  });

  it("deletes one's own post but not another user's", async () => {
    const { i, alice, post, client } = await setup();
    const own = await publishStatus(i.deps, alice.account.id, { text: "Mine" });
    const ownPage = await client.get(`/@alice/${own.id}`);
    expect(ownPage.body).toContain(`action="/statuses/${own.id}/delete"`);
    const theirs = await client.get(`/@bob/${post.id}`);
    expect(theirs.body).not.toContain(`action="/statuses/${post.id}/delete"`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(theirs.body)![1]!;

    const refused = await client.post(`/statuses/${post.id}/delete`, { csrf });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("You can only delete your own posts.");
    expect(
      (await i.deps.db.select().from(statuses).where(eq(statuses.id, post.id)).limit(1))[0],
    ).toBeDefined();

    const res = await client.post(`/statuses/${own.id}/delete`, { csrf });
    expect(res.status).toBe(303);
    expect(
      (await i.deps.db.select().from(statuses).where(eq(statuses.id, own.id)).limit(1))[0],
    ).toBeUndefined();
  });

  it("refuses actions from visitors who are not signed in", async () => {
    const { i, post } = await setup();
    const visitor = new PageClient(i.app);
    const csrf = await visitor.csrfFrom("/auth/sign_in");
    const res = await visitor.post(`/statuses/${post.id}/favourite`, { csrf });
    expect(res.status).toBe(401);
    expect(await i.deps.db.select().from(favourites)).toHaveLength(0);
  });
});

describe("following from the pages", () => {
  it("follows and unfollows a local account from its profile", async () => {
    const { i, alice, bob, client } = await setup();
    const csrf = await client.csrfFrom("/@bob");
    const res = await client.post("/@bob/follow", { csrf });
    expect(res.status).toBe(303);
    const row = (
      await i.deps.db
        .select()
        .from(follows)
        .where(
          and(eq(follows.accountId, alice.account.id), eq(follows.targetAccountId, bob.account.id)),
        )
        .limit(1)
    )[0];
    expect(row?.state).toBe("accepted");
    const profile = await client.get("/@bob");
    expect(profile.body).toContain('action="/@bob/unfollow"');
    const home = await client.get("/home");
    expect(home.body).toContain("Bob&#39;s public post");

    await client.post("/@bob/unfollow", { csrf });
    expect(await i.deps.db.select().from(follows)).toHaveLength(0);
  });

  it("finds an account by handle through search and follows it from there", async () => {
    const { i, client } = await setup();
    const search = await client.request(`/search?q=${encodeURIComponent("@bob@localhost:3000")}`);
    expect(search.status).toBe(303);
    const target = search.headers.get("location")!;
    const page = await client.get(target);
    expect(page.res.status).toBe(200);
    expect(page.body).toContain("Follow @bob@");
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const res = await client.post("/authorize_interaction", {
      csrf,
      uri: "@bob@localhost:3000",
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("You now follow this account.");
    expect(await i.deps.db.select().from(follows)).toHaveLength(1);
  });

  it("refuses to follow someone who blocks you, from a profile or the interaction page, and stores no follow", async () => {
    const { i, alice, bob, client } = await setup();
    const token = (
      await issueAccessToken(i.deps.db, {
        applicationId: null,
        accountId: alice.account.id,
        scopes: ["read"],
      })
    ).accessToken;
    const csrf = await client.csrfFrom("/@bob");
    await blockAccount(i.deps.db, i.deps.urls, bob.account, alice.account);
    const blocked = await client.post("/@bob/follow", { csrf });
    expect(blocked.status).toBe(403);
    expect(await blocked.text()).toContain("one of you has blocked the other");
    const byInteraction = await client.post("/authorize_interaction", {
      csrf,
      uri: "@bob@localhost:3000",
    });
    expect(byInteraction.status).toBe(403);
    expect(await i.deps.db.select().from(follows)).toHaveLength(0);
    const rel = await call(i, "GET", `/api/v1/accounts/relationships?id[]=${bob.account.id}`, {
      token,
    });
    expect(rel.json[0]).toMatchObject({ following: false, requested: false, blocked_by: true });
  });
});

describe("likes and boosts across a block", () => {
  it("refuses a like or a boost of a post whose author the viewer blocks", async () => {
    const { i, alice, bob, post, client } = await setup();
    const csrf = await client.csrfFrom(`/@bob/${post.id}`);
    await blockAccount(i.deps.db, i.deps.urls, alice.account, bob.account);
    // A block hides the post both ways (the one visibility rule), so the action answers as for an
    // unknown post, as the API does.
    for (const action of ["favourite", "reblog"]) {
      const res = await client.post(`/statuses/${post.id}/${action}`, { csrf });
      expect(res.status).toBe(404);
    }
    expect(await i.deps.db.select().from(favourites)).toHaveLength(0);
    const boosts = await i.deps.db.select().from(statuses).where(eq(statuses.reblogOfId, post.id));
    expect(boosts).toHaveLength(0);
  });
});
