import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DomainEventType } from "../../src/domain/events.ts";
import { call, localUser, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: TestInstance;
/** The events the actions recorded, as their subscribers (the federation outbox) receive them. */
let dispatched: DomainEventType[];
const OBSERVED = [
  "follow.requested",
  "follow.accepted",
  "follow.rejected",
  "follow.undone",
  "block.created",
  "block.undone",
  "favourite.created",
  "favourite.undone",
] as const;
beforeEach(async () => {
  instance = await createTestInstance();
  dispatched = [];
  for (const type of OBSERVED)
    instance.deps.events.on(type, "test", () => void dispatched.push(type));
});
afterEach(() => instance.close());

// Read once every recorded event was dispatched, not from the outbox table: a dispatched event
// leaves it, sooner on PostgreSQL (real I/O gives the dispatcher its turn) than on SQLite.
const eventTypes = async () => {
  await instance.deps.events.drain();
  return dispatched;
};

describe("account actions API", () => {
  it("follows an open account at once, with reblogs and notify options, and repeats harmlessly", async () => {
    const { token } = await localUser(instance, "alice");
    const { account: bob, token: bobToken } = await localUser(instance, "bob");
    const first = await call(instance, "POST", `/api/v1/accounts/${bob.id}/follow`, { token });
    expect(first.status).toBe(200);
    const r = E.expectEntity(E.Relationship, first.json);
    expect(r).toMatchObject({ id: bob.id, following: true, requested: false });
    expect(r.showing_reblogs).toBe(true);
    expect(r.notifying).toBe(false);

    const again = await call(instance, "POST", `/api/v1/accounts/${bob.id}/follow`, {
      token,
      body: { reblogs: false, notify: true },
    });
    expect(again.json).toMatchObject({ following: true, showing_reblogs: false, notifying: true });
    const profile = await call(instance, "GET", `/api/v1/accounts/${bob.id}`);
    expect(profile.json.followers_count).toBe(1);

    const bobNotifications = await call(instance, "GET", "/api/v1/notifications", {
      token: bobToken,
    });
    expect(bobNotifications.json.map((n: { type: string }) => n.type)).toEqual(["follow"]);

    const unfollow = await call(instance, "POST", `/api/v1/accounts/${bob.id}/unfollow`, { token });
    expect(unfollow.json).toMatchObject({ following: false, requested: false });
    const twice = await call(instance, "POST", `/api/v1/accounts/${bob.id}/unfollow`, { token });
    expect(twice.status).toBe(200);
    expect((await call(instance, "GET", `/api/v1/accounts/${bob.id}`)).json.followers_count).toBe(
      0,
    );
    expect(await eventTypes()).toEqual(
      expect.arrayContaining(["follow.requested", "follow.undone"]),
    );
  });

  it("asks a locked account, which authorizes or rejects through follow_requests", async () => {
    const { token: aliceToken, account: alice } = await localUser(instance, "alice");
    const { token: daveToken, account: dave } = await localUser(instance, "dave");
    const { token: carolToken, account: carol } = await localUser(instance, "carol");
    await call(instance, "PATCH", "/api/v1/accounts/update_credentials", {
      token: carolToken,
      body: { locked: true },
    });
    const asked = await call(instance, "POST", `/api/v1/accounts/${carol.id}/follow`, {
      token: aliceToken,
    });
    expect(asked.json).toMatchObject({ following: false, requested: true });
    await call(instance, "POST", `/api/v1/accounts/${carol.id}/follow`, { token: daveToken });

    const list = await call(instance, "GET", "/api/v1/follow_requests", { token: carolToken });
    expect(list.json.map((a: { id: string }) => a.id).sort()).toEqual([alice.id, dave.id].sort());

    const ok = await call(instance, "POST", `/api/v1/follow_requests/${alice.id}/authorize`, {
      token: carolToken,
    });
    expect(ok.status).toBe(200);
    expect(E.expectEntity(E.Relationship, ok.json)).toMatchObject({
      id: alice.id,
      followed_by: true,
      requested_by: false,
    });
    const repeat = await call(instance, "POST", `/api/v1/follow_requests/${alice.id}/authorize`, {
      token: carolToken,
    });
    expect(repeat.json.followed_by).toBe(true);

    const no = await call(instance, "POST", `/api/v1/follow_requests/${dave.id}/reject`, {
      token: carolToken,
    });
    expect(no.json).toMatchObject({ followed_by: false, requested_by: false });
    const none = await call(instance, "POST", `/api/v1/follow_requests/${dave.id}/reject`, {
      token: carolToken,
    });
    expect(none.status).toBe(404);
    const mine = await call(instance, "GET", `/api/v1/accounts/relationships?id[]=${carol.id}`, {
      token: aliceToken,
    });
    expect(mine.json[0]).toMatchObject({ following: true, requested: false });
    expect(await eventTypes()).toEqual(
      expect.arrayContaining(["follow.accepted", "follow.rejected"]),
    );
  });

  it("follows a remote account as a pending request and records the event the outbox sends", async () => {
    const { token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const res = await call(instance, "POST", `/api/v1/accounts/${bob.id}/follow`, { token });
    expect(res.json).toMatchObject({ following: false, requested: true });
    expect(await eventTypes()).toContain("follow.requested");
  });

  it("blocks (ending follows both ways), mutes and undoes both", async () => {
    const { token, account: alice } = await localUser(instance, "alice");
    const { token: bobToken, account: bob } = await localUser(instance, "bob");
    await call(instance, "POST", `/api/v1/accounts/${bob.id}/follow`, { token });
    await call(instance, "POST", `/api/v1/accounts/${alice.id}/follow`, { token: bobToken });

    const blocked = await call(instance, "POST", `/api/v1/accounts/${bob.id}/block`, { token });
    expect(E.expectEntity(E.Relationship, blocked.json)).toMatchObject({
      blocking: true,
      following: false,
      followed_by: false,
    });
    expect(
      (await call(instance, "POST", `/api/v1/accounts/${bob.id}/block`, { token })).status,
    ).toBe(200);
    const refused = await call(instance, "POST", `/api/v1/accounts/${alice.id}/follow`, {
      token: bobToken,
    });
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({ error: "This action is not allowed" });
    // Nor may the blocker follow the one it blocks.
    const own = await call(instance, "POST", `/api/v1/accounts/${bob.id}/follow`, { token });
    expect(own.status).toBe(403);
    const unblocked = await call(instance, "POST", `/api/v1/accounts/${bob.id}/unblock`, { token });
    expect(unblocked.json.blocking).toBe(false);
    expect(await eventTypes()).toEqual(expect.arrayContaining(["block.created", "block.undone"]));

    const muted = await call(instance, "POST", `/api/v1/accounts/${bob.id}/mute`, {
      token,
      body: { notifications: false },
    });
    expect(muted.json).toMatchObject({ muting: true, muting_notifications: false });
    const mutes = await call(instance, "GET", "/api/v1/mutes", { token });
    expect(mutes.json.map((a: { id: string }) => a.id)).toEqual([bob.id]);
    const unmuted = await call(instance, "POST", `/api/v1/accounts/${bob.id}/unmute`, { token });
    expect(unmuted.json.muting).toBe(false);

    const self = await call(instance, "POST", `/api/v1/accounts/${alice.id}/follow`, { token });
    expect(self.status).toBe(422);
    expect((await call(instance, "POST", "/api/v1/accounts/404/follow", { token })).status).toBe(
      404,
    );
  });

  it("requires the follow scopes and a signed-in user", async () => {
    const { token } = await localUser(instance, "alice", "read");
    const { account: bob } = await localUser(instance, "bob");
    expect((await call(instance, "POST", `/api/v1/accounts/${bob.id}/follow`)).status).toBe(401);
    const res = await call(instance, "POST", `/api/v1/accounts/${bob.id}/follow`, { token });
    expect(res.status).toBe(403);
    const { token: granular } = await localUser(instance, "carol", "write:follows read:follows");
    const ok = await call(instance, "POST", `/api/v1/accounts/${bob.id}/follow`, {
      token: granular,
    });
    expect(ok.status).toBe(200);
  });
});

describe("status actions API", () => {
  it("favourites and unfavourites, answering the status with its counters", async () => {
    const { token, account: alice } = await localUser(instance, "alice");
    const { token: bobToken, account: bob } = await localUser(instance, "bob");
    const post = await status(instance, bob);
    const fav = await call(instance, "POST", `/api/v1/statuses/${post.id}/favourite`, { token });
    expect(fav.status).toBe(200);
    expect(E.expectEntity(E.Status, fav.json)).toMatchObject({
      id: post.id,
      favourited: true,
      favourites_count: 1,
    });
    const again = await call(instance, "POST", `/api/v1/statuses/${post.id}/favourite`, { token });
    expect(again.json.favourites_count).toBe(1);
    const who = await call(instance, "GET", `/api/v1/statuses/${post.id}/favourited_by`);
    expect(who.json.map((a: { id: string }) => a.id)).toEqual([alice.id]);
    const notes = await call(instance, "GET", "/api/v1/notifications", { token: bobToken });
    expect(notes.json.map((n: { type: string }) => n.type)).toContain("favourite");

    const un = await call(instance, "POST", `/api/v1/statuses/${post.id}/unfavourite`, { token });
    expect(un.json).toMatchObject({ favourited: false, favourites_count: 0 });
    const unAgain = await call(instance, "POST", `/api/v1/statuses/${post.id}/unfavourite`, {
      token,
    });
    expect(unAgain.json.favourites_count).toBe(0);
    expect(await eventTypes()).toEqual(
      expect.arrayContaining(["favourite.created", "favourite.undone"]),
    );
  });

  it("reblogs, answering the boost that wraps the status, and unreblogs", async () => {
    const { token, account: alice } = await localUser(instance, "alice");
    const { account: bob } = await localUser(instance, "bob");
    const post = await status(instance, bob);
    const boost = await call(instance, "POST", `/api/v1/statuses/${post.id}/reblog`, { token });
    expect(boost.status).toBe(200);
    const b = E.expectEntity(E.Status, boost.json);
    expect(b.id).not.toBe(post.id);
    expect(b.account.id).toBe(alice.id);
    expect(b.reblog).toMatchObject({ id: post.id, reblogged: true, reblogs_count: 1 });
    const again = await call(instance, "POST", `/api/v1/statuses/${post.id}/reblog`, { token });
    expect(again.json.id).toBe(b.id);
    // Reblogging the boost itself acts on the original.
    const viaBoost = await call(instance, "POST", `/api/v1/statuses/${b.id}/reblog`, { token });
    expect(viaBoost.json.id).toBe(b.id);

    const un = await call(instance, "POST", `/api/v1/statuses/${post.id}/unreblog`, { token });
    expect(E.expectEntity(E.Status, un.json)).toMatchObject({
      id: post.id,
      reblogged: false,
      reblogs_count: 0,
    });
    expect((await call(instance, "GET", `/api/v1/statuses/${b.id}`, { token })).status).toBe(404);
    const unAgain = await call(instance, "POST", `/api/v1/statuses/${post.id}/unreblog`, { token });
    expect(unAgain.status).toBe(200);
  });

  it("refuses to reblog private statuses and hides statuses the caller cannot see", async () => {
    const { token } = await localUser(instance, "alice");
    const { account: bob } = await localUser(instance, "bob");
    const friendsOnly = await status(instance, bob, { visibility: "private" });
    await call(instance, "POST", `/api/v1/accounts/${bob.id}/follow`, { token });
    const res = await call(instance, "POST", `/api/v1/statuses/${friendsOnly.id}/reblog`, {
      token,
    });
    expect(res.status).toBe(422);
    E.expectEntity(E.ApiError, res.json);
    const { token: stranger } = await localUser(instance, "eve");
    const hidden = await call(instance, "POST", `/api/v1/statuses/${friendsOnly.id}/favourite`, {
      token: stranger,
    });
    expect(hidden.status).toBe(404);
    const remote = await status(instance, await remoteAccount(instance, "zed"));
    const fav = await call(instance, "POST", `/api/v1/statuses/${remote.id}/favourite`, { token });
    expect(fav.json.favourited).toBe(true);
  });
});

describe("search with resolve", () => {
  it("needs a signed-in user with read:search to resolve", async () => {
    const anonymous = await call(
      instance,
      "GET",
      "/api/v2/search?q=@bob@remote.example&resolve=true",
    );
    expect(anonymous.status).toBe(401);
    const { token } = await localUser(instance, "alice", "read:accounts");
    const noScope = await call(instance, "GET", "/api/v2/search?q=bob&resolve=true", { token });
    expect(noScope.status).toBe(403);
  });

  it("answers the account a handle names, and what is stored when resolving finds nothing", async () => {
    const { token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const found = await call(instance, "GET", "/api/v2/search?q=@bob@remote.example&resolve=true", {
      token,
    });
    expect(found.status).toBe(200);
    expect(found.json.accounts.map((a: { id: string }) => a.id)).toEqual([bob.id]);
    E.expectEntity(E.Account, found.json.accounts[0]);
    const lookup = await call(
      instance,
      "GET",
      "/api/v1/accounts/lookup?acct=bob@remote.example&resolve=true",
      { token },
    );
    expect(lookup.json.id).toBe(bob.id);
    const viaSearch = await call(
      instance,
      "GET",
      "/api/v1/accounts/search?q=@bob@remote.example&resolve=true",
      { token },
    );
    expect(viaSearch.json.map((a: { id: string }) => a.id)).toEqual([bob.id]);
    // Port 9 on loopback refuses at once: resolving fails and the stored (empty) answer comes back.
    const none = await call(instance, "GET", "/api/v2/search?q=@nobody@127.0.0.1:9&resolve=true", {
      token,
    });
    expect(none.status).toBe(200);
    expect(none.json).toEqual({ accounts: [], statuses: [], hashtags: [] });
  });
});
