// masto.js, a third-party client, on quotes with their approval policy and on Mastodon's admin API,
// against a real server on 127.0.0.1: what apps such as Elk and admin dashboards call, as they call it.
import { createRestAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localUser } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";

let instance: ServedInstance;
let admin: mastodon.rest.Client;
let alice: mastodon.rest.Client;
let bob: mastodon.rest.Client;
let aliceId: string;
let bobId: string;
let aliceToken: string;

const clientFor = (token: string) => createRestAPIClient({ url: instance.url, accessToken: token });
/** The HTTP status a masto.js call failed with (it throws MastoHttpError). */
const failure = async (call: PromiseLike<unknown>) =>
  await Promise.resolve(call).then(
    () => 0,
    (error: { statusCode?: number }) => error.statusCode ?? -1,
  );

beforeAll(async () => {
  instance = await serveTestInstance();
  const a = await localUser(instance, "alice");
  const b = await localUser(instance, "bob");
  const m = await localUser(instance, "moderator", {
    admin: true,
    scopes: "read write follow admin:read admin:write",
  });
  [alice, bob, admin] = [clientFor(a.token), clientFor(b.token), clientFor(m.token)];
  aliceId = a.account.id;
  aliceToken = a.token;
  bobId = b.account.id;
}, 60_000);
afterAll(async () => {
  await instance?.close();
});

describe("masto.js on quotes", () => {
  it("quotes by the post's policy, lists the quote, notifies, and lets the author revoke it", async () => {
    const original = await alice.v1.statuses.create({
      status: "a lighthouse at dusk",
      quoteApprovalPolicy: "followers",
    });
    expect(original.quoteApproval).toMatchObject({ automatic: ["followers"] });
    // bob does not follow alice yet: her policy refuses him.
    expect(
      await failure(bob.v1.statuses.create({ status: "no", quotedStatusId: original.id })),
    ).toBe(422);
    await bob.v1.accounts.$select(aliceId).follow();
    const quote = await bob.v1.statuses.create({ status: "yes", quotedStatusId: original.id });
    expect(quote.quote).toMatchObject({ state: "accepted", quotedStatus: { id: original.id } });

    const quotes = await alice.v1.statuses.$select(original.id).quotes.list();
    expect(quotes.map((s) => s.id)).toEqual([quote.id]);
    const told = await alice.v1.notifications.list({ types: ["quote"] });
    expect(told.map((n) => [n.type, n.account.id])).toEqual([["quote", bobId]]);

    // masto.js 7.12 has no method for it yet: the request it would send.
    const res = await fetch(
      new URL(`/api/v1/statuses/${original.id}/quotes/${quote.id}/revoke`, instance.url),
      { method: "POST", headers: { Authorization: `Bearer ${aliceToken}` } },
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { quote: { state: string } }).quote.state).toBe("revoked");
    const seen = await bob.v1.statuses.$select(quote.id).fetch();
    expect(seen.quote?.state).toBe("revoked");
  });
});

describe("masto.js on the admin API", () => {
  it("finds accounts, acts on a report, and undoes the action", async () => {
    const local = await admin.v1.admin.accounts.list({ local: true, limit: 10 });
    expect(local.map((a) => a.username).sort()).toEqual(["alice", "bob", "moderator"]);

    const post = await bob.v1.statuses.create({ status: "something rude" });
    const report = await alice.v1.reports.create({
      accountId: bobId,
      statusIds: [post.id],
      comment: "rude",
    });
    const open = await admin.v1.admin.reports.list({ resolved: false });
    expect(open.map((r) => r.id)).toContain(report.id);
    const assigned = await admin.v1.admin.reports.$select(report.id).assignToSelf();
    expect(assigned.assignedAccount?.username).toBe("moderator");

    await admin.v1.admin.accounts
      .$select(bobId)
      .action.create({ type: "silence", reportId: report.id, text: "be kind" });
    const silenced = await admin.v1.admin.accounts.$select(bobId).fetch();
    expect(silenced.silenced).toBe(true);
    const resolved = await admin.v1.admin.reports.$select(report.id).fetch();
    expect(resolved.actionTaken).toBe(true);
    // bob was told why, as a moderation warning.
    const warned = await bob.v1.notifications.list();
    expect(warned.map((n) => n.type)).toContain("moderation_warning");

    const unsilenced = await admin.v1.admin.accounts.$select(bobId).unsilence();
    expect(unsilenced.silenced).toBe(false);
    const reopened = await admin.v1.admin.reports.$select(report.id).reopen();
    expect(reopened.actionTaken).toBe(false);
  });

  it("blocks and unblocks a domain, and refuses an account without admin scopes", async () => {
    const block = await admin.v1.admin.domainBlocks.create({
      domain: "spam.example",
      severity: "suspend",
    });
    expect(block).toMatchObject({ domain: "spam.example", severity: "suspend" });
    const listed = await admin.v1.admin.domainBlocks.list();
    expect(listed.map((b) => b.domain)).toContain("spam.example");
    await admin.v1.admin.domainBlocks.$select(block.id).remove();
    expect((await admin.v1.admin.domainBlocks.list()).map((b) => b.domain)).not.toContain(
      "spam.example",
    );
    expect(await failure(alice.v1.admin.accounts.list())).toBe(403);
  });
});
