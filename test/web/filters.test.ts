// Settings → Filters on the pages, and the pages honouring them: a filter made with the form is the
// one the API lists, editing and deleting work, and the home timeline, a profile's posts, a thread and
// notifications hide or collapse what the viewer's filters match (the API's matcher, not a second one).
import { afterEach, describe, expect, it } from "vitest";
import { filtersOf } from "../../src/db/queries/filters.ts";
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
  const alice = await localUser(i, "alice");
  const bob = await localUser(i, "bob");
  await follow(i, alice.account.id, bob.account.id, "accepted");
  const token = (
    await issueAccessToken(i.deps.db, {
      applicationId: null,
      accountId: alice.account.id,
      scopes: ["read", "write"],
    })
  ).accessToken;
  const client = new PageClient(i.app);
  await client.signIn("alice");
  return { i, alice, bob, token, client };
}

/** Creates a filter through the settings form, as a person would. */
async function createWithForm(client: PageClient, fields: Record<string, string>) {
  const csrf = await client.csrfFrom("/settings/filters");
  return client.post("/settings/filters", { csrf, expires_in: "", ...fields });
}

describe("the filters settings page", () => {
  it("creates a filter the API then lists, edits it and deletes it", async () => {
    const { i, alice, token, client } = await setup();
    const settings = await client.get("/settings");
    expect(settings.body).toContain('href="/settings/filters"');

    const res = await createWithForm(client, {
      title: "Snakes",
      keyword_0: "snake",
      whole_word_0: "1",
      keyword_1: "viper",
      context_home: "1",
      context_thread: "1",
      filter_action: "hide",
      expires_in: "86400",
    });
    expect(res.status).toBe(303);
    const api = await call(i, "GET", "/api/v2/filters", { token });
    expect(api.json).toHaveLength(1);
    const filter = api.json[0];
    expect(filter).toMatchObject({
      title: "Snakes",
      context: ["home", "thread"],
      filter_action: "hide",
    });
    expect(
      filter.keywords.map((k: { keyword: string; whole_word: boolean }) => [
        k.keyword,
        k.whole_word,
      ]),
    ).toEqual([
      ["snake", true],
      ["viper", false],
    ]);
    expect(Date.parse(filter.expires_at)).toBeGreaterThan(Date.now() + 86_000_000);

    const list = await client.get("/settings/filters");
    expect(list.body).toContain("Snakes");
    expect(list.body).toContain("snake");

    // Edit: rename, empty the first keyword (removes it), add one, warn instead, keep the expiry.
    const edit = await client.get(`/settings/filters/${filter.id}`);
    expect(edit.body).toContain('value="snake"');
    const csrf = /name="csrf" value="([^"]+)"/.exec(edit.body)![1]!;
    const saved = await client.post(`/settings/filters/${filter.id}`, {
      csrf,
      title: "Reptiles",
      keyword_id_0: filter.keywords[0].id,
      keyword_0: "",
      keyword_id_1: filter.keywords[1].id,
      keyword_1: "viper",
      keyword_id_2: "",
      keyword_2: "lizard",
      whole_word_2: "1",
      context_public: "1",
      filter_action: "warn",
      expires_in: "keep",
    });
    expect(saved.status).toBe(303);
    const [after] = await filtersOf(i.deps.db, alice.account.id);
    expect(after!.filter).toMatchObject({ title: "Reptiles", context: ["public"], action: "warn" });
    expect(after!.filter.expiresAt?.toISOString()).toBe(filter.expires_at);
    expect(after!.keywords.map((k) => k.keyword)).toEqual(["viper", "lizard"]);

    const del = await client.post(`/settings/filters/${filter.id}/delete`, { csrf });
    expect(del.status).toBe(303);
    expect(await filtersOf(i.deps.db, alice.account.id)).toEqual([]);
  });

  it("shows Mastodon's validation message and stores nothing for a filter without context", async () => {
    const { i, alice, client } = await setup();
    const res = await createWithForm(client, { title: "Nowhere", keyword_0: "x" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Context can&#39;t be blank");
    expect(await filtersOf(i.deps.db, alice.account.id)).toEqual([]);
  });

  it("does not show or change someone else's filter", async () => {
    const { i, bob, client } = await setup();
    const bobToken = (
      await issueAccessToken(i.deps.db, {
        applicationId: null,
        accountId: bob.account.id,
        scopes: ["read", "write"],
      })
    ).accessToken;
    const made = await call(i, "POST", "/api/v2/filters", {
      token: bobToken,
      body: { title: "Bob's", context: ["home"] },
    });
    expect((await client.get(`/settings/filters/${made.json.id}`)).res.status).toBe(404);
    const csrf = await client.csrfFrom("/settings/filters");
    expect((await client.post(`/settings/filters/${made.json.id}/delete`, { csrf })).status).toBe(
      404,
    );
    expect(await filtersOf(i.deps.db, bob.account.id)).toHaveLength(1);
  });
});

