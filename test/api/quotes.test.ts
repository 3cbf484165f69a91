// Quote posts through the client API, as Mastodon 4.5: quoted_status_id and quote_approval_policy on
// create and edit, the Quote / ShallowQuote entities with their states, quote_approval, the quotes of a
// status and their revocation.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { call, follow, localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

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
const show = async (id: string, as: User | null) =>
  await call(instance, "GET", `/api/v1/statuses/${id}`, as ? { token: as.token } : {});

describe("quote posts through the client API", () => {
  it("a quote of a public post is accepted and shows the quoted status, with its approval", async () => {
    const original = await post(alice, { status: "teacups", visibility: "public" });
    expect(original.status).toBe(200);
    expect(original.json.quote).toBeNull();
    expect(original.json.quote_approval).toEqual({
      automatic: ["public"],
      manual: [],
      current_user: "automatic",
    });
    const quote = await post(bob, { status: "look at this", quoted_status_id: original.json.id });
    expect(quote.status).toBe(200);
    const s = E.expectEntity(E.Status, quote.json);
    expect(s.quote).toMatchObject({ state: "accepted" });
    expect(quote.json.quote.quoted_status.id).toBe(original.json.id);
    // Servers that do not read `quote` see the link in the text, as Mastodon writes it.
    expect(quote.json.content).toContain("RE: <a href=");
    // Anonymous viewers see the quote too, and cannot quote.
    const anonymous = await show(quote.json.id, null);
    expect(anonymous.json.quote.quoted_status.quote_approval.current_user).toBe("unknown");
  });

  it("a quote inside a quote is shown by id only (ShallowQuote)", async () => {
    const first = await post(alice, { status: "one" });
    const second = await post(bob, { status: "two", quoted_status_id: first.json.id });
    const third = await post(carol, { status: "three", quoted_status_id: second.json.id });
    const s = E.expectEntity(E.Status, third.json);
    expect(s.quote).toBeTruthy();
    expect(third.json.quote.quoted_status.id).toBe(second.json.id);
    expect(third.json.quote.quoted_status.quote).toEqual({
      state: "accepted",
      quoted_status_id: first.json.id,
    });
  });

  it("honours quote_approval_policy: nobody, followers, and never for followers-only posts", async () => {
    const closed = await post(alice, { status: "mine", quote_approval_policy: "nobody" });
    expect(closed.json.quote_approval).toEqual({
      automatic: [],
      manual: [],
      current_user: "automatic",
    });
    expect((await show(closed.json.id, bob)).json.quote_approval.current_user).toBe("denied");
    const refused = await post(bob, { status: "no", quoted_status_id: closed.json.id });
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatch(/not allowed to be quoted/);
    // The author may always quote their own post.
    expect((await post(alice, { status: "me", quoted_status_id: closed.json.id })).status).toBe(
      200,
    );

    const followers = await post(alice, { status: "f", quote_approval_policy: "followers" });
    expect(followers.json.quote_approval.automatic).toEqual(["followers"]);
    expect((await post(carol, { status: "x", quoted_status_id: followers.json.id })).status).toBe(
      422,
    );
    await follow(instance, carol.account, alice.account);
    expect((await show(followers.json.id, carol)).json.quote_approval.current_user).toBe(
      "automatic",
    );
    expect((await post(carol, { status: "x", quoted_status_id: followers.json.id })).status).toBe(
      200,
    );

    await follow(instance, bob.account, alice.account);
    const priv = await post(alice, { status: "p", visibility: "private" });
    expect(priv.json.quote_approval.automatic).toEqual([]);
    expect((await post(bob, { status: "y", quoted_status_id: priv.json.id })).status).toBe(422);

    const bad = await post(alice, { status: "z", quote_approval_policy: "everyone" });
    expect(bad.status).toBe(422);
    // A post one may not see cannot be quoted, and says nothing of its existence.
    const direct = await post(alice, { status: "d", visibility: "direct" });
    expect((await post(carol, { status: "w", quoted_status_id: direct.json.id })).status).toBe(404);
  });

  it("a quoted post the viewer may not see, or that is gone, is not shown", async () => {
    const original = await post(alice, { status: "seen" });
    const quote = await post(bob, { status: "q", quoted_status_id: original.json.id });
    const block = await call(instance, "POST", `/api/v1/accounts/${carol.account.id}/block`, {
      token: alice.token,
    });
    expect(block.status).toBe(200);
    const asCarol = await show(quote.json.id, carol);
    expect(asCarol.status).toBe(200);
    expect(asCarol.json.quote).toEqual({ state: "unauthorized", quoted_status: null });
    const deleted = await call(instance, "DELETE", `/api/v1/statuses/${original.json.id}`, {
      token: alice.token,
    });
    expect(deleted.status).toBe(200);
    expect((await show(quote.json.id, bob)).json.quote).toEqual({
      state: "deleted",
      quoted_status: null,
    });
  });

  it("lists the quotes of a status by page and lets its author revoke one", async () => {
    const original = await post(alice, { status: "quoted often" });
    const ids: string[] = [];
    for (const who of [bob, carol, bob]) {
      ids.push((await post(who, { status: "q", quoted_status_id: original.json.id })).json.id);
    }
    const first = await call(
      instance,
      "GET",
      `/api/v1/statuses/${original.json.id}/quotes?limit=2`,
      {
        token: carol.token,
      },
    );
    expect(first.status).toBe(200);
    expect(first.json.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[1]]);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get("link") ?? "")?.[1];
    expect(next).toBeDefined();
    const second = await call(instance, "GET", new URL(next!).pathname + new URL(next!).search, {
      token: carol.token,
    });
    expect(second.json.map((s: { id: string }) => s.id)).toEqual([ids[0]]);

    // Only the quoted post's author may revoke.
    const notTheirs = await call(
      instance,
      "POST",
      `/api/v1/statuses/${original.json.id}/quotes/${ids[0]}/revoke`,
      { token: carol.token },
    );
    expect(notTheirs.status).toBe(404);
    const revoked = await call(
      instance,
      "POST",
      `/api/v1/statuses/${original.json.id}/quotes/${ids[0]}/revoke`,
      { token: alice.token },
    );
    expect(revoked.status).toBe(200);
    expect(revoked.json.id).toBe(ids[0]);
    expect(revoked.json.quote).toEqual({ state: "revoked", quoted_status: null });
    expect((await show(ids[0]!, bob)).json.quote.state).toBe("revoked");
    const after = await call(instance, "GET", `/api/v1/statuses/${original.json.id}/quotes`, {});
    expect(after.json.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[1]]);
  });

  it("refuses to schedule a quote it could not publish, and schedules an allowed one", async () => {
    const closed = await post(alice, { status: "closed", quote_approval_policy: "nobody" });
    const open = await post(alice, { status: "open" });
    const at = new Date(Date.now() + 15 * 60_000).toISOString();
    const refused = await post(bob, {
      status: "s",
      quoted_status_id: closed.json.id,
      scheduled_at: at,
    });
    expect(refused.status).toBe(422);
    const scheduled = await post(bob, {
      status: "s",
      quoted_status_id: open.json.id,
      scheduled_at: at,
    });
    expect(scheduled.status).toBe(200);
    expect(scheduled.json.scheduled_at).toBeDefined();
  });

  it("an edit changes the policy, drops the quote or quotes another post", async () => {
    const a = await post(alice, { status: "a" });
    const b = await post(alice, { status: "b" });
    const mine = await post(bob, { status: "mine", quoted_status_id: a.json.id });
    const edit = async (body: Record<string, unknown>) =>
      await call(instance, "PUT", `/api/v1/statuses/${mine.json.id}`, { token: bob.token, body });
    const kept = await edit({ status: "still mine", quote_approval_policy: "nobody" });
    expect(kept.status).toBe(200);
    expect(kept.json.quote.quoted_status.id).toBe(a.json.id);
    expect(kept.json.quote_approval.automatic).toEqual([]);
    expect((await post(carol, { status: "c", quoted_status_id: mine.json.id })).status).toBe(422);
    const moved = await edit({ status: "now b", quoted_status_id: b.json.id });
    expect(moved.json.quote.quoted_status.id).toBe(b.json.id);
    const dropped = await edit({ status: "alone", quoted_status_id: null });
    expect(dropped.json.quote).toBeNull();
    expect(dropped.json.content).not.toContain("RE:");
  });
});

