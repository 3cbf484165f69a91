// User domain blocks through masto.js against a real server on 127.0.0.1: the list (strings, paged by
// Link headers), block and unblock with Mastodon's validation, and what a block does for that user only:
// follows both ways end (with the Undo and Reject events that federate it), the domain's statuses leave
// home, public, tag timelines, threads, search and streams, its notifications go, the relationship says
// domain_blocking, while its profiles and statuses opened directly stay reachable.
import { eq } from "drizzle-orm";
import { createRestAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, follows } from "../../src/db/schema/index.ts";
import { receiveFollow } from "../../src/domain/follows.ts";
import { addNotification } from "../../src/domain/notification-records.ts";
import {
  boost,
  call,
  follow,
  localUser,
  notify,
  remoteAccount,
  status,
} from "../helpers/factories.ts";
import { waitFor } from "../helpers/federation.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: ServedInstance;
let alice: { account: Account; token: string; client: mastodon.rest.Client };
let erin: { account: Account; token: string; client: mastodon.rest.Client };
let bob: Account;
let carol: Account;
let dave: Account;
/** Follow endings the domain actions recorded, as the federation outbox receives them. */
const ended: string[] = [];

beforeAll(async () => {
  instance = await serveTestInstance();
  for (const type of ["follow.undone", "follow.rejected"] as const) {
    instance.deps.events.on(type, "test", (e) => {
      ended.push(`${type} ${e.accountId}>${e.targetAccountId} ${e.followIri ?? ""}`.trim());
    });
  }
  const a = await localUser(instance, "alice");
  alice = { ...a, client: createRestAPIClient({ url: instance.url, accessToken: a.token }) };
  const e = await localUser(instance, "erin");
  erin = { ...e, client: createRestAPIClient({ url: instance.url, accessToken: e.token }) };
  // Indexable, so that search would find their public posts but for the domain block.
  bob = await remoteAccount(instance, "bob", "blocked.example", { indexable: true });
  carol = await remoteAccount(instance, "carol", "blocked.example", { indexable: true });
  dave = await remoteAccount(instance, "dave", "other.example", { indexable: true });
  // Alice and Bob follow each other, Carol asked to follow Alice; Alice follows Dave. Erin follows Bob.
  await follow(instance, alice.account, bob);
  await follow(instance, bob, alice.account);
  await follow(instance, carol, alice.account, "pending");
  await follow(instance, alice.account, dave);
  await follow(instance, erin.account, bob);
});
afterAll(() => instance.close());

/** The thrown masto.js error's HTTP status (200 when it did not throw). */
async function statusOf(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { statusCode?: number }).statusCode;
  }
}

const ids = (list: { id: string }[]) => list.map((s) => s.id);

