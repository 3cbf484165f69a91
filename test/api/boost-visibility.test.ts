// A boost does not carry a post past a block: the boosted author's blocks (either way) hide the boost in
// home, lists and profiles, and a mute of the boosted author hides it in timelines but not on a profile.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { boost, call, follow, localUser, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

const ids = (json: unknown) => (json as { id: string }[]).map((s) => s.id);

async function setup() {
  const alice = await localUser(instance, "alice");
  const bob = await localUser(instance, "bob");
  const carol = await localUser(instance, "carol");
  await follow(instance, alice.account, bob.account);
  const original = await status(instance, carol.account, { visibility: "public" });
  const shared = await boost(instance, bob.account, original);
  const list = await call(instance, "POST", "/api/v1/lists", {
    token: alice.token,
    body: { title: "friends" },
  });
  await call(instance, "POST", `/api/v1/lists/${list.json.id}/accounts`, {
    token: alice.token,
    body: { account_ids: [bob.account.id] },
  });
  const seen = async () => ({
    home: ids((await call(instance, "GET", "/api/v1/timelines/home", { token: alice.token })).json),
    list: ids(
      (
        await call(instance, "GET", `/api/v1/timelines/list/${list.json.id}`, {
          token: alice.token,
        })
      ).json,
    ),
    profile: ids(
      (
        await call(instance, "GET", `/api/v1/accounts/${bob.account.id}/statuses`, {
          token: alice.token,
        })
      ).json,
    ),
  });
  return { alice, bob, carol, shared, seen };
}

describe("boosts across blocks and mutes", () => {
  it("shows the boost while nothing stands between the viewer and the boosted author", async () => {
    const { shared, seen } = await setup();
    expect(await seen()).toEqual({ home: [shared.id], list: [shared.id], profile: [shared.id] });
  });

  it("hides a boost of an account the viewer blocked, everywhere", async () => {
    const { alice, carol, seen } = await setup();
    const blocked = await call(instance, "POST", `/api/v1/accounts/${carol.account.id}/block`, {
      token: alice.token,
    });
    expect(blocked.status).toBe(200);
    expect(await seen()).toEqual({ home: [], list: [], profile: [] });
  });

  it("hides a boost of an account that blocked the viewer, everywhere", async () => {
    const { alice, carol, seen } = await setup();
    const blocked = await call(instance, "POST", `/api/v1/accounts/${alice.account.id}/block`, {
      token: carol.token,
    });
    expect(blocked.status).toBe(200);
    expect(await seen()).toEqual({ home: [], list: [], profile: [] });
  });

  it("hides a boost of a muted account in timelines and keeps it on the booster's profile", async () => {
    const { alice, carol, shared, seen } = await setup();
    const muted = await call(instance, "POST", `/api/v1/accounts/${carol.account.id}/mute`, {
      token: alice.token,
    });
    expect(muted.status).toBe(200);
    expect(await seen()).toEqual({ home: [], list: [], profile: [shared.id] });
  });
});
