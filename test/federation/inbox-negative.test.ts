// The inbox refuses what it must: unsigned or mis-signed deliveries, oversized and malformed bodies, and
// anything from a blocked domain, each with the right status and nothing stored.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../src/db/schema/index.ts";
import {
  accounts,
  favourites,
  follows,
  notifications,
  statuses,
} from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { blockAccount } from "../../src/domain/interactions.ts";
import { blockDomain, unblockDomain } from "../../src/domain/moderation.ts";
import { publishStatus } from "../../src/domain/statuses.ts";
import { type FakeActor, type FakeRemote, startFakeRemote } from "../helpers/fake-remote.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";

let local: FederatedInstance;
let remote: FakeRemote;
let alice: Account;
let mallory: FakeActor;
let victim: FakeActor;
let inbox: string;

const note = (actor: FakeActor, n: number) => ({
  "@context": "https://www.w3.org/ns/activitystreams",
  id: `${actor.id.href}/statuses/${n}/activity`,
  type: "Create",
  actor: actor.id.href,
  to: ["https://www.w3.org/ns/activitystreams#Public"],
  object: {
    id: `${actor.id.href}/statuses/${n}`,
    type: "Note",
    attributedTo: actor.id.href,
    content: `<p>post ${n}</p>`,
    to: ["https://www.w3.org/ns/activitystreams#Public"],
  },
});

const storedStatuses = async () => await local.deps.db.select().from(statuses);

beforeAll(async () => {
  [local, remote] = await Promise.all([startFederatedInstance(), startFakeRemote()]);
  alice = (
    await createLocalUser(local.deps.db, local.deps.urls, {
      username: "alice",
      password: "alice-password",
    })
  ).account;
  [mallory, victim] = await Promise.all([remote.actor("mallory"), remote.actor("victim")]);
  inbox = local.deps.urls.inbox("alice");
}, 60_000);

afterAll(async () => {
  await Promise.all([local?.close(), remote?.close()]);
});

