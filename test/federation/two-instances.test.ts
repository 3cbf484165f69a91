// Two real Atelier instances on loopback federating with real HTTP signatures: follow, image posts with
// every attachment field, likes, boosts, replies, edits, deletes, unfollow, and a restart mid-delivery.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../src/db/schema/index.ts";
import {
  accounts,
  follows,
  mediaAttachments,
  notifications,
  statuses,
} from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { followAccount, unfollowAccount } from "../../src/domain/follows.ts";
import { boostStatus, favouriteStatus } from "../../src/domain/interactions.ts";
import { findAccountByIri } from "../../src/domain/remote-accounts.ts";
import { findStatusByIri } from "../../src/domain/remote-statuses.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";
import {
  deleteTestStatus,
  editTestStatus,
  publishTestStatus,
} from "../helpers/status-factories.ts";

const images = [
  {
    key: "aa/cover.webp",
    width: 1024,
    height: 768,
    description: "A lighthouse at dusk, painted in thick strokes",
    blurhash: "LEHV6nWB2yk8pyo0adR*.7kCMdnj",
    focusX: 0.25,
    focusY: -0.5,
  },
  {
    key: "bb/second.webp",
    width: 640,
    height: 640,
    description: "The same lighthouse by day",
    blurhash: "L6PZfSi_.AyE_3t7t7R**0o#DgR4",
  },
];

let a: FederatedInstance;
let b: FederatedInstance;
let alice: Account;
let bob: Account;
let bobOnA: Account;

