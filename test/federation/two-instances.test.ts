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
import { promptOfStatus } from "../../src/domain/remix.ts";
import { findAccountByIri } from "../../src/domain/remote-accounts.ts";
import { findStatusByIri } from "../../src/domain/remote-statuses.ts";
import { deleteStatus, editStatus, publishStatus } from "../../src/domain/statuses.ts";
import {
  delayedInQueue,
  type FederatedInstance,
  restartFederatedInstance,
  startFederatedInstance,
  waitFor,
} from "../helpers/federation.ts";
import { AI_PROVENANCE, publishWithImages, type TestImage } from "../helpers/publish.ts";

const images: TestImage[] = [
  {
    color: { r: 220, g: 130, b: 50 },
    width: 1024,
    height: 768,
    description: "A lighthouse at dusk, painted in thick strokes",
    focus: { x: 0.25, y: -0.5 },
  },
  {
    color: { r: 60, g: 140, b: 210 },
    width: 640,
    height: 640,
    // No alt text: an AI image's alt text is its prompt.
    provenance: AI_PROVENANCE,
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

const accountOn = async (i: FederatedInstance, id: string) =>
  (await i.deps.db.select().from(accounts).where(eq(accounts.id, id)).limit(1))[0]!;

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
    await followAccount(a.deps.db, a.deps.urls, alice, bobOnA);
    a.deps.events.kick();
    const accepted = await waitFor(
      "the Accept on A",
      async () =>
        (
          await a.deps.db
            .select()
            .from(follows)
            .where(and(eq(follows.accountId, alice.id), eq(follows.state, "accepted")))
            .limit(1)
        )[0],
    );
    expect(accepted.targetAccountId).toBe(bobOnA.id);
    expect((await accountOn(b, bob.id)).followersCount).toBe(1);
    const aliceOnB = (await findAccountByIri(b.deps.db, alice.iri))!;
    expect(aliceOnB.domain).toBe(`127.0.0.1:${a.port}`);
    const note = (
      await b.deps.db
        .select()
        .from(notifications)
        .where(eq(notifications.accountId, bob.id))
        .limit(1)
    )[0];
    expect(note?.type).toBe("follow");
  });

  let postIri: string;
  it("delivers an image post with every attachment field Mastodon reads", async () => {
    const post = await publishWithImages(b.deps, bob.id, {
      text: "Two lighthouses #painting",
      spoilerText: "bright light",
      sensitive: true,
      language: "en",
      images,
    });
    b.deps.events.kick();
    postIri = post.iri;
    const stored = await waitFor(
      "the post on A",
      async () => await findStatusByIri(a.deps.db, postIri),
    );
    expect(stored).toMatchObject({
      visibility: "public",
      spoilerText: "bright light",
      sensitive: true,
      language: "en",
      accountId: bobOnA.id,
      url: b.deps.urls.statusPage("bob", post.id),
    });
    const mediaOf = async (i: FederatedInstance, statusId: string) =>
      await i.deps.db
        .select()
        .from(mediaAttachments)
        .where(eq(mediaAttachments.statusId, statusId))
        .orderBy(mediaAttachments.position);
    const sent = await mediaOf(b, post.id);
    expect(sent).toHaveLength(2);
    expect(
      (await mediaOf(a, stored.id)).map((m) => ({
        remoteUrl: m.remoteUrl,
        mediaType: m.mediaType,
        description: m.description,
        width: m.width,
        height: m.height,
        blurhash: m.blurhash,
        focus: [m.focusX, m.focusY],
        provenance: m.provenance,
      })),
    ).toEqual(
      sent.map((m) => ({
        remoteUrl: b.deps.urls.media(m.displayKey!),
        mediaType: "image/webp",
        description: m.description,
        width: m.width,
        height: m.height,
        blurhash: m.blurhash,
        focus: [m.focusX, m.focusY],
        provenance: m.provenance === null ? null : AI_PROVENANCE,
      })),
    );
    expect(sent.map((m) => [m.width, m.height, m.focusX, m.focusY])).toEqual([
      [1024, 768, 0.25, -0.5],
      [640, 640, 0, 0],
    ]);
    expect(sent[1]!.description).toBe(AI_PROVENANCE.prompt);
    // A's users can remix B's AI post: its prompt came over the wire.
    expect(await promptOfStatus(a.deps.db, stored.id)).toEqual({
      prompt: AI_PROVENANCE.prompt,
      negativePrompt: AI_PROVENANCE.negativePrompt,
    });
    // The image file itself is served where the attachment says.
    const file = await fetch(b.deps.urls.media(sent[0]!.displayKey!));
    expect(file.headers.get("content-type")).toBe("image/webp");
  });

  it("sends likes, boosts and replies that notify the author", async () => {
    const onA = (await findStatusByIri(a.deps.db, postIri))!;
    await favouriteStatus(a.deps.db, a.deps.urls, alice, onA);
    await boostStatus(a.deps.db, a.deps.urls, alice, onA);
    await publishStatus(a.deps, alice.id, {
      text: `@bob@127.0.0.1:${b.port} Lovely!`,
      inReplyToId: onA.id,
    });
    a.deps.events.kick();
    const types = await waitFor("three notifications on B", async () => {
      const rows = (
        await b.deps.db
          .select({ type: notifications.type })
          .from(notifications)
          .where(eq(notifications.accountId, bob.id))
      )
        .map((n) => n.type)
        .sort();
      return rows.length >= 4 ? rows : null;
    });
    expect(types).toEqual(["favourite", "follow", "mention", "reblog"]);
    const original = (
      await b.deps.db.select().from(statuses).where(eq(statuses.iri, postIri)).limit(1)
    )[0]!;
    expect(original).toMatchObject({ favouritesCount: 1, reblogsCount: 1, repliesCount: 1 });
  });

  it("shows the author's edit and drops the post when it is deleted", async () => {
    const onB = (
      await b.deps.db.select().from(statuses).where(eq(statuses.iri, postIri)).limit(1)
    )[0]!;
    await editStatus(b.deps, bob.id, onB.id, { text: "Two lighthouses, edited" });
    b.deps.events.kick();
    const edited = await waitFor("the edit on A", async () => {
      const s = await findStatusByIri(a.deps.db, postIri);
      return s?.content.includes("edited") ? s : null;
    });
    expect(edited.editedAt).not.toBeNull();
    await deleteStatus(b.deps, bob.id, onB.id);
    b.deps.events.kick();
    await waitFor(
      "the deletion on A",
      async () => (await findStatusByIri(a.deps.db, postIri)) === undefined,
    );
    expect(await findStatusByIri(a.deps.db, postIri)).toBeUndefined();
  });

  it("unfollows, and the remote followers shrink", async () => {
    await unfollowAccount(a.deps.db, alice, bobOnA);
    a.deps.events.kick();
    await waitFor("the Undo on B", async () => (await accountOn(b, bob.id)).followersCount === 0);
    expect(await b.deps.db.select().from(follows)).toEqual([]);
  });

  it("loses no delivery when the receiver is down and the sender restarts mid-delivery", async () => {
    await followAccount(a.deps.db, a.deps.urls, alice, bobOnA);
    a.deps.events.kick();
    await waitFor(
      "the follow again",
      async () => (await accountOn(b, bob.id)).followersCount === 1,
    );
    // A goes away; B publishes, fails to deliver, and is stopped with the retry still queued.
    await a.stop();
    const post = await publishStatus(b.deps, bob.id, { text: "Posted while A was down" });
    b.deps.events.kick();
    // Fedify failed to reach A and scheduled a retry in B's durable queue.
    await waitFor("a delayed retry in B's queue", async () => (await delayedInQueue(b)) > 0);
    await b.stop();
    a = await restartFederatedInstance(a);
    b = await restartFederatedInstance(b);
    const arrived = await waitFor(
      "the post on A after the restarts",
      async () => await findStatusByIri(a.deps.db, post.iri),
      45_000,
    );
    expect(arrived.content).toContain("Posted while A was down");
  }, 90_000);
});
