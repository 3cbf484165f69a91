// Lists through masto.js against a real server on 127.0.0.1: the lists themselves, their members, the
// list timeline with its replies policy, exclusive lists leaving home, memberships ending with the
// follow, and someone else's list answering 404.
import { createRestAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Account } from "../../src/db/schema/index.ts";
import { call, follow, localUser, status } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

const ApiList = z.strictObject({
  id: z.string(),
  title: z.string(),
  replies_policy: z.enum(["followed", "list", "none"]),
  exclusive: z.boolean(),
});

let instance: ServedInstance;
type User = { account: Account; token: string; client: mastodon.rest.Client };
let alice: User;
let bob: User;
let carol: User;
let dave: User;

async function user(name: string): Promise<User> {
  const u = await localUser(instance, name);
  return { ...u, client: createRestAPIClient({ url: instance.url, accessToken: u.token }) };
}

beforeAll(async () => {
  instance = await serveTestInstance();
  alice = await user("alice");
  bob = await user("bob");
  carol = await user("carol");
  dave = await user("dave");
  await follow(instance, alice.account, bob.account);
  await follow(instance, alice.account, carol.account);
});
afterAll(() => instance.close());

/** List parameters masto.js's types lack (replies_policy; an update without a title); it sends them as given. */
const params = (p: { title?: string; repliesPolicy?: string; exclusive?: boolean }) =>
  p as mastodon.rest.v1.CreateListParams;

/** The thrown masto.js error's HTTP status. */
async function statusOf(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { statusCode?: number }).statusCode;
  }
}