beforeAll(async () => {
  [a, b] = await Promise.all([startFederatedInstance(), startFederatedInstance()]);
  alice = (
    await createLocalUser(a.deps.db, a.deps.urls, { username: "alice", password: "alice-password" })
  ).account;
  bob = (
    await createLocalUser(b.deps.db, b.deps.urls, { username: "bob", password: "bob-password!" })
  ).account;
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

const accountOn = (i: FederatedInstance, id: string) =>
  i.deps.db.select().from(accounts).where(eq(accounts.id, id)).get()!;

describe("two Atelier instances", () => {
  it("resolves a handle with a port on another loopback instance", async () => {
    const found = await a.deps.federation.lookup(`@bob@127.0.0.1:${b.port}`);
    expect(found).not.toBeNull();
    bobOnA = (found as { account: Account }).account;
    expect(bobOnA.iri).toBe(bob.iri);
    expect(bobOnA.domain).toBe(`127.0.0.1:${b.port}`);
    expect(bobOnA.inboxUrl).toBe(b.deps.urls.inbox("bob"));
    expect(bobOnA.sharedInboxUrl).toBe(b.deps.urls.sharedInbox());
  });

  it("follows a remote user and receives the Accept", async () => {
    followAccount(a.deps.db, a.deps.urls, alice, bobOnA);
    a.deps.events.kick();
    const accepted = await waitFor("the Accept on A", () =>
      a.deps.db
        .select()
        .from(follows)
        .where(and(eq(follows.accountId, alice.id), eq(follows.state, "accepted")))
        .get(),
    );
    expect(accepted.targetAccountId).toBe(bobOnA.id);
    expect(accountOn(b, bob.id).followersCount).toBe(1);
    const aliceOnB = findAccountByIri(b.deps.db, alice.iri)!;
    expect(aliceOnB.domain).toBe(`127.0.0.1:${a.port}`);
    const note = b.deps.db
      .select()
      .from(notifications)
      .where(eq(notifications.accountId, bob.id))
      .get();
    expect(note?.type).toBe("follow");
  });

  let postIri: string;
  it("delivers an image post with every attachment field Mastodon reads", async () => {
    const post = publishTestStatus(b.deps, bob, {
      content: '<p>Two lighthouses <a href="x" class="hashtag">#AIart</a></p>',
      spoilerText: "bright light",
      sensitive: true,
      media: images,
      tags: ["AIart"],
    });
    postIri = post.iri;
    const stored = await waitFor("the post on A", () => findStatusByIri(a.deps.db, postIri));
    expect(stored).toMatchObject({
      visibility: "public",
      spoilerText: "bright light",
      sensitive: true,
      language: "en",
      accountId: bobOnA.id,
      url: b.deps.urls.statusPage("bob", post.id),
    });
    const media = a.deps.db
      .select()
      .from(mediaAttachments)
      .where(eq(mediaAttachments.statusId, stored.id))
      .orderBy(mediaAttachments.position)
      .all();
    expect(
      media.map((m) => ({
        remoteUrl: m.remoteUrl,
        mediaType: m.mediaType,
        description: m.description,
        width: m.width,
        height: m.height,
        blurhash: m.blurhash,
        focus: [m.focusX, m.focusY],
      })),
    ).toEqual(
      images.map((i) => ({
        remoteUrl: b.deps.urls.media(i.key),
        mediaType: "image/webp",
        description: i.description,
        width: i.width,
        height: i.height,
        blurhash: i.blurhash,
        focus: [i.focusX ?? 0, i.focusY ?? 0],
      })),
    );
  });

  it("sends likes, boosts and replies that notify the author", async () => {
    const onA = findStatusByIri(a.deps.db, postIri)!;
    favouriteStatus(a.deps.db, a.deps.urls, alice, onA);
    boostStatus(a.deps.db, a.deps.urls, alice, onA);
    publishTestStatus(a.deps, alice, {
      content: "<p>Lovely!</p>",
      inReplyTo: onA,
      mentions: [bobOnA],
    });
    a.deps.events.kick();
    const types = await waitFor("three notifications on B", () => {
      const rows = b.deps.db
        .select({ type: notifications.type })
        .from(notifications)
        .where(eq(notifications.accountId, bob.id))
        .all()
        .map((n) => n.type)
        .sort();
      return rows.length >= 4 ? rows : null;
    });
    expect(types).toEqual(["favourite", "follow", "mention", "reblog"]);
    const original = b.deps.db.select().from(statuses).where(eq(statuses.iri, postIri)).get()!;
    expect(original).toMatchObject({ favouritesCount: 1, reblogsCount: 1, repliesCount: 1 });
  });

  it("shows the author's edit and drops the post when it is deleted", async () => {
    const onB = b.deps.db.select().from(statuses).where(eq(statuses.iri, postIri)).get()!;
    editTestStatus(b.deps, onB, "<p>Two lighthouses, edited</p>");
    const edited = await waitFor("the edit on A", () => {
      const s = findStatusByIri(a.deps.db, postIri);
      return s?.content.includes("edited") ? s : null;
    });
    expect(edited.editedAt).not.toBeNull();
    deleteTestStatus(b.deps, onB);
    await waitFor("the deletion on A", () => findStatusByIri(a.deps.db, postIri) === undefined);
    expect(findStatusByIri(a.deps.db, postIri)).toBeUndefined();
  });

  it("unfollows, and the remote followers shrink", async () => {
    unfollowAccount(a.deps.db, alice, bobOnA);
    a.deps.events.kick();
    await waitFor("the Undo on B", () => accountOn(b, bob.id).followersCount === 0);
    expect(b.deps.db.select().from(follows).all()).toEqual([]);
  });

  it("loses no delivery when the receiver is down and the sender restarts mid-delivery", async () => {
    followAccount(a.deps.db, a.deps.urls, alice, bobOnA);
    a.deps.events.kick();
    await waitFor("the follow again", () => accountOn(b, bob.id).followersCount === 1);
    // A goes away; B publishes, fails to deliver, and is stopped with the retry still queued.
    await a.stop();
    const post = publishTestStatus(b.deps, bob, { content: "<p>Posted while A was down</p>" });
    // Fedify failed to reach A and scheduled a retry in B's durable queue.
    await waitFor("a delayed retry in B's queue", () => {
      const row = b.deps.db.$client
        .prepare("select count(*) as n from fedify_queue where ready_at > ?")
        .get(Date.now()) as { n: number };
      return row.n > 0;
    });
    await b.stop();
    a = await startFederatedInstance({ dir: a.dir, port: a.port });
    b = await startFederatedInstance({ dir: b.dir, port: b.port });
    const arrived = await waitFor(
      "the post on A after the restarts",
      () => findStatusByIri(a.deps.db, post.iri),
      45_000,
    );
    expect(arrived.content).toContain("Posted while A was down");
  }, 90_000);
});
