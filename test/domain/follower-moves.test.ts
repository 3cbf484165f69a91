// The follower move as a job (domain/follower-moves.ts): a Move queues it in its own transaction, and the
// service moves the local followers in batches, leaving remote ones (their servers move them on the
// Move) and those a block keeps apart; it saves its place after each batch, so a move whose worker died
// is taken over once the lease ran out and goes on after the last saved batch, while a live lease is
// left alone.
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { followerMoves } from "../../src/db/schema/index.ts";
import { type AccountResolver, addAlias, moveAccount } from "../../src/domain/account-moves.ts";
import { FollowerMoveService, latestFollowerMove } from "../../src/domain/follower-moves.ts";
import { findFollow, followAccount, unfollowAccount } from "../../src/domain/follows.ts";
import { blockAccount } from "../../src/domain/interactions.ts";
import { follow, localUser, PASSWORD, remoteAccount } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let i: TestInstance | undefined;
const services: FollowerMoveService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
  await i?.close();
  i = undefined;
});

const noRemote: AccountResolver = async () => null;

/** alice with five local followers (sorted by id) and a remote one, bob naming her as an alias. */
async function setup() {
  i = await createTestInstance();
  const { db, urls } = i.deps;
  // Nothing runs the move but the services the tests start.
  await i.deps.events.close();
  await i.deps.followerMoves.close();
  const alice = (await localUser(i, "alice")).account;
  const bob = (await localUser(i, "bob")).account;
  const followers = [];
  for (const name of ["f0", "f1", "f2", "f3", "f4"]) {
    const f = (await localUser(i, name)).account;
    await followAccount(db, urls, f, alice);
    followers.push(f);
  }
  followers.sort((a, b) => (a.id < b.id ? -1 : 1));
  const remote = await remoteAccount(i, "far", "far.example");
  await follow(i, remote.id, alice.id);
  await addAlias(db, noRemote, bob.id, "alice");
  const service = (batchSize: number) => {
    const s = new FollowerMoveService({ db, urls, batchSize, leaseMs: 60_000 });
    services.push(s);
    return s;
  };
  return { db, urls, alice, bob, followers, remote, service };
}

describe("the follower move job", () => {
  it("is queued by the move and moves the local followers in batches, with progress", async () => {
    expect.hasAssertions();
    const { db, urls, alice, bob, followers, remote, service } = await setup();
    // bob blocks f2: f2's follow cannot move and stays with alice.
    const f2 = followers[2]!;
    await blockAccount(db, urls, bob, f2);
    await moveAccount(db, noRemote, { accountId: alice.id, handle: "bob", password: PASSWORD });

    const queued = await latestFollowerMove(db, alice.id);
    expect(queued).toMatchObject({
      state: "queued",
      targetAccountId: bob.id,
      totalItems: 5,
      processedItems: 0,
    });
    // The request moved nobody: the followers still follow alice until the job runs.
    for (const f of followers) expect(await findFollow(db, f.id, alice.id)).toBeDefined();

    const s = service(2);
    s.kick();
    await s.idle();
    const done = await latestFollowerMove(db, alice.id);
    expect(done).toMatchObject({
      state: "finished",
      totalItems: 5,
      processedItems: 5,
      movedItems: 4,
      attempts: 1,
      cursor: followers[4]!.id,
      claimedBy: null,
    });
    for (const f of followers) {
      const moved = f.id !== f2.id;
      expect((await findFollow(db, f.id, bob.id)) !== undefined).toBe(moved);
      expect((await findFollow(db, f.id, alice.id)) !== undefined).toBe(!moved);
    }
    // The remote follower is its own server's to move.
    expect(await findFollow(db, remote.id, alice.id)).toBeDefined();
    expect(await findFollow(db, remote.id, bob.id)).toBeUndefined();
  });

  it("leaves a live lease alone and resumes after the last saved batch once it ran out", async () => {
    expect.hasAssertions();
    const { db, urls, alice, bob, followers, service } = await setup();
    await moveAccount(db, noRemote, { accountId: alice.id, handle: "bob", password: PASSWORD });
    const job = (await latestFollowerMove(db, alice.id))!;
    // A worker handled the first batch of two (f0 moved; bob blocks f1, who stayed), saved its place,
    // and died while holding the lease.
    const [f0, f1] = followers as [(typeof followers)[0], (typeof followers)[0]];
    await followAccount(db, urls, f0, bob);
    await unfollowAccount(db, f0, alice);
    await blockAccount(db, urls, bob, f1);
    const held = {
      state: "running" as const,
      attempts: 1,
      claimedBy: "dead-worker",
      cursor: f1.id,
      processedItems: 2,
      movedItems: 1,
    };
    await db
      .update(followerMoves)
      .set({ ...held, claimedUntil: new Date(Date.now() + 60_000) })
      .where(eq(followerMoves.id, job.id));

    const s = service(2);
    s.kick();
    await s.idle();
    expect(await latestFollowerMove(db, alice.id)).toMatchObject(held);

    await db
      .update(followerMoves)
      .set({ claimedUntil: new Date(Date.now() - 1000) })
      .where(and(eq(followerMoves.id, job.id), eq(followerMoves.claimedBy, "dead-worker")));
    s.kick();
    await s.idle();
    // f1 (before the saved place) is not handled again: five processed, not six.
    expect(await latestFollowerMove(db, alice.id)).toMatchObject({
      state: "finished",
      attempts: 2,
      totalItems: 5,
      processedItems: 5,
      movedItems: 4,
      claimedBy: null,
    });
    expect(await findFollow(db, f1.id, alice.id)).toBeDefined();
    for (const f of followers.slice(2)) {
      expect(await findFollow(db, f.id, bob.id)).toBeDefined();
      expect(await findFollow(db, f.id, alice.id)).toBeUndefined();
    }
  });
});
