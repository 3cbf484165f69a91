// Aliases and moving out below the pages: the refusals of Mastodon's AccountAlias and AccountMigration
// (unknown or own account, target not naming us, wrong password, cooldown, same target again), the
// events a move records, the followers on this server following the new account, and what clients and
// other servers then see (`moved` on the Account, `movedTo` on the actor).
import { afterEach, describe, expect, it } from "vitest";
import { findAccountById } from "../../src/db/queries/accounts.ts";
import type { Account } from "../../src/db/schema/index.ts";
import { domainEvents, followerMoves } from "../../src/db/schema/index.ts";
import {
  type AccountResolver,
  addAlias,
  cancelRedirect,
  MOVE_COOLDOWN_MS,
  MoveRefused,
  migrationStatus,
  moveAccount,
  redirectAccount,
  removeAlias,
} from "../../src/domain/account-moves.ts";
import { findFollow, followAccount } from "../../src/domain/follows.ts";
import { call, localUser, PASSWORD, remoteAccount } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

const refusal = async (p: Promise<unknown>) => {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MoveRefused);
  return (error as MoveRefused).reason;
};

const noRemote: AccountResolver = async () => null;

describe("moving out", () => {
  it("adds and removes aliases, refusing unknown, own and repeated accounts", async () => {
    expect.hasAssertions();
    i = await createTestInstance();
    const { db } = i.deps;
    await i.deps.events.close();
    const alice = await localUser(i, "alice");
    const bob = await localUser(i, "bob");
    const remote = await remoteAccount(i, "old", "old.example");
    const asked: [string, boolean][] = [];
    const resolve: AccountResolver = async (handle, { fresh }) => {
      asked.push([handle, fresh]);
      return handle === "old@old.example" ? remote : null;
    };
    expect(await refusal(addAlias(db, resolve, bob.account.id, "@nobody@old.example"))).toBe(
      "unknown_target",
    );
    expect(await refusal(addAlias(db, resolve, bob.account.id, "bob"))).toBe("self");
    const once = await addAlias(db, resolve, bob.account.id, "@alice");
    expect(once.alsoKnownAs).toEqual([alice.account.iri]);
    const twice = await addAlias(db, resolve, bob.account.id, "@old@old.example");
    expect(twice.alsoKnownAs).toEqual([alice.account.iri, remote.iri]);
    expect(asked).toEqual([
      ["nobody@old.example", false],
      ["old@old.example", false],
    ]);
    expect(await refusal(addAlias(db, resolve, bob.account.id, "old@old.example"))).toBe(
      "duplicate_alias",
    );
    const removed = await removeAlias(db, bob.account.id, remote.iri);
    expect(removed.alsoKnownAs).toEqual([alice.account.iri]);
    // Each change records the actor's Update for the followers' servers.
    const updates = (await db.select().from(domainEvents)).filter(
      (e) => e.type === "account.updated" && e.payload.accountId === bob.account.id,
    );
    expect(updates).toHaveLength(3);
  });

  it("moves to an account naming it, moves the local followers, and shows the move", async () => {
    expect.hasAssertions();
    i = await createTestInstance();
    const { db, urls } = i.deps;
    await i.deps.events.close();
    const alice = await localUser(i, "alice");
    const bob = await localUser(i, "bob");
    const carol = await localUser(i, "carol");
    await followAccount(db, urls, carol.account, alice.account);
    const move = (handle: string, password = PASSWORD, now?: Date) =>
      moveAccount(db, noRemote, {
        accountId: alice.account.id,
        handle,
        password,
        ...(now ? { now } : {}),
      });

    expect(await refusal(move("@bob", "not the password"))).toBe("wrong_password");
    expect(await refusal(move("@nobody@far.example"))).toBe("unknown_target");
    // bob does not list alice yet.
    expect(await refusal(move("@bob"))).toBe("missing_alias");
    expect((await findAccountById(db, alice.account.id))?.movedToAccountId).toBeNull();

    await addAlias(db, noRemote, bob.account.id, "alice");
    const now = new Date();
    const moved = await move("@bob", PASSWORD, now);
    expect(moved.movedToAccountId).toBe(bob.account.id);
    expect(moved.movedAt?.getTime()).toBe(now.getTime());
    // The move queued its followers' move; the worker's service runs it.
    expect(await findFollow(db, carol.account.id, alice.account.id)).toBeDefined();
    i.deps.followerMoves.kick();
    await i.deps.followerMoves.idle();
    // carol follows bob now, and no longer alice.
    expect((await findFollow(db, carol.account.id, bob.account.id))?.state).toBe("accepted");
    expect(await findFollow(db, carol.account.id, alice.account.id)).toBeUndefined();
    const events = (await db.select().from(domainEvents)).filter((e) => e.type === "account.moved");
    expect(events.map((e) => e.payload)).toEqual([
      { accountId: alice.account.id, targetAccountId: bob.account.id },
    ]);

    // One move per 30 days; past them, not to the same account again.
    expect(await refusal(move("@bob", PASSWORD, new Date(now.getTime() + 1000)))).toBe("cooldown");
    const later = new Date(now.getTime() + MOVE_COOLDOWN_MS + 1000);
    expect(await refusal(move("@bob", PASSWORD, later))).toBe("already_moved");

    // Clients see `moved`; other servers see `movedTo` on the actor.
    const shown = await call(i, "GET", `/api/v1/accounts/${alice.account.id}`);
    expect(shown.json.moved.id).toBe(bob.account.id);
    const actor = await i.app.request("/users/alice", {
      headers: { Accept: "application/activity+json" },
    });
    const json = (await actor.json()) as { movedTo?: string };
    expect(json.movedTo).toBe(bob.account.iri);
    expect((await findAccountById(db, bob.account.id))?.alsoKnownAs).toEqual([
      (alice.account as Account).iri,
    ]);
  });

  it("redirects without moving, cancels the redirect, and keeps a real move's cooldown", async () => {
    expect.hasAssertions();
    i = await createTestInstance();
    const { db, urls } = i.deps;
    await i.deps.events.close();
    const alice = await localUser(i, "alice");
    const bob = await localUser(i, "bob");
    const carol = await localUser(i, "carol");
    await followAccount(db, urls, carol.account, alice.account);
    const moved = async () =>
      (await call(i!, "GET", `/api/v1/accounts/${alice.account.id}`)).json.moved?.id ?? null;
    const redirect = (handle: string, password = PASSWORD) =>
      redirectAccount(db, noRemote, { accountId: alice.account.id, handle, password });
    const cancel = (password = PASSWORD) =>
      cancelRedirect(db, { accountId: alice.account.id, password });
    const updates = async () =>
      (await db.select().from(domainEvents)).filter(
        (e) => e.type === "account.updated" && e.payload.accountId === alice.account.id,
      ).length;

    expect(await moved()).toBeNull();
    expect(await refusal(redirect("@bob", "not the password"))).toBe("wrong_password");
    expect(await refusal(redirect("@alice"))).toBe("self");
    expect(await refusal(redirect("@nobody@far.example"))).toBe("unknown_target");
    // No alias is needed for a redirect, and it sends no Move, moves no follower, starts no cooldown.
    const redirected = await redirect("@bob");
    expect(redirected.movedToAccountId).toBe(bob.account.id);
    expect(redirected.movedAt).toBeNull();
    expect(await moved()).toBe(bob.account.id);
    expect(await updates()).toBe(1);
    const events = await db.select().from(domainEvents);
    expect(events.filter((e) => e.type === "account.moved")).toEqual([]);
    expect(await db.select().from(followerMoves)).toEqual([]);
    expect(await findFollow(db, carol.account.id, alice.account.id)).toBeDefined();
    expect(await refusal(redirect("bob"))).toBe("already_moved");
    const shown = await migrationStatus(db, redirected);
    expect(shown.redirect?.byMove).toBe(false);
    expect(shown.cooldownEnd).toBeNull();

    expect(await refusal(cancel("not the password"))).toBe("wrong_password");
    expect(await moved()).toBe(bob.account.id);
    const cancelled = await cancel();
    expect(cancelled.movedToAccountId).toBeNull();
    expect(await moved()).toBeNull();
    // The Update(Person) without movedTo.
    expect(await updates()).toBe(2);
    // Cancelling with nothing to cancel changes nothing.
    await cancel();
    expect(await updates()).toBe(2);

    // A real Move, then its redirect cancelled: the 30 days still count from the Move.
    await addAlias(db, noRemote, bob.account.id, "alice");
    await addAlias(db, noRemote, carol.account.id, "alice");
    const now = new Date();
    await moveAccount(db, noRemote, {
      accountId: alice.account.id,
      handle: "bob",
      password: PASSWORD,
      now,
    });
    const afterMove = await cancel();
    expect(afterMove.movedToAccountId).toBeNull();
    expect(afterMove.movedAt?.getTime()).toBe(now.getTime());
    expect(
      await refusal(
        moveAccount(db, noRemote, {
          accountId: alice.account.id,
          handle: "carol",
          password: PASSWORD,
          now: new Date(now.getTime() + 1000),
        }),
      ),
    ).toBe("cooldown");
    const status = await migrationStatus(db, afterMove, new Date(now.getTime() + 1000));
    expect(status.redirect).toBeNull();
    expect(status.lastMove?.at.getTime()).toBe(now.getTime());
    expect(status.cooldownEnd?.getTime()).toBe(now.getTime() + MOVE_COOLDOWN_MS);
  });
});
