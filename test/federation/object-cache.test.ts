// The cache in front of local status documents: a hit is byte for byte what Fedify produced, any change
// to what the Note is made of (text, attachments, visibility, deletion, blocks) shows on the very next
// fetch, and a status whose answer depends on who asks is never served from it.

import { signRequest } from "@fedify/fedify";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ObjectResponseCache } from "../../federation/object-cache.ts";
import { closeStore, openStore } from "../../src/db/dialect.ts";
import { newId } from "../../src/db/ids.ts";
import {
  type Account,
  follows,
  mediaAttachments,
  type Status,
  statuses,
} from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { blockAccount, boostStatus, unboostStatus } from "../../src/domain/interactions.ts";
import { upsertRemoteAccount } from "../../src/domain/remote-accounts.ts";
import { deleteStatus, editStatus, publishStatus } from "../../src/domain/statuses.ts";
import { type FakeActor, type FakeRemote, startFakeRemote } from "../helpers/fake-remote.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { publishWithImages } from "../helpers/publish.ts";

const ORIGIN = "https://atelier.example";
const AP = { accept: "application/activity+json" };
let instance: TestInstance;
let peer: FakeRemote;
let signer: FakeActor;
let reader: Account;
let alice: Account;

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
  alice = await newUser("alice");
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

const cache = () => instance.deps.federation.objectCache;
const get = (path: string, headers: Record<string, string> = AP) =>
  instance.app.request(new URL(path, ORIGIN).href, { headers });
const signedGet = async (path: string) =>
  instance.app.request(
    await signRequest(
      new Request(new URL(path, ORIGIN), { headers: AP }),
      signer.privateKey,
      signer.keyId,
    ),
  );
/** Fedify's own answer, past the middleware and its cache. */
const fromFedify = (path: string) =>
  instance.deps.federation.federation.fetch(new Request(new URL(path, ORIGIN), { headers: AP }), {
    contextData: instance.deps.federation.deps,
  });
const path = (status: Status) => `/statuses/${status.id}`;

