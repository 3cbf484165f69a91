// Endorsements ("feature on profile") through masto.js against a real server: endorse and unendorse
// (and the older pin/unpin paths), only accounts one follows, the Relationship's `endorsed`, the
// user's own list and anyone's list with Link pagination, and the endorsement ending with the follow.
import { createRestAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../src/db/schema/index.ts";
import { call, follow, localUser, remoteAccount } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: ServedInstance;
type User = { account: Account; token: string; client: mastodon.rest.Client };
let alice: User;
let bob: User;
let carol: User;

async function user(name: string): Promise<User> {
  const u = await localUser(instance, name);
  return { ...u, client: createRestAPIClient({ url: instance.url, accessToken: u.token }) };
}

async function statusOf(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { statusCode?: number }).statusCode;
  }
}

beforeAll(async () => {
  instance = await serveTestInstance();
  alice = await user("alice");
  bob = await user("bob");
  carol = await user("carol");
  await follow(instance, alice.account, bob.account);
  await follow(instance, alice.account, carol.account);
});
afterAll(() => instance.close());

describe("endorsements", () => {
  it("endorses a followed account, shows it endorsed and lists it", async () => {
    const rel = await alice.client.v1.accounts.$select(bob.account.id).endorse();
    expect(rel).toMatchObject({ id: bob.account.id, following: true, endorsed: true });
    const raw = await call(
      instance,
      "GET",
      `/api/v1/accounts/relationships?id[]=${bob.account.id}`,
      {
        token: alice.token,
      },
    );
    expect(E.Relationship.parse(raw.json[0]).endorsed).toBe(true);
    const [again] = await alice.client.v1.accounts.relationships.fetch({ id: [bob.account.id] });
    expect(again?.endorsed).toBe(true);
    const mine = await alice.client.v1.endorsements.list();
    expect(mine.map((a) => a.id)).toEqual([bob.account.id]);
    // Anyone may read a profile's featured accounts (Mastodon 4.4), signed in or not.
    const theirs = await createRestAPIClient({ url: instance.url })
      .v1.accounts.$select(alice.account.id)
      .endorsements.list();
    expect(theirs.map((a) => a.username)).toEqual(["bob"]);
  });

  it("refuses an account one does not follow, and oneself, with 422", async () => {
    const stranger = await remoteAccount(instance, "stranger", "remote.example");
    expect(await statusOf(alice.client.v1.accounts.$select(stranger.id).endorse())).toBe(422);
    expect(await statusOf(alice.client.v1.accounts.$select(alice.account.id).endorse())).toBe(422);
    const raw = await call(instance, "POST", `/api/v1/accounts/${stranger.id}/endorse`, {
      token: alice.token,
    });
    expect(raw.status).toBe(422);
    expect(E.ApiError.parse(raw.json).error).toMatch(/following/);
    expect(await statusOf(alice.client.v1.accounts.$select("999999").endorse())).toBe(404);
  });

  it("accepts the older pin/unpin paths and pages the list newest first with Link headers", async () => {
    const pinned = await alice.client.v1.accounts.$select(carol.account.id).pin();
    expect(pinned.endorsed).toBe(true);
    const first = await call(instance, "GET", "/api/v1/endorsements?limit=1", {
      token: alice.token,
    });
    expect(first.json.map((a: { id: string }) => a.id)).toEqual([carol.account.id]);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get("link") ?? "")?.[1];
    expect(next).toBeDefined();
    const second = await call(instance, "GET", new URL(next!).pathname + new URL(next!).search, {
      token: alice.token,
    });
    expect(second.json.map((a: { id: string }) => a.id)).toEqual([bob.account.id]);
    const unpinned = await alice.client.v1.accounts.$select(carol.account.id).unpin();
    expect(unpinned.endorsed).toBe(false);
  });

  it("unendorses, and an endorsement ends with the follow", async () => {
    await alice.client.v1.accounts.$select(carol.account.id).endorse();
    const rel = await alice.client.v1.accounts.$select(carol.account.id).unendorse();
    expect(rel.endorsed).toBe(false);
    await alice.client.v1.accounts.$select(bob.account.id).unfollow();
    expect((await alice.client.v1.endorsements.list()).map((a) => a.id)).toEqual([]);
    const [after] = await alice.client.v1.accounts.relationships.fetch({ id: [bob.account.id] });
    expect(after).toMatchObject({ following: false, endorsed: false });
  });

  it("needs the write:accounts scope to endorse", async () => {
    const reader = await localUser(instance, "reader", "read");
    await follow(instance, reader.account, bob.account);
    const res = await call(instance, "POST", `/api/v1/accounts/${bob.account.id}/endorse`, {
      token: reader.token,
    });
    expect(res.status).toBe(403);
  });
});
