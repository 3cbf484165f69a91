// Status search with Mastodon's rules, through GET /api/v2/search: what a viewer may search (their own
// posts, those they interacted with, indexable accounts' public posts), never what they may not see, and
// the query operators (from:, has:, is:, before:/after:/during:, in:, language:, negation, account_id).
import { createRestAPIClient } from "masto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { blocks, bookmarks, favourites, mutes, type Status } from "../../src/db/schema/index.ts";
import {
  boost,
  call,
  follow,
  inOrder,
  localUser,
  media,
  remoteAccount,
  status,
  times,
} from "../helpers/factories.ts";
import {
  createTestInstance,
  type ServedInstance,
  serveTestInstance,
  type TestInstance,
} from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

const ids = (res: { json: { statuses: { id: string }[] } }) => res.json.statuses.map((s) => s.id);
const newestFirst = (...rows: Status[]) => rows.map((r) => r.id).sort((a, b) => (a < b ? 1 : -1));

async function search(token: string | undefined, q: string, extra = "") {
  const res = await call(
    instance,
    "GET",
    `/api/v2/search?type=statuses&q=${encodeURIComponent(q)}${extra}`,
    token === undefined ? {} : { token },
  );
  expect(res.status).toBe(200);
  for (const s of res.json.statuses) E.expectEntity(E.Status, s);
  return ids(res);
}

describe("what status search finds", () => {
  it("finds the viewer's own posts of every visibility and the posts they interacted with", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    // carol is not indexable: only alice's interactions make her posts searchable for alice.
    const carol = await remoteAccount(instance, "carol");
    const own = await inOrder(
      ["public", "unlisted", "private", "direct"] as const,
      async (visibility) =>
        await status(instance, alice, { content: `<p>orchid ${visibility}</p>`, visibility }),
    );
    const favourited = await status(instance, carol, { content: "<p>orchid liked</p>" });
    const bookmarked = await status(instance, carol, { content: "<p>orchid kept</p>" });
    const boosted = await status(instance, carol, { content: "<p>orchid shared</p>" });
    const repliedTo = await status(instance, carol, { content: "<p>orchid answered</p>" });
    const mentioning = await status(instance, carol, {
      content: "<p>orchid for @alice</p>",
      visibility: "direct",
      mentions: [alice],
    });
    const untouched = await status(instance, carol, { content: "<p>orchid unseen</p>" });
    const db = instance.deps.db;
    await db
      .insert(favourites)
      .values({ id: newId(), accountId: alice.id, statusId: favourited.id });
    await db
      .insert(bookmarks)
      .values({ id: newId(), accountId: alice.id, statusId: bookmarked.id });
    const theBoost = await boost(instance, alice, boosted);
    const reply = await status(instance, alice, {
      content: "<p>nice</p>",
      inReplyToId: repliedTo.id,
      inReplyToAccountId: carol.id,
    });

    const library = newestFirst(...own, favourited, bookmarked, boosted, repliedTo, mentioning);
    expect(await search(token, "orchid")).toEqual(library);
    expect(await search(token, "orchid in:library")).toEqual(library);
    const found = await search(token, "orchid");
    expect(found).not.toContain(untouched.id);
    // Boosts are never results themselves; the reply is found by its own words.
    expect(found).not.toContain(theBoost.id);
    expect(await search(token, "nice")).toEqual([reply.id]);
    // in:public is the indexable public posts only: alice (local, indexable) and her public post.
    expect(await search(token, "orchid in:public")).toEqual([own[0]!.id]);
    // Another user's library is not alice's: bob finds only what is public and indexable.
    const { token: bobToken } = await localUser(instance, "bob");
    expect(await search(bobToken, "orchid")).toEqual([own[0]!.id]);
  });

  it("finds indexable accounts' public posts, never unlisted ones or an unindexable stranger's", async () => {
    const { token } = await localUser(instance, "alice");
    const dave = await remoteAccount(instance, "dave", "remote.example", { indexable: true });
    const erin = await remoteAccount(instance, "erin");
    const davePublic = await status(instance, dave, { content: "<p>tulip field</p>" });
    await status(instance, dave, { content: "<p>tulip quietly</p>", visibility: "unlisted" });
    const erinPublic = await status(instance, erin, { content: "<p>tulip stranger</p>" });
    expect(await search(token, "tulip")).toEqual([davePublic.id]);
    // The stranger's post is still found by its URL, stored or resolved.
    expect(await search(token, erinPublic.iri)).toEqual([erinPublic.id]);
    expect(await search(token, erinPublic.iri, "&resolve=true")).toEqual([erinPublic.id]);
  });

  it("follows a local user's indexable setting", async () => {
    const { token } = await localUser(instance, "alice");
    const { account: bob, token: bobToken } = await localUser(instance, "bob");
    const bobs = await status(instance, bob, { content: "<p>daisy chain</p>" });
    expect(await search(token, "daisy")).toEqual([bobs.id]);
    const off = await call(instance, "PATCH", "/api/v1/accounts/update_credentials", {
      token: bobToken,
      form: { indexable: "false" },
    });
    expect(off.json.indexable).toBe(false);
    expect(await search(token, "daisy")).toEqual([]);
    // Bob still finds his own post: it is in his library whatever the setting.
    expect(await search(bobToken, "daisy")).toEqual([bobs.id]);
  });

  it("never finds a post the viewer may not see, even one they are linked to", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const frank = await remoteAccount(instance, "frank", "remote.example", { indexable: true });
    const hidden = await status(instance, frank, {
      content: "<p>peony for followers</p>",
      visibility: "private",
    });
    // Even a favourite (made while alice followed frank, say) does not open a followers-only post.
    await instance.deps.db
      .insert(favourites)
      .values({ id: newId(), accountId: alice.id, statusId: hidden.id });
    expect(await search(token, "peony")).toEqual([]);
    expect(await search(token, hidden.iri)).toEqual([]);
    await follow(instance, alice, frank);
    expect(await search(token, "peony")).toEqual([hidden.id]);
  });

  it("leaves out blocked and muted accounts, and answers anonymous visitors only by URL", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const gina = await remoteAccount(instance, "gina", "remote.example", { indexable: true });
    const hank = await remoteAccount(instance, "hank", "remote.example", { indexable: true });
    const ginas = await status(instance, gina, { content: "<p>lotus one</p>" });
    const hanks = await status(instance, hank, { content: "<p>lotus two</p>" });
    expect(await search(token, "lotus")).toEqual(newestFirst(ginas, hanks));
    await instance.deps.db
      .insert(blocks)
      .values({ id: newId(), accountId: gina.id, targetAccountId: alice.id });
    await instance.deps.db
      .insert(mutes)
      .values({ id: newId(), accountId: alice.id, targetAccountId: hank.id });
    expect(await search(token, "lotus")).toEqual([]);
    // Mastodon searches statuses' text for signed-in users only.
    expect(await search(undefined, "lotus")).toEqual([]);
    expect(await search(undefined, hanks.iri)).toEqual([hanks.id]);
  });

  it("matches the prompt an image was made from, its description, the content warning and poll options", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const withPrompt = await status(instance, alice, { content: "<p>new picture</p>" });
    await media(instance, alice, withPrompt.id, {
      description: "a bird",
      provenance: {
        digitalSourceType: "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
        prompt: "A heron in watercolour, morning fog",
      },
    });
    const warned = await status(instance, alice, {
      content: "<p>x</p>",
      spoilerText: "Heron anatomy",
    });
    expect(await search(token, "heron")).toEqual(newestFirst(withPrompt, warned));
    expect(await search(token, "watercolour fog")).toEqual([withPrompt.id]);
    expect(await search(token, "bird")).toEqual([withPrompt.id]);
    expect(await search(token, '"morning fog"')).toEqual([withPrompt.id]);
    expect(await search(token, '"fog morning"')).toEqual([]);
    const poll = await status(instance, alice, {
      content: "<p>Which bird?</p>",
      poll: {
        options: [
          { title: "Kingfisher", votesCount: 1 },
          { title: "Egret", votesCount: 2 },
        ],
        multiple: false,
        expiresAt: null,
        votersCount: 3,
      },
    });
    expect(await search(token, "egret")).toEqual([poll.id]);
    expect(await search(token, "bird has:poll")).toEqual([poll.id]);
    // LIKE's wildcards in a query are plain characters.
    const percent = await status(instance, alice, { content: "<p>100% heron</p>" });
    await status(instance, alice, { content: "<p>1000 cranes</p>" });
    expect(await search(token, "100%")).toEqual([percent.id]);
  });
});

