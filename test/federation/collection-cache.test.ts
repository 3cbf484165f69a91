// The cache in front of local actors' collections (outbox, followers, following, featured, featured
// tags, and their pages): a hit is byte for byte what Fedify produced, any change to what a collection
// lists (an edit, a deletion, a visibility change, a follow, a pin, a suspension) shows on the very next
// fetch, and an answer that depends on who asks or on the Host named is never served from it.

import { signRequest } from "@fedify/fedify";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeStore, openStore } from "../../src/db/dialect.ts";
import { newId } from "../../src/db/ids.ts";
import { type Account, accounts, follows, statuses } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { featureTag } from "../../src/domain/featured-tags.ts";
import { followAccount, unfollowAccount } from "../../src/domain/follows.ts";
import { blockAccount } from "../../src/domain/interactions.ts";
import { pinStatus, unpinStatus } from "../../src/domain/pins.ts";
import { upsertRemoteAccount } from "../../src/domain/remote-accounts.ts";
import { deleteStatus, editStatus, publishStatus } from "../../src/domain/statuses.ts";
import { type FakeActor, type FakeRemote, startFakeRemote } from "../helpers/fake-remote.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

const ORIGIN = "https://atelier.example";
const AP = { accept: "application/activity+json" };
let instance: TestInstance;
let peer: FakeRemote;
let signer: FakeActor;
let reader: Account;

beforeAll(async () => {
  instance = await createTestInstance({ ORIGIN, FEDERATION_ALLOW_PRIVATE_ADDRESS: "true" });
  peer = await startFakeRemote();
  signer = await peer.actor("reader");
  reader = await upsertRemoteAccount(instance.deps.db, {
    iri: signer.id.href,
    username: "reader",
    domain: peer.host,
    type: "Person",
    inboxUrl: `${signer.id.href}/inbox`,
  });
}, 60_000);
afterAll(async () => {
  await Promise.all([instance?.close(), peer?.close()]);
});

async function newUser(username: string): Promise<Account> {
  const { account } = await createLocalUser(instance.deps.db, instance.deps.urls, {
    username,
    password: `${username}-password`,
    displayName: username,
  });
  return account;
}

const cache = () => instance.deps.federation.collectionCache;
const get = (path: string, origin = ORIGIN) =>
  instance.app.request(new URL(path, origin).href, { headers: AP });
const signedGet = async (path: string) =>
  instance.app.request(
    await signRequest(
      new Request(new URL(path, ORIGIN), { headers: AP }),
      signer.privateKey,
      signer.keyId,
    ),
  );
/** Fedify's own answer, past the middleware and its cache. */
const fromFedify = async (path: string) =>
  await (
    await instance.deps.federation.federation.fetch(
      new Request(new URL(path, ORIGIN), { headers: AP }),
      { contextData: instance.deps.federation.deps },
    )
  ).text();
const json = async (path: string) => (await (await get(path)).json()) as Record<string, unknown>;
/** The ids of a page's items (Creates: their Notes' ids; actors: their IRIs). */
const itemIds = async (path: string) =>
  ((await json(path)).orderedItems as unknown[] | undefined)?.map((item) =>
    typeof item === "string" ? item : String((item as { object?: { id: string } }).object?.id),
  ) ?? [];

