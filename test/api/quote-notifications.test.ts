// Mastodon 4.5's notifications about quotes and edits, as a client reads them: `quote` to the quoted
// post's author, `quoted_update` to the authors of quotes of an edited post, `update` to its boosters.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { call, localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let instance: TestInstance;
let alice: Awaited<ReturnType<typeof localUser>>;
let bob: Awaited<ReturnType<typeof localUser>>;
let carol: Awaited<ReturnType<typeof localUser>>;
beforeEach(async () => {
  instance = await createTestInstance();
  alice = await localUser(instance, "alice");
  bob = await localUser(instance, "bob");
  carol = await localUser(instance, "carol");
});
afterEach(() => instance.close());

type User = typeof alice;
const post = async (as: User, body: Record<string, unknown>) =>
  await call(instance, "POST", "/api/v1/statuses", { token: as.token, body });
const edit = async (as: User, id: string, body: Record<string, unknown>) =>
  await call(instance, "PUT", `/api/v1/statuses/${id}`, { token: as.token, body });
/** What `as` was told, oldest first: type, from whom, about which status. */
const told = async (as: User) => {
  const res = await call(instance, "GET", "/api/v1/notifications", { token: as.token });
  expect(res.status).toBe(200);
  return (res.json as { type: string; account: { acct: string }; status?: { id: string } }[])
    .map((n) => [n.type, n.account.acct, n.status?.id])
    .reverse();
};

describe("notifications about quotes and edits", () => {
  it("tells the quoted author once, and the quoter and booster when the quoted post is edited", async () => {
    const original = await post(alice, { status: "teacups", visibility: "public" });
    const quote = await post(bob, { status: "look", quoted_status_id: original.json.id });
    expect(quote.json.quote.state).toBe("accepted");
    const boost = await call(instance, "POST", `/api/v1/statuses/${original.json.id}/reblog`, {
      token: carol.token,
    });
    expect(boost.status).toBe(200);
    // bob edits his quote: no second `quote` for alice.
    expect((await edit(bob, quote.json.id, { status: "look again" })).status).toBe(200);
    expect(await told(alice)).toEqual([
      ["quote", "bob", quote.json.id],
      ["reblog", "carol", original.json.id],
    ]);

    expect((await edit(alice, original.json.id, { status: "teacups, edited" })).status).toBe(200);
    // bob reads the edit in his quote; carol in the status she boosted.
    expect(await told(bob)).toEqual([["quoted_update", "alice", quote.json.id]]);
    expect(await told(carol)).toEqual([["update", "alice", original.json.id]]);
    expect(await told(alice)).toHaveLength(2);
  });

  it("tells nobody of a quote that was not accepted, and of their own quote", async () => {
    const closed = await post(alice, { status: "mine only", quote_approval_policy: "nobody" });
    const refused = await post(bob, { status: "try", quoted_status_id: closed.json.id });
    expect(refused.status).toBe(422);
    const open = await post(alice, { status: "open" });
    expect((await post(alice, { status: "me", quoted_status_id: open.json.id })).status).toBe(200);
    expect(await told(alice)).toEqual([]);
  });

  it("filters `types[]=quote` and `exclude_types[]=quoted_update` as Mastodon does", async () => {
    const original = await post(alice, { status: "teacups" });
    const quote = await post(bob, { status: "look", quoted_status_id: original.json.id });
    await edit(alice, original.json.id, { status: "teacups!" });
    const only = await call(instance, "GET", "/api/v1/notifications?types[]=quote", {
      token: alice.token,
    });
    expect(only.json.map((n: { type: string }) => n.type)).toEqual(["quote"]);
    const none = await call(
      instance,
      "GET",
      "/api/v1/notifications?exclude_types[]=quoted_update",
      {
        token: bob.token,
      },
    );
    expect(none.json).toEqual([]);
    const grouped = await call(instance, "GET", "/api/v2/notifications", { token: bob.token });
    expect(grouped.json.notification_groups.map((g: { type: string }) => g.type)).toEqual([
      "quoted_update",
    ]);
    expect(grouped.json.statuses.map((s: { id: string }) => s.id)).toContain(quote.json.id);
  });
});