describe("search operators", () => {
  it("from:me, from:user, from:user@domain, account_id and their negation", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const { account: bob } = await localUser(instance, "bob");
    const ivy = await remoteAccount(instance, "ivy", "remote.example", { indexable: true });
    const mine = await status(instance, alice, {
      content: "<p>fern mine</p>",
      visibility: "private",
    });
    const bobs = await status(instance, bob, { content: "<p>fern bob</p>" });
    const ivys = await status(instance, ivy, { content: "<p>fern ivy</p>" });
    expect(await search(token, "from:me")).toEqual([mine.id]);
    expect(await search(token, "fern from:me")).toEqual([mine.id]);
    expect(await search(token, "fern from:bob")).toEqual([bobs.id]);
    expect(await search(token, "fern from:@bob")).toEqual([bobs.id]);
    expect(await search(token, "fern from:ivy@remote.example")).toEqual([ivys.id]);
    expect(await search(token, "fern from:nobody@remote.example")).toEqual([]);
    expect(await search(token, "fern -from:me")).toEqual(newestFirst(bobs, ivys));
    expect(await search(token, "fern", `&account_id=${ivy.id}`)).toEqual([ivys.id]);
    const unknown = await call(instance, "GET", "/api/v2/search?q=fern&account_id=123", { token });
    expect(unknown.status).toBe(404);
  });

  it("has:media, is:reply, is:sensitive, language: and #hashtags, with - to exclude", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const plain = await status(instance, alice, { content: "<p>moss plain</p>", language: "de" });
    const pictured = await status(instance, alice, { content: "<p>moss pictured</p>" });
    await media(instance, alice, pictured.id);
    const reply = await status(instance, alice, {
      content: "<p>moss reply</p>",
      inReplyToId: plain.id,
      inReplyToAccountId: alice.id,
    });
    const sensitive = await status(instance, alice, {
      content: "<p>moss hidden</p>",
      sensitive: true,
      tags: ["Garden"],
    });
    expect(await search(token, "moss has:media")).toEqual([pictured.id]);
    expect(await search(token, "moss has:image")).toEqual([pictured.id]);
    expect(await search(token, "moss has:video")).toEqual([]);
    expect(await search(token, "moss -has:media")).toEqual(newestFirst(plain, reply, sensitive));
    expect(await search(token, "moss is:reply")).toEqual([reply.id]);
    expect(await search(token, "moss -is:reply")).toEqual(newestFirst(plain, pictured, sensitive));
    expect(await search(token, "moss is:sensitive")).toEqual([sensitive.id]);
    expect(await search(token, "moss language:de")).toEqual([plain.id]);
    expect(await search(token, "moss -language:de")).toEqual(
      newestFirst(pictured, reply, sensitive),
    );
    expect(await search(token, "moss #garden")).toEqual([sensitive.id]);
    expect(await search(token, "moss -#garden -pictured")).toEqual(newestFirst(plain, reply));
  });

  it("before:, after: and during: read whole days in UTC", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const at = (iso: string) => new Date(iso);
    const first = await status(instance, alice, {
      content: "<p>ivy one</p>",
      createdAt: at("2024-03-01T23:59:00Z"),
    });
    const second = await status(instance, alice, {
      content: "<p>ivy two</p>",
      createdAt: at("2024-03-02T00:00:00Z"),
    });
    const third = await status(instance, alice, {
      content: "<p>ivy three</p>",
      createdAt: at("2024-03-03T12:00:00Z"),
    });
    expect(await search(token, "ivy before:2024-03-02")).toEqual([first.id]);
    expect(await search(token, "ivy after:2024-03-02")).toEqual([third.id]);
    expect(await search(token, "ivy during:2024-03-02")).toEqual([second.id]);
    expect(await search(token, "ivy -during:2024-03-02")).toEqual(newestFirst(first, third));
    expect(await search(token, 'ivy after:"2024-03-01T23:59:30Z"')).toEqual(
      newestFirst(second, third),
    );
    const bad = await call(instance, "GET", "/api/v2/search?q=ivy%20before:2024-02-31", { token });
    expect(bad.status).toBe(422);
    expect(bad.json.error).toMatch(/YYYY-MM-DD/);
  });

  it("pages with limit and offset, and bounds the query", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const rows = await times(
      5,
      async () => await status(instance, alice, { content: "<p>reed</p>" }),
    );
    const all = newestFirst(...rows);
    expect(await search(token, "reed", "&limit=2")).toEqual(all.slice(0, 2));
    expect(await search(token, "reed", "&limit=2&offset=2")).toEqual(all.slice(2, 4));
    expect(await search(token, "reed", `&max_id=${all[1]}&min_id=${all[4]}`)).toEqual(
      all.slice(2, 4),
    );
    const tooMany = Array.from({ length: 17 }, (_, i) => `w${i}`).join(" ");
    const many = await call(instance, "GET", `/api/v2/search?q=${encodeURIComponent(tooMany)}`, {
      token,
    });
    expect(many.status).toBe(422);
    const long = await call(instance, "GET", `/api/v2/search?q=${"a".repeat(2049)}`, { token });
    expect(long.status).toBe(422);
    // A bare handle names an account; its words are not searched in statuses.
    await status(instance, alice, { content: "<p>@alice@remote.example</p>" });
    const handle = await call(instance, "GET", "/api/v2/search?q=alice@remote.example", { token });
    expect(handle.json.statuses).toEqual([]);
  });
});

