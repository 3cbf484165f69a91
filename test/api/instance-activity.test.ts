// The instance's public figures through masto.js: weekly activity counted from real statuses,
// sign-ins and registrations, known peers, and the blocked domains with Mastodon's digest and severity,
// shown to whom SHOW_DOMAIN_BLOCKS and SHOW_DOMAIN_BLOCK_REASONS say.
import { createHash } from "node:crypto";
import { createRestAPIClient } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockDomain } from "../../src/domain/moderation.ts";
import { recordSignIn, weekStart } from "../../src/domain/sessions.ts";
import { call, localUser, remoteAccount, status } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";

const WEEK = 7 * 24 * 3600 * 1000;
let instance: ServedInstance;
let token: string;

beforeAll(async () => {
  instance = await serveTestInstance({ SHOW_DOMAIN_BLOCK_REASONS: "all" });
  const alice = await localUser(instance, "alice");
  const bob = await localUser(instance, "bob");
  token = alice.token;
  await status(instance, alice.account);
  await status(instance, bob.account);
  // Two weeks ago: one post, one sign-in (twice: a user counts once per week).
  await status(instance, alice.account, { createdAt: new Date(Date.now() - 2 * WEEK) });
  await recordSignIn(instance.deps.db, alice.account.id, new Date(Date.now() - 2 * WEEK));
  await recordSignIn(instance.deps.db, alice.account.id, new Date(Date.now() - 2 * WEEK + 1000));
  await recordSignIn(instance.deps.db, bob.account.id);
  // A remote post counts in nothing.
  await status(instance, await remoteAccount(instance, "carol", "peer.example"));
  await blockDomain(instance.deps.db, "spam.example", { publicComment: "Spam waves" });
});
afterAll(() => instance.close());

describe("instance activity, peers and domain blocks", () => {
  it("counts 12 weeks of local statuses, logins and registrations, the current week first", async () => {
    const client = createRestAPIClient({ url: instance.url });
    const weeks = await client.v1.instance.activity.list();
    expect(weeks).toHaveLength(12);
    const monday = weekStart(new Date());
    expect(weeks[0]!.week).toBe(String(monday.getTime() / 1000));
    expect(Number(weeks[1]!.week)).toBe((monday.getTime() - WEEK) / 1000);
    // This week: two posts, bob's sign-in, both registrations.
    expect(weeks[0]).toMatchObject({ statuses: "2", logins: "1", registrations: "2" });
    expect(weeks[2]).toMatchObject({ statuses: "1", logins: "1", registrations: "0" });
    expect(weeks[5]).toMatchObject({ statuses: "0", logins: "0", registrations: "0" });
  });

  it("lists known peers", async () => {
    const peers = await createRestAPIClient({ url: instance.url }).v1.instance.peers.list();
    expect(peers).toContain("peer.example");
  });

  it("shows the blocked domains to signed-in users only, by default, with digest and severity", async () => {
    expect((await call(instance, "GET", "/api/v1/instance/domain_blocks")).status).toBe(401);
    const client = createRestAPIClient({ url: instance.url, accessToken: token });
    const blocks = await client.v1.instance.domainBlocks.fetch();
    expect(blocks).toEqual([
      {
        domain: "spam.example",
        digest: createHash("sha256").update("spam.example").digest("hex"),
        severity: "suspend",
        comment: "Spam waves",
      },
    ]);
  });

  it("answers 404 when the list is not published, and leaves reasons out unless asked", async () => {
    const closed = await serveTestInstance({ SHOW_DOMAIN_BLOCKS: "disabled" });
    const open = await serveTestInstance({ SHOW_DOMAIN_BLOCKS: "all" });
    try {
      await blockDomain(open.deps.db, "spam.example", { publicComment: "private note" });
      expect((await call(closed, "GET", "/api/v1/instance/domain_blocks")).status).toBe(404);
      const res = await call(open, "GET", "/api/v1/instance/domain_blocks");
      expect(res.status).toBe(200);
      expect(res.json).toEqual([
        expect.objectContaining({ domain: "spam.example", severity: "suspend" }),
      ]);
      expect(res.json[0]).not.toHaveProperty("comment");
    } finally {
      await closed.close();
      await open.close();
    }
  });
});