describe("cached status documents", () => {
  it("answers a repeated fetch with Fedify's bytes and headers, and 304 with the ETag", async () => {
    const status = await publishStatus(instance.deps, alice.id, { text: "Hello, cache" });
    const before = cache().size;
    const first = await get(path(status));
    expect(first.status).toBe(200);
    const body = await first.text();
    expect(cache().size).toBe(before + 1);
    const second = await get(path(status));
    expect(await second.text()).toBe(body);
    expect(second.headers.get("content-type")).toBe(first.headers.get("content-type"));
    expect(second.headers.get("vary")).toMatch(/accept/i);
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(await (await fromFedify(path(status))).text()).toBe(body);
    expect(JSON.parse(body)).toMatchObject({ type: "Note", id: status.iri });
    const again = await get(path(status), { ...AP, "if-none-match": first.headers.get("etag")! });
    expect(again.status).toBe(304);
    // A browser still gets the page, not the cached JSON.
    const html = await get(path(status), { accept: "text/html" });
    expect(html.headers.get("content-type") ?? "").not.toMatch(/json/);
  });

  it("shows an edit, a new alt text and a visibility change on the next fetch", async () => {
    const status = await publishWithImages(instance.deps, alice.id, {
      text: "Before",
      images: [{ color: { r: 10, g: 20, b: 30 }, description: "first alt" }],
    });
    const note = async () => (await (await get(path(status))).json()) as Record<string, unknown>;
    expect(await note()).toMatchObject({ attachment: [{ name: "first alt" }] });
    await editStatus(instance.deps, alice.id, status.id, { text: "After" });
    expect(String((await note()).content)).toContain("After");
    // Behind the services' back (the CLI, a migration): the fingerprint notices it as well.
    await instance.deps.db
      .update(mediaAttachments)
      .set({ description: "second alt" })
      .where(eq(mediaAttachments.statusId, status.id));
    expect(await note()).toMatchObject({ attachment: [{ name: "second alt" }] });
    expect(await (await fromFedify(path(status))).json()).toEqual(await note());
    await instance.deps.db
      .update(statuses)
      .set({ visibility: "private" })
      .where(eq(statuses.id, status.id));
    expect((await get(path(status))).status).toBe(404);
    expect((await get(path(status))).status).toBe(404);
  });

  it("answers a deleted status as Fedify answers one it does not know", async () => {
    const status = await publishStatus(instance.deps, alice.id, { text: "Soon gone" });
    expect((await get(path(status))).status).toBe(200);
    expect((await get(path(status))).status).toBe(200);
    await deleteStatus(instance.deps, alice.id, status.id);
    const gone = await get(path(status));
    expect(gone.status).not.toBe(200);
    expect(gone.status).toBe((await get("/statuses/123")).status);
  });

  it("sees a change committed by another process within a quarter of a second", async () => {
    const status = await publishStatus(instance.deps, alice.id, { text: "Original" });
    expect((await get(path(status))).status).toBe(200);
    const cli = await openStore(instance.config);
    try {
      await cli.update(statuses).set({ sensitive: true }).where(eq(statuses.id, status.id));
    } finally {
      await closeStore(cli);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await (await get(path(status))).json()).toMatchObject({ sensitive: true });
  });

  it("never serves a followers-only status from the cache, to anyone", async () => {
    const bob = await newUser("bob");
    await instance.deps.db
      .insert(follows)
      .values({ id: newId(), accountId: reader.id, targetAccountId: bob.id, state: "accepted" });
    const status = await publishStatus(instance.deps, bob.id, {
      text: "for followers",
      visibility: "private",
    });
    const before = cache().size;
    // The follower's signed fetch is answered by Fedify, and not kept.
    expect((await signedGet(path(status))).status).toBe(200);
    expect((await signedGet(path(status))).status).toBe(200);
    expect(cache().size).toBe(before);
    expect((await get(path(status))).status).toBe(404);
    expect((await get(path(status))).status).toBe(404);
  });

  it("answers a signed fetch from the cache only while no block concerns the author", async () => {
    const carol = await newUser("carol");
    const status = await publishStatus(instance.deps, carol.id, { text: "Public words" });
    const first = await signedGet(path(status));
    expect(first.status).toBe(200);
    expect(await (await signedGet(path(status))).text()).toBe(await first.text());
    await blockAccount(instance.deps.db, instance.deps.urls, carol, reader);
    // As Mastodon, a blocked actor's signed fetch gets nothing; an unsigned one still gets the post.
    expect((await signedGet(path(status))).status).toBe(404);
    expect((await signedGet(path(status))).status).toBe(404);
    expect((await get(path(status))).status).toBe(200);
    expect((await get(path(status))).status).toBe(200);
  });

  it("serves a status's Create at its activity id from the cache, following its Note", async () => {
    const status = await publishStatus(instance.deps, alice.id, { text: "Created" });
    const activity = `${path(status)}/activity`;
    const before = cache().size;
    const first = await get(activity);
    expect(first.status).toBe(200);
    const body = await first.text();
    expect(cache().size).toBe(before + 1);
    expect(JSON.parse(body)).toMatchObject({
      type: "Create",
      id: `${status.iri}/activity`,
      actor: alice.iri,
      object: { type: "Note", id: status.iri },
    });
    expect(await (await get(activity)).text()).toBe(body);
    expect(await (await fromFedify(activity)).text()).toBe(body);
    await editStatus(instance.deps, alice.id, status.id, { text: "Created, then edited" });
    const edited = (await (await get(activity)).json()) as { object: { content: string } };
    expect(edited.object.content).toContain("then edited");
    expect(await (await get(activity)).text()).toBe(await (await fromFedify(activity)).text());
    await instance.deps.db
      .update(statuses)
      .set({ visibility: "private" })
      .where(eq(statuses.id, status.id));
    expect((await get(activity)).status).toBe(404);
    expect((await signedGet(activity)).status).toBe(404);
  });

  it("serves a boost's Announce from the cache until the boost or its target goes", async () => {
    const dave = await newUser("dave");
    const original = await publishStatus(instance.deps, alice.id, { text: "Worth boosting" });
    const boost = await boostStatus(instance.deps.db, instance.deps.urls, dave, original);
    const first = await get(path(boost));
    expect(first.status).toBe(200);
    const body = await first.text();
    expect(JSON.parse(body)).toMatchObject({
      type: "Announce",
      id: boost.iri,
      actor: dave.iri,
      object: original.iri,
    });
    const before = cache().size;
    expect(await (await get(path(boost))).text()).toBe(body);
    expect(await (await signedGet(path(boost))).text()).toBe(body);
    expect(await (await signedGet(path(boost))).text()).toBe(body);
    expect(cache().size).toBe(before + 1); // the signed answer, keyed apart
    expect(await (await fromFedify(path(boost))).text()).toBe(body);
    // A boost has no Create.
    expect((await get(`${path(boost)}/activity`)).status).toBe(404);
    // A change to the boost row, written behind the services' back, shows at once.
    await instance.deps.db
      .update(statuses)
      .set({ createdAt: new Date("2020-01-01T00:00:00Z") })
      .where(eq(statuses.id, boost.id));
    expect(await (await get(path(boost))).json()).toMatchObject({
      published: "2020-01-01T00:00:00Z",
    });
    await unboostStatus(instance.deps.db, dave, original);
    expect((await get(path(boost))).status).toBe((await get("/statuses/123")).status);
    const again = await boostStatus(instance.deps.db, instance.deps.urls, dave, original);
    expect((await get(path(again))).status).toBe(200);
    expect((await get(path(again))).status).toBe(200);
    await deleteStatus(instance.deps, alice.id, original.id);
    expect((await get(path(again))).status).toBe((await get("/statuses/123")).status);
  });

  it("does not keep an open poll, whose document changes when it ends", async () => {
    const status = await publishStatus(instance.deps, alice.id, {
      text: "Which?",
      poll: { options: ["a", "b"], expiresIn: 3600 },
    });
    const before = cache().size;
    const first = await get(path(status));
    expect(await first.json()).toMatchObject({ type: "Question" });
    expect(cache().size).toBe(before);
  });
});