describe("user domain blocks", () => {
  it("lists, adds and removes blocked domains, normalised, paged with Link headers", async () => {
    expect(await alice.client.v1.domainBlocks.list()).toEqual([]);
    for (const domain of ["one.example", "TWO.example.", "https://three.example/about"]) {
      await alice.client.v1.domainBlocks.create({ domain });
    }
    // Blocking again changes nothing.
    await alice.client.v1.domainBlocks.create({ domain: "one.example" });
    expect(await alice.client.v1.domainBlocks.list()).toEqual([
      "three.example",
      "two.example",
      "one.example",
    ]);
    const pages: string[][] = [];
    for await (const page of alice.client.v1.domainBlocks.list({ limit: 2 })) pages.push(page);
    expect(pages).toEqual([["three.example", "two.example"], ["one.example"]]);
    const raw = await call(instance, "GET", "/api/v1/domain_blocks?limit=2", {
      token: alice.token,
    });
    expect(raw.json).toEqual(["three.example", "two.example"]);
    expect(raw.headers.get("link")).toMatch(/max_id=\d+.*rel="next"/);

    await alice.client.v1.domainBlocks.remove({ domain: "two.example" });
    await alice.client.v1.domainBlocks.remove({ domain: "three.example" });
    await alice.client.v1.domainBlocks.remove({ domain: "one.example" });
    expect(await alice.client.v1.domainBlocks.list()).toEqual([]);
    // Someone else's list is their own.
    await erin.client.v1.domainBlocks.create({ domain: "erins.example" });
    expect(await alice.client.v1.domainBlocks.list()).toEqual([]);
    expect(await erin.client.v1.domainBlocks.list()).toEqual(["erins.example"]);
  });

  it("refuses a missing or invalid domain and this server's own with 422, and checks scopes", async () => {
    for (const domain of ["", "not a host", instance.config.domain]) {
      const res = await call(instance, "POST", "/api/v1/domain_blocks", {
        token: alice.token,
        form: { domain },
      });
      expect(res.status).toBe(422);
      E.expectEntity(E.ApiError, res.json);
    }
    expect(await statusOf(alice.client.v1.domainBlocks.create({ domain: "a b" }))).toBe(422);
    const reader = await localUser(instance, "reader", "read:statuses");
    const get = await call(instance, "GET", "/api/v1/domain_blocks", { token: reader.token });
    expect(get.status).toBe(403);
    const legacy = await localUser(instance, "legacy", "follow");
    const viaFollow = await call(instance, "POST", "/api/v1/domain_blocks", {
      token: legacy.token,
      form: { domain: "legacy.example" },
    });
    expect(viaFollow.status).toBe(200);
    expect(viaFollow.json).toEqual({});
    expect((await call(instance, "GET", "/api/v1/domain_blocks")).status).toBe(401);
  });

  it("hides the domain's statuses, boosts of them and notifications, and ends follows both ways", async () => {
    const bobPost = await status(instance, bob, {
      tags: ["dusk"],
      content: "<p>lighthouse at dusk</p>",
    });
    const davePost = await status(instance, dave, {
      tags: ["dusk"],
      content: "<p>lighthouse at dawn</p>",
    });
    // A boost of a post by Carol (also on the blocked domain; Alice does not follow her).
    const daveBoost = await boost(instance, dave, await status(instance, carol));
    const alicePost = await status(instance, alice.account);
    const bobReply = await status(instance, bob, { inReplyToId: alicePost.id });
    const daveReply = await status(instance, dave, { inReplyToId: bobReply.id });
    const bobFavourite = await notify(instance, alice.account, bob, "favourite", alicePost.id);
    const daveFavourite = await notify(instance, alice.account, dave, "favourite", alicePost.id);

    // Before: all there.
    const homeBefore = ids(await alice.client.v1.timelines.home.list({ limit: 40 }));
    expect(homeBefore).toEqual(expect.arrayContaining([bobPost.id, davePost.id, daveBoost.id]));
    const notesBefore = ids(await alice.client.v1.notifications.list());
    expect(notesBefore).toEqual(expect.arrayContaining([bobFavourite.id, daveFavourite.id]));

    await alice.client.v1.domainBlocks.create({ domain: "Blocked.Example" });

    const home = ids(await alice.client.v1.timelines.home.list({ limit: 40 }));
    expect(home).toContain(davePost.id);
    expect(home).toContain(alicePost.id);
    expect(home).not.toContain(bobPost.id);
    expect(home).not.toContain(daveBoost.id);
    const publicIds = ids(await alice.client.v1.timelines.public.list({ limit: 40 }));
    expect(publicIds).toContain(davePost.id);
    expect(publicIds).not.toContain(bobPost.id);
    const tagIds = ids(await alice.client.v1.timelines.tag.$select("dusk").list());
    expect(tagIds).toEqual([davePost.id]);
    const found = await alice.client.v2.search.list({ q: "lighthouse", type: "statuses" });
    expect(ids(found.statuses)).toEqual([davePost.id]);
    const context = await alice.client.v1.statuses.$select(alicePost.id).context.fetch();
    expect(ids(context.descendants)).toEqual([daveReply.id]);
    const upward = await alice.client.v1.statuses.$select(daveReply.id).context.fetch();
    expect(ids(upward.ancestors)).toEqual([alicePost.id]);
    const notes = ids(await alice.client.v1.notifications.list());
    expect(notes).toContain(daveFavourite.id);
    expect(notes).not.toContain(bobFavourite.id);

    // Follows: Alice's of Bob, Bob's of Alice and Carol's request are gone, with their events.
    const between = await instance.deps.db.select().from(follows);
    const pairs = between.map((f) => `${f.accountId}>${f.targetAccountId}`);
    expect(pairs).not.toContain(`${alice.account.id}>${bob.id}`);
    expect(pairs).not.toContain(`${bob.id}>${alice.account.id}`);
    expect(pairs).not.toContain(`${carol.id}>${alice.account.id}`);
    expect(pairs).toContain(`${alice.account.id}>${dave.id}`);
    expect(pairs).toContain(`${erin.account.id}>${bob.id}`);
    await waitFor("the follow endings", () => ended.length >= 3);
    expect(ended).toEqual(
      expect.arrayContaining([
        `follow.undone ${alice.account.id}>${bob.id}`,
        `follow.rejected ${bob.id}>${alice.account.id}`,
        `follow.rejected ${carol.id}>${alice.account.id}`,
      ]),
    );

    // The relationship says so, the profile and a status opened directly stay reachable (Mastodon).
    const [rel] = await alice.client.v1.accounts.relationships.fetch({ id: [bob.id, dave.id] });
    expect(rel).toMatchObject({ id: bob.id, domainBlocking: true, following: false });
    const raw = await call(instance, "GET", `/api/v1/accounts/relationships?id[]=${dave.id}`, {
      token: alice.token,
    });
    expect(E.expectEntity(E.Relationship, raw.json[0])).toMatchObject({ domain_blocking: false });
    expect((await alice.client.v1.accounts.$select(bob.id).fetch()).id).toBe(bob.id);
    expect((await alice.client.v1.statuses.$select(bobPost.id).fetch()).id).toBe(bobPost.id);
    expect(ids(await alice.client.v1.accounts.$select(bob.id).statuses.list())).toContain(
      bobPost.id,
    );

    // Only Alice's view changed: Erin still sees Bob.
    expect(ids(await erin.client.v1.timelines.home.list())).toContain(bobPost.id);

    // Following into the blocked domain is refused as Mastodon refuses it.
    expect(await statusOf(alice.client.v1.accounts.$select(carol.id).follow())).toBe(403);
  });

  it("refuses follows from the blocked domain and writes no notification from it", async () => {
    const bob2 = await remoteAccount(instance, "bob2", "blocked.example");
    const follow = await receiveFollow(instance.deps.db, {
      iri: "https://blocked.example/follows/1",
      follower: bob2,
      target: alice.account,
    });
    expect(follow).toBeNull();
    const reject = `follow.rejected ${bob2.id}>${alice.account.id} https://blocked.example/follows/1`;
    await waitFor("the Reject", () => ended.includes(reject));
    expect(
      await instance.deps.db.select().from(follows).where(eq(follows.accountId, bob2.id)),
    ).toEqual([]);
    const mention = await status(instance, bob2, { mentions: [alice.account] });
    const written = await addNotification(instance.deps.db, {
      accountId: alice.account.id,
      fromAccountId: bob2.id,
      type: "mention",
      statusId: mention.id,
    });
    expect(written).toBeNull();
    // From elsewhere, the same notification is written.
    const other = await addNotification(instance.deps.db, {
      accountId: alice.account.id,
      fromAccountId: dave.id,
      type: "mention",
      statusId: (await status(instance, dave, { mentions: [alice.account] })).id,
    });
    expect(other).not.toBeNull();
  });

  it("streams nothing from the blocked domain", async () => {
    const controller = new AbortController();
    const res = await fetch(`${instance.url}/api/v1/streaming/public`, {
      headers: { Authorization: `Bearer ${alice.token}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (let i = 0; i < 40 && instance.deps.streaming.size === 0; i++) {
        await new Promise((r) => setTimeout(r, 25));
      }
      const fromBob = await status(instance, bob);
      const fromDave = await status(instance, dave);
      await instance.deps.streaming.status(fromBob.id, "update");
      await instance.deps.streaming.status(fromDave.id, "update");
      let text = "";
      while (!text.includes(fromDave.id)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      const updates = [...text.matchAll(/^event: update\ndata: (.*)$/gm)].map(
        (m) => (JSON.parse(m[1]!) as { id: string }).id,
      );
      expect(updates).toEqual([fromDave.id]);
    } finally {
      controller.abort();
    }
  });

  it("unblocking shows the domain again, without bringing back the follows", async () => {
    await alice.client.v1.domainBlocks.remove({ domain: "blocked.example" });
    const publicIds = ids(await alice.client.v1.timelines.public.list({ limit: 40 }));
    expect(publicIds.length).toBeGreaterThan(0);
    const bobs = (await alice.client.v1.timelines.public.list({ limit: 40 })).filter(
      (s) => s.account.id === bob.id,
    );
    expect(bobs.length).toBeGreaterThan(0);
    const [rel] = await alice.client.v1.accounts.relationships.fetch({ id: [bob.id] });
    expect(rel).toMatchObject({ domainBlocking: false, following: false, followedBy: false });
  });
});