describe("inbox", () => {
  it("accepts a correctly signed Follow (the control for the refusals below)", async () => {
    const res = await remote.deliver(
      inbox,
      {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${mallory.id.href}#follows/1`,
        type: "Follow",
        actor: mallory.id.href,
        object: alice.iri,
      },
      mallory,
    );
    expect(res.status).toBe(202);
    await waitFor(
      "the follow",
      async () =>
        (
          await local.deps.db
            .select()
            .from(follows)
            .where(eq(follows.targetAccountId, alice.id))
            .limit(1)
        )[0],
    );
  });

  it("answers 401 to an unsigned POST and stores nothing", async () => {
    const res = await remote.deliver(inbox, note(mallory, 1), null);
    expect(res.status).toBe(401);
    expect(await storedStatuses()).toEqual([]);
  });

  it("answers 401 when the signer is not the activity's actor", async () => {
    const res = await remote.deliver(inbox, note(victim, 2), mallory);
    expect(res.status).toBe(401);
    expect(await storedStatuses()).toEqual([]);
  });

  it("answers 413 to an oversized body", async () => {
    const big = note(mallory, 3);
    big.object.content = `<p>${"x".repeat(1_200_000)}</p>`;
    const res = await remote.deliver(inbox, big, mallory);
    expect(res.status).toBe(413);
    expect(await storedStatuses()).toEqual([]);
  });

  it("answers 400 to malformed JSON and to absurd nesting, and keeps serving", async () => {
    expect((await remote.deliver(inbox, '{"type": "Create", ', mallory)).status).toBe(400);
    // Written as text: building 10,000 levels as objects would overflow this test's own stack.
    const deep = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    const nested = JSON.stringify(note(mallory, 4)).replace(
      /"object":\{/,
      `"object":${deep},"x":{`,
    );
    expect((await remote.deliver(inbox, nested, mallory)).status).toBe(400);
    expect((await fetch(`${local.url}/health`)).status).toBe(200);
    expect(await storedStatuses()).toEqual([]);
  });

  it("answers 403 to a blocked domain, and the same delivery is stored once unblocked", async () => {
    await blockDomain(local.deps.db, remote.host);
    const res = await remote.deliver(local.deps.urls.sharedInbox(), note(mallory, 5), mallory);
    expect(res.status).toBe(403);
    expect(await storedStatuses()).toEqual([]);
    await unblockDomain(local.deps.db, remote.host);
    const again = await remote.deliver(local.deps.urls.sharedInbox(), note(mallory, 5), mallory);
    expect(again.status).toBe(202);
    const stored = await waitFor("the post", async () => (await storedStatuses())[0]);
    expect(stored.iri).toBe(`${mallory.id.href}/statuses/5`);
  });

  it("answers 403 to a blocked domain however the actor's host is spelled", async () => {
    const named = await startFakeRemote({ hostname: "localhost" });
    try {
      const eve = await named.actor("eve");
      const port = new URL(named.origin).port;
      // The control: signed and unblocked, the post is taken.
      const ok = await named.deliver(local.deps.urls.sharedInbox(), note(eve, 1), eve);
      expect(ok.status).toBe(202);
      await waitFor("the control post", async () =>
        (await storedStatuses()).some((s) => s.iri === `${eve.id.href}/statuses/1`),
      );
      await blockDomain(local.deps.db, `LOCALHOST.:${port}`);
      for (const spelling of [`localhost.:${port}`, `LocalHost.:${port}`, `LOCALHOST:${port}`]) {
        const activity = note(eve, 2);
        const actor = `http://${spelling}/users/eve`;
        const body = {
          ...activity,
          id: `${actor}/statuses/2/activity`,
          actor,
          object: { ...activity.object, id: `${actor}/statuses/2`, attributedTo: actor },
        };
        const res = await named.deliver(local.deps.urls.sharedInbox(), body, eve);
        expect([spelling, res.status]).toEqual([spelling, 403]);
      }
      const res = await named.deliver(local.deps.urls.sharedInbox(), note(eve, 3), eve);
      expect(res.status).toBe(403);
      expect((await storedStatuses()).filter((s) => s.iri.includes("/users/eve/"))).toHaveLength(1);
    } finally {
      await named.close();
    }
  });

  it("drops a Like or Announce across a block, and keeps serving", async () => {
    const post = await publishStatus(local.deps, alice.id, { text: "Alice's post" });
    const victimAccount = await waitFor("victim stored", async () => {
      await remote.deliver(inbox, note(victim, 9), victim);
      return (
        await local.deps.db.select().from(accounts).where(eq(accounts.iri, victim.id.href)).limit(1)
      )[0];
    });
    await blockAccount(local.deps.db, local.deps.urls, alice, victimAccount);
    const like = (actor: FakeActor, type: "Like" | "Announce", n: number) => ({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${actor.id.href}#${type}/${n}`,
      type,
      actor: actor.id.href,
      object: local.deps.urls.status(post.id),
      to: ["https://www.w3.org/ns/activitystreams#Public"],
    });
    for (const type of ["Like", "Announce"] as const) {
      expect((await remote.deliver(inbox, like(victim, type, 1), victim)).status).toBe(202);
    }
    // The control: the same Like from an account nobody blocks is stored.
    expect((await remote.deliver(inbox, like(mallory, "Like", 1), mallory)).status).toBe(202);
    await waitFor(
      "mallory's like",
      async () =>
        (
          await local.deps.db
            .select()
            .from(favourites)
            .where(eq(favourites.statusId, post.id))
            .limit(1)
        )[0],
    );
    const likes = local.deps.db.select().from(favourites).where(eq(favourites.statusId, post.id));
    expect((await likes).map((f) => f.accountId)).not.toContain(victimAccount.id);
    const boosts = local.deps.db.select().from(statuses).where(eq(statuses.reblogOfId, post.id));
    expect(await boosts).toEqual([]);
  });
});

describe("delivery", () => {
  it("removes a follower whose inbox answers 410 Gone", async () => {
    const gone = await startFakeRemote({ inboxStatus: 410 });
    try {
      const ghost = await gone.actor("ghost");
      const res = await gone.deliver(
        inbox,
        {
          "@context": "https://www.w3.org/ns/activitystreams",
          id: `${ghost.id.href}#follows/1`,
          type: "Follow",
          actor: ghost.id.href,
          object: alice.iri,
        },
        ghost,
      );
      expect(res.status).toBe(202);
      const ghostFollows = async () =>
        await local.deps.db
          .select({ id: follows.id })
          .from(follows)
          .innerJoin(accounts, eq(accounts.id, follows.accountId))
          .where(eq(accounts.iri, ghost.id.href));
      // The follow was stored (alice was told), then our Accept met 410 Gone and the follower went.
      await waitFor("the Accept's delivery", () => gone.deliveries() > 0);
      await waitFor("the follower's removal", async () => (await ghostFollows()).length === 0);
      const told = await local.deps.db
        .select({ type: notifications.type })
        .from(notifications)
        .innerJoin(accounts, eq(accounts.id, notifications.fromAccountId))
        .where(eq(accounts.iri, ghost.id.href));
      expect(told).toEqual([{ type: "follow" }]);
      expect(await ghostFollows()).toEqual([]);
    } finally {
      await gone.close();
    }
  });
});
