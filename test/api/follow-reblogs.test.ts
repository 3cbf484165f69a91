// A follow's `reblogs` as Mastodon's: on by default (the relationship's showing_reblogs), and when
// turned off the followed account's boosts leave the follower's home timeline (not their own posts,
// nor the follower's own boosts); turned on again, they come back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let i: TestInstance;
beforeAll(async () => {
  i = await createTestInstance();
});
afterAll(async () => {
  await i.close();
});

const post = async (token: string, status: string) =>
  (await call(i, "POST", "/api/v1/statuses", { token, body: { status } })).json.id as string;

describe("a follow's reblogs", () => {
  it("are shown by default and hidden from home when the follower turns them off", async () => {
    const reader = await localUser(i, "reader");
    const friend = await localUser(i, "friend");
    const stranger = await localUser(i, "stranger");
    const followed = await call(i, "POST", `/api/v1/accounts/${friend.account.id}/follow`, {
      token: reader.token,
    });
    expect(followed.json.showing_reblogs).toBe(true);

    const theirs = await post(stranger.token, "a stranger's post");
    const own = await post(friend.token, "the friend's own post");
    const boost = (
      await call(i, "POST", `/api/v1/statuses/${theirs}/reblog`, { token: friend.token })
    ).json.id as string;
    const home = async () =>
      (
        (await call(i, "GET", "/api/v1/timelines/home", { token: reader.token })).json as {
          id: string;
        }[]
      ).map((s) => s.id);
    expect(await home()).toEqual([boost, own]);

    const off = await call(i, "POST", `/api/v1/accounts/${friend.account.id}/follow`, {
      token: reader.token,
      body: { reblogs: false },
    });
    expect(off.json.showing_reblogs).toBe(false);
    expect(await home()).toEqual([own]);
    // The follower's own boosts stay in their home.
    const mine = (
      await call(i, "POST", `/api/v1/statuses/${theirs}/reblog`, { token: reader.token })
    ).json.id as string;
    expect(await home()).toEqual([mine, own]);

    const on = await call(i, "POST", `/api/v1/accounts/${friend.account.id}/follow`, {
      token: reader.token,
      body: { reblogs: true },
    });
    expect(on.json.showing_reblogs).toBe(true);
    expect(await home()).toContain(boost);
  });
});