describe("search through masto.js", () => {
  let served: ServedInstance;
  beforeEach(async () => {
    served = await serveTestInstance();
  });
  afterEach(() => served.close());

  it("finds from:me and library posts with Mastodon's client", async () => {
    const { account: alice, token } = await localUser(served, "alice");
    // bob's unlisted posts are in no public index: only alice's favourite puts one in her library.
    const { account: bob } = await localUser(served, "bob");
    const mine = await status(served, alice, { content: "<p>my cedar</p>", visibility: "private" });
    const liked = await status(served, bob, { content: "<p>a cedar</p>", visibility: "unlisted" });
    await status(served, bob, { content: "<p>another cedar</p>", visibility: "unlisted" });
    const client = createRestAPIClient({ url: served.url, accessToken: token });
    await client.v1.statuses.$select(liked.id).favourite();
    const fromMe = await client.v2.search.list({ q: "from:me", type: "statuses" });
    expect(fromMe.statuses.map((s) => s.id)).toEqual([mine.id]);
    const cedar = await client.v2.search.list({ q: "cedar", type: "statuses" });
    expect(cedar.statuses.map((s) => s.id)).toEqual(newestFirst(mine, liked));
    expect(cedar.statuses.find((s) => s.id === liked.id)?.favourited).toBe(true);
  });
});
