// A user domain block across two real instances on 127.0.0.1: alice@A and bob@B follow each other, then
// alice blocks B's domain through masto.js. Both follows end on both servers (A sends Undo(Follow) and
// Reject(Follow), and B's API says so), B's posts leave alice's home, a new follow from bob is rejected
// and a mention from him notifies nobody, while bob's own server is left to show him what it likes.
import { eq } from "drizzle-orm";
import { createRestAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, statuses } from "../../src/db/schema/index.ts";
import { localUser } from "../helpers/factories.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";

let a: FederatedInstance;
let b: FederatedInstance;
let alice: mastodon.rest.Client;
let bob: mastodon.rest.Client;
let bobOnA: Account;
let aliceOnB: Account;

beforeAll(async () => {
  [a, b] = await Promise.all([startFederatedInstance(), startFederatedInstance()]);
  const aliceUser = await localUser(a, "alice");
  const bobUser = await localUser(b, "bob");
  alice = createRestAPIClient({ url: a.url, accessToken: aliceUser.token });
  bob = createRestAPIClient({ url: b.url, accessToken: bobUser.token });
  const found = await a.deps.federation.lookup(`@bob@127.0.0.1:${b.port}`);
  bobOnA = (found as { account: Account }).account;
  const foundAlice = await b.deps.federation.lookup(`@alice@127.0.0.1:${a.port}`);
  aliceOnB = (foundAlice as { account: Account }).account;
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

const relationshipOn = async (client: mastodon.rest.Client, id: string) =>
  (await client.v1.accounts.relationships.fetch({ id: [id] }))[0]!;

describe("a user domain block between two instances", () => {
  it("ends the follows both ways on both servers and hides B's posts from alice", async () => {
    await alice.v1.accounts.$select(bobOnA.id).follow();
    await bob.v1.accounts.$select(aliceOnB.id).follow();
    await waitFor("both follows accepted", async () => {
      const onA = await relationshipOn(alice, bobOnA.id);
      const onB = await relationshipOn(bob, aliceOnB.id);
      return onA.following && onA.followedBy && onB.following && onB.followedBy;
    });

    const post = await bob.v1.statuses.create({
      status: "A harbour at night",
      visibility: "public",
    });
    const arrived = await waitFor(
      "bob's post on A",
      async () =>
        (await a.deps.db.select().from(statuses).where(eq(statuses.iri, post.uri)).limit(1))[0],
    );
    const homeIds = async () => (await alice.v1.timelines.home.list()).map((s) => s.id);
    expect(await homeIds()).toContain(arrived.id);

    await alice.v1.domainBlocks.create({ domain: `127.0.0.1:${b.port}` });
    expect(await alice.v1.domainBlocks.list()).toEqual([`127.0.0.1:${b.port}`]);

    // On A at once; on B once the Undo(Follow) and the Reject(Follow) have arrived.
    expect(await relationshipOn(alice, bobOnA.id)).toMatchObject({
      following: false,
      followedBy: false,
      domainBlocking: true,
    });
    await waitFor("both follows ended on B", async () => {
      const onB = await relationshipOn(bob, aliceOnB.id);
      return !onB.following && !onB.followedBy && !onB.requested;
    });
    const bobOnB = await bob.v1.accounts.verifyCredentials();
    expect(bobOnB).toMatchObject({ followersCount: 0, followingCount: 0 });
    expect((await alice.v1.accounts.verifyCredentials()).followersCount).toBe(0);

    expect(await homeIds()).not.toContain(arrived.id);
    const publicIds = (await alice.v1.timelines.public.list()).map((s) => s.id);
    expect(publicIds).not.toContain(arrived.id);
  });

  it("rejects a new follow from the blocked domain and drops its mentions' notifications", async () => {
    const asked = await bob.v1.accounts.$select(aliceOnB.id).follow();
    expect(asked.following || asked.requested).toBe(true);
    // A answers Reject: B forgets the follow.
    await waitFor("the Reject on B", async () => {
      const onB = await relationshipOn(bob, aliceOnB.id);
      return !onB.following && !onB.requested;
    });
    expect((await relationshipOn(alice, bobOnA.id)).followedBy).toBe(false);

    const mention = await bob.v1.statuses.create({
      status: `@alice@127.0.0.1:${a.port} look at this`,
      visibility: "public",
    });
    await waitFor(
      "the mention on A",
      async () =>
        (await a.deps.db.select().from(statuses).where(eq(statuses.iri, mention.uri)).limit(1))[0],
    );
    const notes = await alice.v1.notifications.list();
    expect(notes.filter((n) => n.account.id === bobOnA.id)).toEqual([]);

    // Lifting the block lets a new follow through again.
    await alice.v1.domainBlocks.remove({ domain: `127.0.0.1:${b.port}` });
    await bob.v1.accounts.$select(aliceOnB.id).follow();
    await waitFor("the new follow accepted on B", async () => {
      return (await relationshipOn(bob, aliceOnB.id)).following;
    });
    expect((await relationshipOn(alice, bobOnA.id)).followedBy).toBe(true);
  });
});
