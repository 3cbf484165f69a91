// The one visibility rule (db/queries/visibility.ts) through the client API: blocks hide in both
// directions and refuse replies, remixes and reported posts across them; a domain blocked after its
// statuses were stored hides them and its accounts; the rule is the same for a status and a list.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { blockDomain, unblockDomain } from "../../src/domain/moderation.ts";
import { call, localUser, media, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

const ids = (json: unknown) => (json as { id: string }[]).map((s) => s.id);

describe("one visibility rule", () => {
  it("hides a status across a block both ways, and refuses a reply, a remix and a report of it", async () => {
    const alice = await localUser(instance, "alice");
    const bob = await localUser(instance, "bob");
    const post = await status(instance, bob.account, { visibility: "public" });
    await media(instance, bob.account, post.id, {
      provenance: {
        digitalSourceType: "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
        provider: "local",
        model: "atelier-local-1",
        prompt: "a lighthouse",
      },
    });
    const blocked = await call(instance, "POST", `/api/v1/accounts/${alice.account.id}/block`, {
      token: bob.token,
    });
    expect(blocked.status).toBe(200);

    // The blocked one may not see it, nor reply to it, remix it or name it in a report (Mastodon
    // answers a reply to an unseen status 404, and reports only what the reporter may see).
    const seen = await call(instance, "GET", `/api/v1/statuses/${post.id}`, { token: alice.token });
    expect(seen.status).toBe(404);
    const reply = await call(instance, "POST", "/api/v1/statuses", {
      token: alice.token,
      body: { status: "hi", in_reply_to_id: post.id },
    });
    expect(reply.status).toBe(404);
    const remix = await call(instance, "POST", "/api/v1/atelier/generations", {
      token: alice.token,
      body: { remix_of_status_id: post.id },
    });
    expect(remix.status).toBe(404);
    const report = await call(instance, "POST", "/api/v1/reports", {
      token: alice.token,
      body: { account_id: bob.account.id, status_ids: [post.id] },
    });
    expect(report.status).toBe(422);
    // Reporting the account itself stays possible.
    const accountReport = await call(instance, "POST", "/api/v1/reports", {
      token: alice.token,
      body: { account_id: bob.account.id },
    });
    expect(accountReport.status).toBe(200);

    // The blocker may not reply to (nor remix) a status of the one they blocked either.
    const hers = await status(instance, alice.account, { visibility: "public" });
    const back = await call(instance, "POST", "/api/v1/statuses", {
      token: bob.token,
      body: { status: "hi", in_reply_to_id: hers.id },
    });
    expect(back.status).toBe(404);
    // Reporting someone you blocked, with their posts, is what blocking users do: allowed.
    const blockerReport = await call(instance, "POST", "/api/v1/reports", {
      token: bob.token,
      body: { account_id: alice.account.id, status_ids: [hers.id] },
    });
    expect(blockerReport.status).toBe(200);
  });

  it("drops the mention of an account the author blocked, as Mastodon", async () => {
    const alice = await localUser(instance, "alice");
    const bob = await localUser(instance, "bob");
    await localUser(instance, "carol");
    await call(instance, "POST", `/api/v1/accounts/${bob.account.id}/block`, {
      token: alice.token,
    });
    const posted = await call(instance, "POST", "/api/v1/statuses", {
      token: alice.token,
      body: { status: "hello @bob and @carol" },
    });
    expect(posted.status).toBe(200);
    const mentioned = (posted.json.mentions as { acct: string }[]).map((m) => m.acct);
    expect(mentioned).toEqual(["carol"]);
  });

  it("hides the statuses and accounts of a domain blocked after they were stored, until unblocked", async () => {
    const alice = await localUser(instance, "alice");
    const remote = await remoteAccount(instance, "eve", "evil.example");
    const sub = await remoteAccount(instance, "mallory", "sub.evil.example");
    const post = await status(instance, remote, { visibility: "public" });
    const subPost = await status(instance, sub, { visibility: "public" });
    const visible = async () => {
      const timeline = await call(instance, "GET", "/api/v1/timelines/public", {
        token: alice.token,
      });
      const one = await call(instance, "GET", `/api/v1/statuses/${post.id}`, {
        token: alice.token,
      });
      const account = await call(instance, "GET", `/api/v1/accounts/${remote.id}`);
      return {
        timeline: ids(timeline.json).filter((id) => id === post.id || id === subPost.id),
        status: one.status,
        // A suspended account answers as Mastodon's: its name and `suspended`, nothing of its profile.
        suspended: account.json.suspended === true,
      };
    };
    expect(await visible()).toEqual({
      timeline: [subPost.id, post.id],
      status: 200,
      suspended: false,
    });

    await blockDomain(instance.deps.db, "evil.example");
    expect(await visible()).toEqual({ timeline: [], status: 404, suspended: true });
    const anonymous = await call(instance, "GET", `/api/v1/statuses/${post.id}`);
    expect(anonymous.status).toBe(404);

    await unblockDomain(instance.deps.db, "evil.example");
    expect(await visible()).toEqual({
      timeline: [subPost.id, post.id],
      status: 200,
      suspended: false,
    });
  });

  it("keeps an account suspended for another reason suspended when its domain is unblocked", async () => {
    const gone = await remoteAccount(instance, "gone", "evil.example", {
      suspendedAt: new Date(1000),
    });
    await blockDomain(instance.deps.db, "evil.example");
    await unblockDomain(instance.deps.db, "evil.example");
    const account = await call(instance, "GET", `/api/v1/accounts/${gone.id}`);
    expect(account.json.suspended).toBe(true);
  });
});