describe("remixes are quotes", () => {
  it("refuses a remix of a post whose author does not allow quotes, and publishes an allowed one as a quote", async () => {
    await instance.deps.start();
    const job = await call(instance, "POST", "/api/v1/atelier/generations", {
      token: alice.token,
      body: { prompt: "a lighthouse at dusk", n: 1, seed: 7, size: "512x512" },
    });
    expect(job.status).toBe(202);
    await instance.deps.generation.idle();
    const polled = await call(instance, "GET", `/api/v1/atelier/generations/${job.json.id}`, {
      token: alice.token,
    });
    const image = polled.json.candidates[0].id as string;
    const source = await post(alice, {
      status: "made this",
      media_ids: [image],
      quote_approval_policy: "nobody",
    });
    expect(source.status).toBe(200);
    const remix = async (as: User) =>
      await call(instance, "POST", "/api/v1/atelier/generations", {
        token: as.token,
        body: { remix_of_status_id: source.json.id, seed: 8, size: "512x512" },
      });
    const refused = await remix(bob);
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatch(/does not allow quotes/);
    // Its author may remix their own post; once quotes are allowed, so may bob.
    expect((await remix(alice)).status).toBe(202);
    const opened = await call(instance, "PUT", `/api/v1/statuses/${source.json.id}`, {
      token: alice.token,
      body: { status: "made this", quote_approval_policy: "public" },
    });
    expect(opened.status).toBe(200);
    const allowed = await remix(bob);
    expect(allowed.status).toBe(202);
    await instance.deps.generation.idle();
    const done = await call(instance, "GET", `/api/v1/atelier/generations/${allowed.json.id}`, {
      token: bob.token,
    });
    const remixed = await post(bob, { status: "my take", media_ids: [done.json.candidates[0].id] });
    expect(remixed.status).toBe(200);
    expect(remixed.json.quote.state).toBe("accepted");
    expect(remixed.json.quote.quoted_status.id).toBe(source.json.id);
    expect(remixed.json.content).toContain("Remix of");
  });
});
