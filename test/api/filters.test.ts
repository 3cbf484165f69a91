// Filters through masto.js against a real server on 127.0.0.1: v2 filters with keywords and statuses,
// the v1 API on the same rows, and the filters applied by the server: `filtered` on warn, removal on
// hide, in home, public, thread, account and notifications, expiry, whole-word matching and streaming.
import { eq } from "drizzle-orm";
import { createRestAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../src/db/schema/index.ts";
import { filters } from "../../src/db/schema/index.ts";
import { call, follow, localUser, notify, status } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import { collectSse, pause, until } from "../helpers/sse.ts";
import * as E from "./entities.ts";

let instance: ServedInstance;
type User = { account: Account; token: string; client: mastodon.rest.Client };
let alice: User;
let bob: User;
let carol: User;

async function user(name: string): Promise<User> {
  const u = await localUser(instance, name);
  return { ...u, client: createRestAPIClient({ url: instance.url, accessToken: u.token }) };
}

beforeAll(async () => {
  instance = await serveTestInstance({}, { streaming: { heartbeatMs: 150 } });
  alice = await user("alice");
  bob = await user("bob");
  carol = await user("carol");
  await follow(instance, alice.account, bob.account);
});
afterAll(() => instance.close());

async function statusOf(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { statusCode?: number }).statusCode;
  }
}

const post = (u: User, status: string, extra: Record<string, unknown> = {}) =>
  u.client.v1.statuses.create({ status, ...extra } as mastodon.rest.v1.CreateStatusParams);

/** Removes every filter of alice, so each test starts from none. */
async function clearFilters(): Promise<void> {
  for (const f of await alice.client.v2.filters.list()) {
    await alice.client.v2.filters.$select(f.id).remove();
  }
}