describe("cached collections", () => {
  it("answers each collection and page with Fedify's bytes, from the cache the second time", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    const status = await publishStatus(instance.deps, alice.id, { text: "In the outbox #cats" });
    await followAccount(instance.deps.db, instance.deps.urls, bob, alice);
    await pinStatus(instance.deps.db, alice, status);
    await featureTag(instance.deps.db, alice, "cats");
    const paths = [
      "/users/alice/outbox",
      "/users/alice/outbox?cursor=",
      "/users/alice/followers",
      "/users/alice/followers?cursor=",
      "/users/bob/following",
      "/users/bob/following?cursor=",
      "/users/alice/featured",
      "/users/alice/featured_tags",
    ];
    for (const path of paths) {
      const before = cache().size;
      const first = await get(path);
      expect(first.status, path).toBe(200);
      const body = await first.text();
      expect(cache().size, path).toBe(before + 1);
      const second = await get(path);
      expect(await second.text(), path).toBe(body);
      expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
      expect(second.headers.get("content-type")).toBe(first.headers.get("content-type"));
      expect(await fromFedify(path), path).toBe(body);
    }
    expect(await itemIds("/users/alice/outbox?cursor=")).toEqual([status.iri]);
    expect(await itemIds("/users/alice/followers?cursor=")).toEqual([bob.iri]);
    expect(await itemIds("/users/bob/following?cursor=")).toEqual([alice.iri]);
    expect(await json("/users/alice/featured")).toMatchObject({
      orderedItems: [{ id: status.iri }],
    });
    expect(await json("/users/alice/featured_tags")).toMatchObject({
      orderedItems: [{ name: "#cats" }],
    });
    const etag = (await get("/users/alice/outbox?cursor=")).headers.get("etag")!;
    const again = await instance.app.request(new URL("/users/alice/outbox?cursor=", ORIGIN), {
      headers: { ...AP, "if-none-match": etag },
    });
    expect(again.status).toBe(304);
  });

  it("shows a new post, an edit, a visibility change and a deletion in the outbox at once", async () => {
    const carol = await newUser("carol");
    const page = "/users/carol/outbox?cursor=";
    const first = await publishStatus(instance.deps, carol.id, { text: "First words" });
    expect(await itemIds(page)).toEqual([first.iri]);
    expect(await json("/users/carol/outbox")).toMatchObject({ totalItems: 1 });
    const second = await publishStatus(instance.deps, carol.id, { text: "Second words" });
    expect(await itemIds(page)).toEqual([second.iri, first.iri]);
    expect(await json("/users/carol/outbox")).toMatchObject({ totalItems: 2 });
    await editStatus(instance.deps, carol.id, first.id, { text: "First, edited" });
    const items = (await json(page)).orderedItems as { object: { content: string } }[];
    expect(items[1]!.object.content).toContain("First, edited");
    // Behind the services' back (the CLI, a migration): the fingerprint notices it as well.
    await instance.deps.db
      .update(statuses)
      .set({ visibility: "private" })
      .where(eq(statuses.id, second.id));
    expect(await itemIds(page)).toEqual([first.iri]);
    expect(await json("/users/carol/outbox")).toMatchObject({ totalItems: 1 });
    await deleteStatus(instance.deps, carol.id, first.id);
    expect(await itemIds(page)).toEqual([]);
    expect(await (await get(page)).text()).toBe(await fromFedify(page));
  });

  it("pages the outbox as Fedify does, each page kept apart and following its rows", async () => {
    const dave = await newUser("dave");
    const posted = [];
    for (let i = 0; i < 22; i++) {
      posted.push(await publishStatus(instance.deps, dave.id, { text: `Post ${i}` }));
    }
    const firstPage = await json("/users/dave/outbox?cursor=");
    expect((firstPage.orderedItems as unknown[]).length).toBe(20);
    const next = new URL(String(firstPage.next));
    const nextPath = `${next.pathname}${next.search}`;
    expect(await itemIds(nextPath)).toEqual([posted[1]!.iri, posted[0]!.iri]);
    expect(await (await get(nextPath)).text()).toBe(await fromFedify(nextPath));
    await deleteStatus(instance.deps, dave.id, posted[0]!.id);
    expect(await itemIds(nextPath)).toEqual([posted[1]!.iri]);
    // The first page's next link goes once its last row does not exist beyond it.
    for (const status of posted.slice(1, 3)) await deleteStatus(instance.deps, dave.id, status.id);
    expect((await json("/users/dave/outbox?cursor=")).next).toBeUndefined();
  });

  it("shows a follow and an unfollow in both actors' collections at once", async () => {
    const erin = await newUser("erin");
    const frank = await newUser("frank");
    expect(await itemIds("/users/erin/followers?cursor=")).toEqual([]);
    expect(await json("/users/erin/followers")).toMatchObject({ totalItems: 0 });
    expect(await itemIds("/users/frank/following?cursor=")).toEqual([]);
    await followAccount(instance.deps.db, instance.deps.urls, frank, erin);
    // A remote follower, written behind the services' back.
    await instance.deps.db
      .insert(follows)
      .values({ id: newId(), accountId: reader.id, targetAccountId: erin.id, state: "accepted" });
    expect(await itemIds("/users/erin/followers?cursor=")).toEqual([reader.iri, frank.iri]);
    // The total is the account's counter, which only the services keep: the remote row is not in it.
    expect(await json("/users/erin/followers")).toMatchObject({ totalItems: 1 });
    expect(await itemIds("/users/frank/following?cursor=")).toEqual([erin.iri]);
    expect(await json("/users/frank/following")).toMatchObject({ totalItems: 1 });
    await unfollowAccount(instance.deps.db, frank, erin);
    expect(await itemIds("/users/erin/followers?cursor=")).toEqual([reader.iri]);
    expect(await itemIds("/users/frank/following?cursor=")).toEqual([]);
    expect(await json("/users/frank/following")).toMatchObject({ totalItems: 0 });
  });

  it("shows a pin, an unpin, an edit of a pinned post and a featured tag at once", async () => {
    const gina = await newUser("gina");
    const status = await publishStatus(instance.deps, gina.id, { text: "Pinned #dogs" });
    const featuredIds = async () =>
      ((await json("/users/gina/featured")).orderedItems as { id: string }[] | undefined)?.map(
        (n) => n.id,
      ) ?? [];
    expect(await featuredIds()).toEqual([]);
    await pinStatus(instance.deps.db, gina, status);
    expect(await featuredIds()).toEqual([status.iri]);
    await editStatus(instance.deps, gina.id, status.id, { text: "Pinned, edited #dogs" });
    expect(JSON.stringify(await json("/users/gina/featured"))).toContain("Pinned, edited");
    await unpinStatus(instance.deps.db, gina, status);
    expect(await featuredIds()).toEqual([]);
    expect((await json("/users/gina/featured_tags")).orderedItems).toBeUndefined();
    await featureTag(instance.deps.db, gina, "dogs");
    expect(await json("/users/gina/featured_tags")).toMatchObject({
      orderedItems: [{ name: "#dogs" }],
    });
  });

  it("keeps signed fetches of featured only while every pin is public and no block concerns the author", async () => {
    const hank = await newUser("hank");
    const open = await publishStatus(instance.deps, hank.id, { text: "Open pin" });
    await pinStatus(instance.deps.db, hank, open);
    const first = await signedGet("/users/hank/featured");
    expect(first.status).toBe(200);
    const before = cache().size;
    expect(await (await signedGet("/users/hank/featured")).text()).toBe(await first.text());
    expect(cache().size).toBe(before);
    // A followers-only pin: the follower sees it, an anonymous fetch does not; neither from the other.
    await instance.deps.db
      .insert(follows)
      .values({ id: newId(), accountId: reader.id, targetAccountId: hank.id, state: "accepted" });
    const closed = await publishStatus(instance.deps, hank.id, {
      text: "Closed pin",
      visibility: "private",
    });
    await pinStatus(instance.deps.db, hank, closed);
    const signedIds = async () =>
      (
        (await (await signedGet("/users/hank/featured")).json()) as {
          orderedItems?: { id: string }[];
        }
      ).orderedItems?.map((n) => n.id);
    const sizeBefore = cache().size;
    expect(await signedIds()).toEqual([closed.iri, open.iri]);
    // The stale signed entry is dropped and the new answer not kept.
    const sizeAfter = cache().size;
    expect(sizeAfter).toBeLessThan(sizeBefore);
    expect(await signedIds()).toEqual([closed.iri, open.iri]);
    expect(cache().size).toBe(sizeAfter);
    expect(await json("/users/hank/featured")).toMatchObject({ orderedItems: [{ id: open.iri }] });
    await unpinStatus(instance.deps.db, hank, closed);
    await blockAccount(instance.deps.db, instance.deps.urls, hank, reader);
    expect((await signedGet("/users/hank/featured")).status).toBe(200);
    expect(await signedIds()).toBeUndefined();
    expect(await json("/users/hank/featured")).toMatchObject({ orderedItems: [{ id: open.iri }] });
  });

  it("empties a suspended actor's outbox and featured collection at once", async () => {
    const ivy = await newUser("ivy");
    const status = await publishStatus(instance.deps, ivy.id, { text: "Before suspension" });
    await pinStatus(instance.deps.db, ivy, status);
    expect(await itemIds("/users/ivy/outbox?cursor=")).toEqual([status.iri]);
    expect(await json("/users/ivy/featured")).toMatchObject({ orderedItems: [{ id: status.iri }] });
    // Another process (the CLI) suspends: seen within a quarter of a second.
    const cli = await openStore(instance.config);
    try {
      await cli.update(accounts).set({ suspendedAt: new Date() }).where(eq(accounts.id, ivy.id));
    } finally {
      await closeStore(cli);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await itemIds("/users/ivy/outbox?cursor=")).toEqual([]);
    expect((await json("/users/ivy/featured")).orderedItems).toBeUndefined();
  });
});