describe("cache bounds", () => {
  const fetchThrough = async (c: ObjectResponseCache, status: Status, body: string) => {
    const request = c.cacheable({ pathname: path(status), search: "" }, AP.accept, false)!;
    // A promise on PostgreSQL, where checking an entry is a query.
    if ((await c.get(request, undefined)) !== null) return "hit";
    const answer = new Response(body, { headers: { "content-type": "application/activity+json" } });
    await (await c.store(request, answer, undefined)).text();
    return "miss";
  };

  it("keeps the most recently served answers, and none larger than the body limit", async () => {
    const [a, b, c] = [
      await publishStatus(instance.deps, alice.id, { text: "a" }),
      await publishStatus(instance.deps, alice.id, { text: "b" }),
      await publishStatus(instance.deps, alice.id, { text: "c" }),
    ];
    const small = new ObjectResponseCache(instance.deps.db, { maxEntries: 2, maxBodyBytes: 100 });
    expect(await fetchThrough(small, a, "{}")).toBe("miss");
    expect(await fetchThrough(small, b, "{}")).toBe("miss");
    expect(await fetchThrough(small, a, "{}")).toBe("hit"); // b is now the least recently served
    expect(await fetchThrough(small, c, "{}")).toBe("miss");
    expect(small.size).toBe(2);
    expect(await fetchThrough(small, a, "{}")).toBe("hit");
    expect(await fetchThrough(small, b, "{}")).toBe("miss");
    const big = new ObjectResponseCache(instance.deps.db, { maxBodyBytes: 100 });
    expect(await fetchThrough(big, a, JSON.stringify({ x: "x".repeat(200) }))).toBe("miss");
    expect(big.size).toBe(0);
  });

  it("take keys from a small set per status, whatever query or Accept a client sends", () => {
    const c = new ObjectResponseCache(instance.deps.db);
    const key = (p: string, accept: string | undefined, signed = false) =>
      c.cacheable(new URL(p, ORIGIN), accept, signed)?.key ?? null;
    expect(key("/statuses/123", AP.accept)).not.toBeNull();
    expect(key("/statuses/123", AP.accept, true)).not.toBe(key("/statuses/123", AP.accept));
    expect(key("/statuses/123?x=1", AP.accept)).toBeNull();
    expect(key("/statuses/123", "text/html")).toBeNull();
    expect(key("/statuses/123", undefined)).toBeNull();
    expect(key("/statuses/abc", AP.accept)).toBeNull();
    expect(key("/statuses/123/activity", AP.accept)).not.toBeNull();
    expect(key("/statuses/123/activity", AP.accept)).not.toBe(key("/statuses/123", AP.accept));
    expect(key("/statuses/123/activity/x", AP.accept)).toBeNull();
    expect(key("/statuses/123/replies", AP.accept)).toBeNull();
  });
});