describe("pages honour filters", () => {
  it("removes hidden posts from home and collapses warned ones behind the filter's title", async () => {
    const { i, bob, client } = await setup();
    await createWithForm(client, {
      title: "Spoilers",
      keyword_0: "finale",
      whole_word_0: "1",
      context_home: "1",
      filter_action: "warn",
    });
    await createWithForm(client, {
      title: "Politics",
      keyword_0: "election",
      context_home: "1",
      filter_action: "hide",
    });
    await status(i, bob.account.id, { content: "<p>the finale was great</p>" });
    await status(i, bob.account.id, { content: "<p>election results</p>" });
    await status(i, bob.account.id, { content: "<p>a quiet lake</p>" });
    const { body } = await client.get("/home");
    expect(body).toContain("a quiet lake");
    expect(body).not.toContain("election results");
    expect(body).toMatch(
      /<details class="filtered"><summary>Filtered: Spoilers <span class="muted">\(show\)<\/span><\/summary>[\s\S]*the finale was great/,
    );
    expect(body).not.toMatch(
      /<summary>Filtered:[^<]*<span class="muted">\(show\)<\/span><\/summary>[\s\S]{0,800}a quiet lake/,
    );
  });

  it("applies the account, thread and notifications contexts on their pages", async () => {
    const { i, alice, bob, client } = await setup();
    await createWithForm(client, {
      title: "Mushrooms",
      keyword_0: "mushroom",
      context_account: "1",
      context_thread: "1",
      context_notifications: "1",
      filter_action: "hide",
    });
    const root = await status(i, alice.account.id, {
      content: "<p>forest walk</p>",
    });
    const reply = await status(i, bob.account.id, {
      content: "<p>a mushroom!</p>",
      inReplyToId: root.id,
    });
    await status(i, bob.account.id, {
      content: "<p>a fern</p>",
      inReplyToId: root.id,
    });
    await notify(i, alice.account.id, bob.account.id, "mention", reply.id);

    const thread = await client.get(`/@alice/${root.id}`);
    expect(thread.body).toContain("a fern");
    expect(thread.body).not.toContain("a mushroom!");
    const profile = await client.get("/@bob?tab=posts");
    expect(profile.body).toContain("a fern");
    expect(profile.body).not.toContain("a mushroom!");
    // The post itself, opened on purpose, is shown.
    expect((await client.get(`/@bob/${reply.id}`)).body).toContain("a mushroom!");
    const notifications = await client.get("/notifications");
    expect(notifications.body).not.toContain("mentioned you");
    // A visitor has no filters.
    const visitor = new PageClient(i.app);
    expect((await visitor.get(`/@alice/${root.id}`)).body).toContain("a mushroom!");
  });

  it("leaves hidden images out of Explore and blurs warned ones under the filter's title", async () => {
    const { i, bob, client } = await setup();
    await createWithForm(client, {
      title: "Clowns",
      keyword_0: "clown",
      context_public: "1",
      filter_action: "hide",
    });
    await createWithForm(client, {
      title: "Needles",
      keyword_0: "needle",
      context_public: "1",
      filter_action: "warn",
    });
    const clown = await status(i, bob.account.id, {
      images: 1,
      description: "a clown at the fair",
    });
    const needle = await status(i, bob.account.id, {
      images: 1,
      content: "<p>a needle</p>",
    });
    const plain = await status(i, bob.account.id, { images: 1 });
    const { body } = await client.get("/explore");
    expect(body).toContain(`/@bob/${plain.id}`);
    // Matched by the image description alone.
    expect(body).not.toContain(`/@bob/${clown.id}`);
    expect(body).toContain(`/@bob/${needle.id}`);
    expect(body).toContain('<span class="cw-label">Filtered: Needles</span>');
    // A visitor's Explore is unfiltered.
    const visitor = await new PageClient(i.app).get("/explore");
    expect(visitor.body).toContain(`/@bob/${clown.id}`);
    expect(visitor.body).not.toContain("Filtered: Needles");
  });
});