describe("lists", () => {
  it("creates, reads, renames and deletes a list, with Mastodon's entity and defaults", async () => {
    const created = await alice.client.v1.lists.create({ title: "Painters" });
    expect(created).toMatchObject({ title: "Painters", repliesPolicy: "list", exclusive: false });
    const raw = await call(instance, "GET", `/api/v1/lists/${created.id}`, { token: alice.token });
    expect(ApiList.parse(raw.json)).toEqual({
      id: created.id,
      title: "Painters",
      replies_policy: "list",
      exclusive: false,
    });

    const renamed = await alice.client.v1.lists
      .$select(created.id)
      .update(params({ title: "Sculptors", repliesPolicy: "none", exclusive: true }));
    expect(renamed).toMatchObject(
      params({ title: "Sculptors", repliesPolicy: "none", exclusive: true }),
    );
    expect((await alice.client.v1.lists.list()).map((l) => l.title)).toContain("Sculptors");

    await alice.client.v1.lists.$select(created.id).remove();
    expect(await statusOf(alice.client.v1.lists.$select(created.id).fetch())).toBe(404);
    expect((await alice.client.v1.lists.list()).map((l) => l.id)).not.toContain(created.id);
  });

  it("refuses a blank title, an unknown replies policy and a 51st list with 422", async () => {
    const blank = await call(instance, "POST", "/api/v1/lists", {
      token: dave.token,
      body: { title: "  " },
    });
    expect(blank.status).toBe(422);
    expect(blank.json.error).toMatch(/Title can't be blank/);
    const policy = await call(instance, "POST", "/api/v1/lists", {
      token: dave.token,
      body: { title: "x", replies_policy: "everyone" },
    });
    expect(policy.status).toBe(422);
    for (let i = 0; i < 50; i++) {
      await call(instance, "POST", "/api/v1/lists", {
        token: dave.token,
        body: { title: `L${i}` },
      });
    }
    const over = await call(instance, "POST", "/api/v1/lists", {
      token: dave.token,
      body: { title: "one too many" },
    });
    expect(over.status).toBe(422);
    expect((await dave.client.v1.lists.list()).length).toBe(50);
  });

  it("adds and removes followed accounts; an unfollowed one is 422, an unknown one 404", async () => {
    const list = await alice.client.v1.lists.create({ title: "Members" });
    const members = alice.client.v1.lists.$select(list.id).accounts;
    await members.create({ accountIds: [bob.account.id, carol.account.id] });
    const listed = await members.list();
    expect(listed.map((a) => a.id).sort()).toEqual([bob.account.id, carol.account.id].sort());
    const raw = await call(instance, "GET", `/api/v1/lists/${list.id}/accounts`, {
      token: alice.token,
    });
    for (const a of raw.json) E.Account.parse(a);

    const notFollowed = await call(instance, "POST", `/api/v1/lists/${list.id}/accounts`, {
      token: alice.token,
      body: { account_ids: [dave.account.id] },
    });
    expect(notFollowed.status).toBe(422);
    const unknown = await call(instance, "POST", `/api/v1/lists/${list.id}/accounts`, {
      token: alice.token,
      body: { account_ids: ["999999999999999999"] },
    });
    expect(unknown.status).toBe(404);

    const inBobs = await alice.client.v1.accounts.$select(bob.account.id).lists.list();
    expect(inBobs.map((l) => l.id)).toContain(list.id);
    await members.remove({ accountIds: [bob.account.id] });
    expect((await members.list()).map((a) => a.id)).toEqual([carol.account.id]);
    const after = await alice.client.v1.accounts.$select(bob.account.id).lists.list();
    expect(after.map((l) => l.id)).not.toContain(list.id);
  });

  it("shows members' statuses only on the list timeline, replies as the list's policy says", async () => {
    const list = await alice.client.v1.lists.create(
      params({ title: "Timeline", repliesPolicy: "list" }),
    );
    await alice.client.v1.lists.$select(list.id).accounts.create({ accountIds: [bob.account.id] });
    const bobs = await status(instance, bob.account);
    const carols = await status(instance, carol.account);
    const toCarol = await status(instance, bob.account, {
      inReplyToId: carols.id,
      inReplyToAccountId: carol.account.id,
    });
    const toAlice = await status(instance, bob.account, {
      inReplyToId: (await status(instance, alice.account)).id,
      inReplyToAccountId: alice.account.id,
    });
    const read = async () =>
      (await alice.client.v1.timelines.list.$select(list.id).list({ limit: 40 })).map((s) => s.id);

    let ids = await read();
    expect(ids).toContain(bobs.id);
    expect(ids).toContain(toAlice.id); // replies to the owner always show
    expect(ids).not.toContain(carols.id);
    expect(ids).not.toContain(toCarol.id); // carol is not on the list

    await alice.client.v1.lists.$select(list.id).update(params({ repliesPolicy: "followed" }));
    ids = await read();
    expect(ids).toContain(toCarol.id); // alice follows carol

    await alice.client.v1.lists.$select(list.id).update(params({ repliesPolicy: "none" }));
    ids = await read();
    expect(ids).not.toContain(toCarol.id);
    expect(ids).toContain(toAlice.id);
    expect(ids).toContain(bobs.id);
  });

  it("keeps members of an exclusive list out of the home timeline", async () => {
    const exclusiveUser = await user("erin");
    await follow(instance, exclusiveUser.account, bob.account);
    await follow(instance, exclusiveUser.account, carol.account);
    const bobs = await status(instance, bob.account);
    const carols = await status(instance, carol.account);
    const own = await status(instance, exclusiveUser.account);
    const home = async () =>
      (await exclusiveUser.client.v1.timelines.home.list({ limit: 40 })).map((s) => s.id);
    expect(await home()).toEqual(expect.arrayContaining([bobs.id, carols.id, own.id]));

    const list = await exclusiveUser.client.v1.lists.create({ title: "Apart", exclusive: true });
    await exclusiveUser.client.v1.lists
      .$select(list.id)
      .accounts.create({ accountIds: [bob.account.id] });
    const ids = await home();
    expect(ids).not.toContain(bobs.id);
    expect(ids).toEqual(expect.arrayContaining([carols.id, own.id]));
    // Still on the list's own timeline.
    const onList = await exclusiveUser.client.v1.timelines.list.$select(list.id).list();
    expect(onList.map((s) => s.id)).toContain(bobs.id);

    await exclusiveUser.client.v1.lists.$select(list.id).update(params({ exclusive: false }));
    expect(await home()).toContain(bobs.id);
  });

  it("takes an account out of the lists when the follow ends (unfollow, block)", async () => {
    const frank = await user("frank");
    await follow(instance, frank.account, bob.account);
    await follow(instance, frank.account, carol.account);
    const list = await frank.client.v1.lists.create({ title: "Ends" });
    await frank.client.v1.lists
      .$select(list.id)
      .accounts.create({ accountIds: [bob.account.id, carol.account.id] });

    await frank.client.v1.accounts.$select(bob.account.id).unfollow();
    await frank.client.v1.accounts.$select(carol.account.id).block();
    expect(await frank.client.v1.lists.$select(list.id).accounts.list()).toEqual([]);
    expect(await frank.client.v1.accounts.$select(bob.account.id).lists.list()).toEqual([]);
  });

  it("answers 404 for another user's list, on every route", async () => {
    const list = await alice.client.v1.lists.create({ title: "Private" });
    const paths: [string, string][] = [
      ["GET", `/api/v1/lists/${list.id}`],
      ["PUT", `/api/v1/lists/${list.id}`],
      ["DELETE", `/api/v1/lists/${list.id}`],
      ["GET", `/api/v1/lists/${list.id}/accounts`],
      ["POST", `/api/v1/lists/${list.id}/accounts`],
      ["GET", `/api/v1/timelines/list/${list.id}`],
    ];
    for (const [method, path] of paths) {
      const res = await call(instance, method, path, {
        token: bob.token,
        body: method === "GET" ? undefined : { title: "mine now", account_ids: [bob.account.id] },
      });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await alice.client.v1.lists.$select(list.id).fetch()).title).toBe("Private");
  });

  it("asks for the lists scopes", async () => {
    const reader = await localUser(instance, "gina", "read:statuses write:statuses");
    const list = await call(instance, "GET", "/api/v1/lists", { token: reader.token });
    expect(list.status).toBe(403);
    const create = await call(instance, "POST", "/api/v1/lists", {
      token: reader.token,
      body: { title: "no" },
    });
    expect(create.status).toBe(403);
  });
});