describe("cache keys", () => {
  it("come from a small set per actor, and only for this instance's own host", async () => {
    await newUser("jack");
    const c = cache();
    const key = (path: string, origin = ORIGIN, signed = false, accept = AP.accept) => {
      const url = new URL(path, origin);
      return c.cacheable(url.origin, url, accept, signed)?.key ?? null;
    };
    expect(key("/users/jack/outbox")).not.toBeNull();
    expect(key("/users/jack/outbox?cursor=")).not.toBe(key("/users/jack/outbox"));
    expect(key("/users/jack/outbox?cursor=123")).not.toBeNull();
    expect(key("/users/jack/outbox?cursor=abc")).toBeNull();
    expect(key("/users/jack/outbox?cursor=1&x=2")).toBeNull();
    expect(key("/users/jack/followers?base-url=https%3A%2F%2Fx.example%2F")).toBeNull();
    expect(key("/users/jack/featured?cursor=")).toBeNull();
    expect(key("/users/jack/outbox", "https://elsewhere.example")).toBeNull();
    expect(key("/users/jack/outbox", ORIGIN, true)).toBe(key("/users/jack/outbox"));
    expect(key("/users/jack/featured", ORIGIN, true)).not.toBe(key("/users/jack/featured"));
    expect(key("/users/jack/outbox", ORIGIN, false, "text/html")).toBeNull();
    expect(key("/users/jack/inbox")).toBeNull();
    // A request naming another host is answered by Fedify (its links carry that host), never kept.
    const before = c.size;
    const other = await get("/users/jack/outbox", "https://elsewhere.example");
    expect(other.status).toBe(200);
    expect(await other.text()).toContain("elsewhere.example");
    expect(c.size).toBe(before);
    expect(await (await get("/users/jack/outbox")).text()).not.toContain("elsewhere.example");
  });
});