describe("v2 filters", () => {
  it("creates, reads, updates and deletes a filter with keywords, as Mastodon's entity", async () => {
    const created = await alice.client.v2.filters.create({
      title: "Spiders",
      context: ["home", "public"],
      filterAction: "warn",
      keywordsAttributes: [{ keyword: "spider", wholeWord: false }, { keyword: "tarantula" }],
    });
    expect(created).toMatchObject({ title: "Spiders", context: ["home", "public"] });
    const raw = await call(instance, "GET", `/api/v2/filters/${created.id}`, {
      token: alice.token,
    });
    const entity = E.expectEntity(E.Filter, raw.json);
    expect(entity.filter_action).toBe("warn");
    expect(entity.expires_at).toBeNull();
    expect(entity.keywords.map((k) => [k.keyword, k.whole_word])).toEqual([
      ["spider", false],
      ["tarantula", true],
    ]);

    const tarantula = entity.keywords[1]!;
    const updated = await alice.client.v2.filters.$select(created.id).update({
      title: "Arachnids",
      context: ["thread"],
      filterAction: "blur",
      expiresIn: 3600,
      keywordsAttributes: [{ id: tarantula.id, _destroy: true }, { keyword: "scorpion" }],
    });
    expect(updated.title).toBe("Arachnids");
    expect(updated.filterAction).toBe("blur");
    expect(updated.context).toEqual(["thread"]);
    const expires = Date.parse(updated.expiresAt!);
    expect(expires).toBeGreaterThan(Date.now() + 3500_000);
    expect(expires).toBeLessThan(Date.now() + 3700_000);
    expect(updated.keywords!.map((k) => k.keyword)).toEqual(["spider", "scorpion"]);

    expect((await alice.client.v2.filters.list()).map((f) => f.id)).toContain(created.id);
    // Bob sees none of it.
    expect(await statusOf(bob.client.v2.filters.$select(created.id).fetch())).toBe(404);
    expect(await bob.client.v2.filters.list()).toEqual([]);

    await alice.client.v2.filters.$select(created.id).remove();
    expect(await statusOf(alice.client.v2.filters.$select(created.id).fetch())).toBe(404);
  });

  it("answers 422 as Mastodon for a missing title or context and an unknown context", async () => {
    const noTitle = await call(instance, "POST", "/api/v2/filters", {
      token: alice.token,
      body: { context: ["home"] },
    });
    expect(noTitle.status).toBe(422);
    expect(noTitle.json.error).toBe("Validation failed: Title can't be blank");
    const noContext = await call(instance, "POST", "/api/v2/filters", {
      token: alice.token,
      body: { title: "x" },
    });
    expect(noContext.status).toBe(422);
    expect(noContext.json.error).toMatch(/^Validation failed: Context can't be blank/);
    const badContext = await call(instance, "POST", "/api/v2/filters", {
      token: alice.token,
      body: { title: "x", context: ["elsewhere"] },
    });
    expect(badContext.status).toBe(422);
    const badAction = await call(instance, "POST", "/api/v2/filters", {
      token: alice.token,
      body: { title: "x", context: ["home"], filter_action: "explode" },
    });
    expect(badAction.status).toBe(422);
    expect(await alice.client.v2.filters.list()).toEqual([]);
  });

  it("needs read:filters to read and write:filters to change", async () => {
    const readOnly = await localUser(instance, "reader", "read:statuses");
    const listed = await call(instance, "GET", "/api/v2/filters", { token: readOnly.token });
    expect(listed.status).toBe(403);
    const created = await call(instance, "POST", "/api/v1/filters", {
      token: readOnly.token,
      body: { phrase: "x", context: ["home"] },
    });
    expect(created.status).toBe(403);
  });

  it("adds, reads, changes and removes keywords and statuses one by one", async () => {
    const filter = await alice.client.v2.filters.create({ title: "Rules", context: ["home"] });
    const keywords = alice.client.v2.filters.$select(filter.id).keywords;
    const keyword = await keywords.create({ keyword: "moth", wholeWord: false });
    expect(keyword).toMatchObject({ keyword: "moth", wholeWord: false });
    E.expectEntity(
      E.FilterKeyword,
      (
        await call(instance, "GET", `/api/v2/filters/keywords/${keyword.id}`, {
          token: alice.token,
        })
      ).json,
    );
    const changed = await alice.client.v2.filters.keywords
      .$select(keyword.id)
      .update({ keyword: "butterfly", wholeWord: true });
    expect(changed).toMatchObject({ keyword: "butterfly", wholeWord: true });
    expect((await keywords.list()).map((k) => k.keyword)).toEqual(["butterfly"]);
    const blank = await call(instance, "POST", `/api/v2/filters/${filter.id}/keywords`, {
      token: alice.token,
      body: { keyword: "  " },
    });
    expect(blank.status).toBe(422);
    expect(await statusOf(bob.client.v2.filters.keywords.$select(keyword.id).fetch())).toBe(404);
    await alice.client.v2.filters.keywords.$select(keyword.id).remove();
    expect(await keywords.list()).toEqual([]);

    const target = await post(bob, "a status to pick");
    const picked = await alice.client.v2.filters
      .$select(filter.id)
      .statuses.create({ statusId: target.id });
    expect(picked.statusId).toBe(target.id);
    const again = await call(instance, "POST", `/api/v2/filters/${filter.id}/statuses`, {
      token: alice.token,
      body: { status_id: target.id },
    });
    expect(again.status).toBe(422);
    const secret = await post(carol, "only for me", { visibility: "private" });
    const hidden = await call(instance, "POST", `/api/v2/filters/${filter.id}/statuses`, {
      token: alice.token,
      body: { status_id: secret.id },
    });
    expect(hidden.status).toBe(422);
    const raw = await call(instance, "GET", `/api/v2/filters/statuses/${picked.id}`, {
      token: alice.token,
    });
    expect(E.expectEntity(E.FilterStatus, raw.json)).toEqual({
      id: picked.id,
      status_id: target.id,
    });
    expect(
      (await alice.client.v2.filters.$select(filter.id).statuses.list()).map((s) => s.id),
    ).toEqual([picked.id]);
    await alice.client.v2.filters.statuses.$select(picked.id).remove();
    expect(await alice.client.v2.filters.$select(filter.id).statuses.list()).toEqual([]);
    await clearFilters();
  });
});

describe("v1 filters", () => {
  it("creates, lists, updates and deletes v1 filters on top of v2 filters", async () => {
    const made = await alice.client.v1.filters.create({
      phrase: "Wasp",
      context: ["home", "notifications"],
      irreversible: true,
      wholeWord: false,
    });
    const raw = await call(instance, "GET", `/api/v1/filters/${made.id}`, { token: alice.token });
    expect(E.expectEntity(E.V1Filter, raw.json)).toEqual({
      id: made.id,
      phrase: "Wasp",
      context: ["home", "notifications"],
      whole_word: false,
      expires_at: null,
      irreversible: true,
    });
    // The same data in v2: a filter titled by the phrase, hiding, with the phrase as its keyword.
    const [v2] = await alice.client.v2.filters.list();
    expect(v2).toMatchObject({ title: "Wasp", filterAction: "hide" });
    expect(v2!.keywords!.map((k) => k.id)).toEqual([made.id]);

    const updated = await alice.client.v1.filters
      .$select(made.id)
      .update({ phrase: "Hornet", context: ["public"], irreversible: false, wholeWord: true });
    expect(updated).toMatchObject({ phrase: "Hornet", context: ["public"], irreversible: false });
    expect((await alice.client.v1.filters.list()).map((f) => f.phrase)).toEqual(["Hornet"]);

    // Filter-wide changes through v1 are refused once the filter has a second keyword.
    await alice.client.v2.filters.$select(v2!.id).keywords.create({ keyword: "bee" });
    const refused = await call(instance, "PUT", `/api/v1/filters/${made.id}`, {
      token: alice.token,
      body: { phrase: "Hornet", context: ["home"] },
    });
    expect(refused.status).toBe(422);
    expect((await alice.client.v1.filters.list()).map((f) => f.phrase)).toEqual(["Hornet", "bee"]);

    await alice.client.v1.filters.$select(made.id).remove();
    expect(await statusOf(alice.client.v1.filters.$select(made.id).fetch())).toBe(404);
    expect((await alice.client.v1.filters.list()).map((f) => f.phrase)).toEqual(["bee"]);
    await clearFilters();
  });
});

describe("filters applied by the server", () => {
  it("marks warn matches in home and public, and hide removes them", async () => {
    await alice.client.v2.filters.create({
      title: "Cats",
      context: ["home", "public"],
      keywordsAttributes: [{ keyword: "cat" }],
    });
    await alice.client.v2.filters.create({
      title: "Dogs",
      context: ["home"],
      filterAction: "hide",
      keywordsAttributes: [{ keyword: "dog" }],
    });
    const cat = await post(bob, "My CAT sleeps");
    const dog = await post(bob, "A dog barks");
    const plain = await post(bob, "Nothing to see");

    const home = await call(instance, "GET", "/api/v1/timelines/home", { token: alice.token });
    const ids = home.json.map((s: { id: string }) => s.id);
    expect(ids).toContain(plain.id);
    expect(ids).not.toContain(dog.id);
    const warned = E.expectEntity(
      E.Status,
      home.json.find((s: { id: string }) => s.id === cat.id),
    );
    expect(warned.filtered).toHaveLength(1);
    expect(warned.filtered![0]).toMatchObject({
      filter: { title: "Cats", filter_action: "warn" },
      keyword_matches: ["CAT"],
      status_matches: null,
    });
    expect(home.json.find((s: { id: string }) => s.id === plain.id).filtered).toEqual([]);

    // Public: the home-only hide filter does not apply there, the warn one does.
    const pub = await alice.client.v1.timelines.public.list({ local: true, limit: 40 });
    expect(pub.map((s) => s.id)).toContain(dog.id);
    expect(pub.find((s) => s.id === cat.id)!.filtered![0]!.filter.title).toBe("Cats");
    expect(pub.find((s) => s.id === dog.id)!.filtered).toEqual([]);

    // Others' views are their own: bob has no filters.
    const bobs = await bob.client.v1.timelines.home.list();
    expect(bobs.map((s) => s.id)).toContain(dog.id);
    await clearFilters();
  });

  it("matches whole words only when whole_word is on, and a boost by its original", async () => {
    await alice.client.v2.filters.create({
      title: "Art",
      context: ["home"],
      filterAction: "hide",
      keywordsAttributes: [{ keyword: "art", wholeWord: true }],
    });
    await alice.client.v2.filters.create({
      title: "Paint",
      context: ["home"],
      filterAction: "hide",
      keywordsAttributes: [{ keyword: "paint", wholeWord: false }],
    });
    const partial = await post(bob, "A party and a start");
    const whole = await post(bob, "Some ART, here");
    const inside = await post(bob, "Repainted the fence");
    const original = await post(carol, "carol's art show");
    const boosted = await bob.client.v1.statuses.$select(original.id).reblog();
    const ids = (await alice.client.v1.timelines.home.list({ limit: 40 })).map((s) => s.id);
    expect(ids).toContain(partial.id);
    expect(ids).not.toContain(whole.id);
    expect(ids).not.toContain(inside.id);
    expect(ids).not.toContain(boosted.id);
    await clearFilters();
  });

  it("matches content warnings and picked statuses, and leaves one's own statuses alone", async () => {
    const filter = await alice.client.v2.filters.create({
      title: "Spoilers",
      context: ["home"],
      keywordsAttributes: [{ keyword: "ending" }],
    });
    const warned = await post(bob, "no word here", { spoilerText: "the ending" });
    const picked = await post(bob, "picked by id");
    await alice.client.v2.filters.$select(filter.id).statuses.create({ statusId: picked.id });
    const own = await post(alice, "my own ending");
    const home = await alice.client.v1.timelines.home.list({ limit: 40 });
    expect(home.find((s) => s.id === warned.id)!.filtered![0]!.keywordMatches).toEqual(["ending"]);
    expect(home.find((s) => s.id === picked.id)!.filtered![0]!.statusMatches).toEqual([picked.id]);
    expect(home.find((s) => s.id === own.id)!.filtered).toEqual([]);
    await clearFilters();
  });

  it("applies in the thread and account contexts", async () => {
    await alice.client.v2.filters.create({
      title: "Frogs",
      context: ["thread"],
      filterAction: "hide",
      keywordsAttributes: [{ keyword: "frog" }],
    });
    await alice.client.v2.filters.create({
      title: "Toads",
      context: ["account"],
      keywordsAttributes: [{ keyword: "toad" }],
    });
    const root = await post(bob, "Pond life");
    const frog = await post(carol, "a frog!", { inReplyToId: root.id });
    const toad = await post(carol, "a toad!", { inReplyToId: root.id });
    const context = await alice.client.v1.statuses.$select(root.id).context.fetch();
    expect(context.descendants.map((s) => s.id)).toEqual([toad.id]);
    expect(context.descendants[0]!.filtered).toEqual([]);

    const profile = await alice.client.v1.accounts.$select(carol.account.id).statuses.list();
    expect(profile.map((s) => s.id)).toContain(frog.id);
    expect(profile.find((s) => s.id === toad.id)!.filtered![0]!.filter.title).toBe("Toads");
    await clearFilters();
  });

  it("hides notifications about hidden statuses and marks warned ones", async () => {
    await alice.client.v2.filters.create({
      title: "Trains",
      context: ["notifications"],
      filterAction: "hide",
      keywordsAttributes: [{ keyword: "train" }],
    });
    await alice.client.v2.filters.create({
      title: "Boats",
      context: ["notifications"],
      keywordsAttributes: [{ keyword: "boat" }],
    });
    const mention = async (content: string) => {
      const row = await status(instance, carol.account, { content, mentions: [alice.account] });
      await notify(instance, alice.account, carol.account, "mention", row.id);
      return row;
    };
    const train = await mention("<p>look, a train</p>");
    const boat = await mention("<p>look, a boat</p>");
    const list = await alice.client.v1.notifications.list({ types: ["mention"] });
    const statusIds = list.map((n) => n.status?.id);
    expect(statusIds).toContain(boat.id);
    expect(statusIds).not.toContain(train.id);
    expect(list.find((n) => n.status?.id === boat.id)!.status!.filtered![0]!.filter.title).toBe(
      "Boats",
    );
    const grouped = await call(instance, "GET", "/api/v2/notifications", { token: alice.token });
    const groupedIds = grouped.json.statuses.map((s: { id: string }) => s.id);
    expect(groupedIds).toContain(boat.id);
    expect(groupedIds).not.toContain(train.id);
    await clearFilters();
  });

  it("stops applying a filter once it has expired", async () => {
    const filter = await alice.client.v2.filters.create({
      title: "Soon gone",
      context: ["home"],
      filterAction: "hide",
      expiresIn: 3600,
      keywordsAttributes: [{ keyword: "ephemeral" }],
    });
    const shown = await post(bob, "ephemeral things");
    let ids = (await alice.client.v1.timelines.home.list()).map((s) => s.id);
    expect(ids).not.toContain(shown.id);
    // An hour later, as far as the filter knows.
    await instance.deps.db
      .update(filters)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(filters.id, filter.id));
    ids = (await alice.client.v1.timelines.home.list()).map((s) => s.id);
    expect(ids).toContain(shown.id);
    // Still listed by the filter API, with its expiry.
    const listed = await alice.client.v2.filters.$select(filter.id).fetch();
    expect(Date.parse(listed.expiresAt!)).toBeLessThan(Date.now());
    await clearFilters();
  });
});

describe("filters on the streaming API", () => {
  it("leaves out hidden statuses from the user stream and marks warned ones", async () => {
    await alice.client.v2.filters.create({
      title: "Owls",
      context: ["home"],
      filterAction: "hide",
      keywordsAttributes: [{ keyword: "owl" }],
    });
    await alice.client.v2.filters.create({
      title: "Bats",
      context: ["home"],
      keywordsAttributes: [{ keyword: "bat" }],
    });
    const controller = new AbortController();
    const res = await fetch(`${instance.url}/api/v1/streaming/user`, {
      headers: { Authorization: `Bearer ${alice.token}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const events = collectSse(res);
    try {
      await pause(100);
      const owl = await post(bob, "an owl at night");
      const bat = await post(bob, "a bat at dusk");
      await until(() => events.some((e) => e.data.includes(bat.id)));
      const update = events.find((e) => e.event === "update" && e.data.includes(bat.id))!;
      const entity = E.expectEntity(E.Status, JSON.parse(update.data));
      expect(entity.filtered![0]!.filter.title).toBe("Bats");
      expect(events.some((e) => e.data.includes(owl.id))).toBe(false);
    } finally {
      controller.abort();
    }
    await clearFilters();
  });
});

describe("filters_changed on the user stream", () => {
  it("tells the owner's open streams, and nobody else's, each time their filters change", async () => {
    const open = async (token: string) => {
      const controller = new AbortController();
      const res = await fetch(`${instance.url}/api/v1/streaming/user`, {
        headers: { Authorization: `Bearer ${token}` },
        signal: controller.signal,
      });
      expect(res.status).toBe(200);
      return { events: collectSse(res), controller };
    };
    const mine = await open(alice.token);
    const theirs = await open(bob.token);
    const changes = () => mine.events.filter((e) => e.event === "filters_changed").length;
    try {
      await pause(100);
      const filter = await alice.client.v2.filters.create({
        title: "Moths",
        context: ["home"],
        keywordsAttributes: [{ keyword: "moth" }],
      });
      // Events are delivered at least once (a slow dispatch may be retried), so each change is waited
      // for as "one more at least"; the bound is generous for a loaded machine.
      const oneMoreAfter = async (change: () => Promise<unknown>) => {
        const before = changes();
        await change();
        await until(() => changes() > before, 10_000);
      };
      await until(() => changes() >= 1, 10_000);
      let keywordId = "";
      await oneMoreAfter(async () => {
        keywordId = (
          await alice.client.v2.filters.$select(filter.id).keywords.create({ keyword: "lantern" })
        ).id;
      });
      await oneMoreAfter(() => alice.client.v2.filters.keywords.$select(keywordId).remove());
      await oneMoreAfter(() => alice.client.v2.filters.$select(filter.id).remove());
      expect(theirs.events.some((e) => e.event === "filters_changed")).toBe(false);
    } finally {
      mine.controller.abort();
      theirs.controller.abort();
    }
  });
});

describe("form-encoded filter parameters", () => {
  it("groups keywords_attributes[][…] fields into one keyword each, as Rails does", async () => {
    const res = await instance.app.request("/api/v2/filters", {
      method: "POST",
      headers: {
        Authorization: `Bearer ${alice.token}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: [
        "title=Form",
        "context[]=home",
        "context[]=public",
        "keywords_attributes[][keyword]=one",
        "keywords_attributes[][whole_word]=false",
        "keywords_attributes[][keyword]=two",
        "keywords_attributes[][whole_word]=true",
      ].join("&"),
    });
    expect(res.status).toBe(200);
    const entity = E.expectEntity(E.Filter, await res.json());
    expect(entity.context).toEqual(["home", "public"]);
    expect(entity.keywords.map((k) => [k.keyword, k.whole_word])).toEqual([
      ["one", false],
      ["two", true],
    ]);
    await clearFilters();
  });
});
