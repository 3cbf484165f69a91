// Corpus posts that concern the local user, through the real signed inbox: followers-only and direct
// posts (visible to the follower or the mentioned user, to nobody else), replies to alice's status and
// quotes of it. The local side is set up as the manifest implies: alice's status stands for LOCAL-1,
// bob follows mira (accepted by a signed Accept from mira's server), carol neither follows nor is named.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docsIn } from "../helpers/corpus-coverage.ts";
import {
  type CorpusHarness,
  deliverAndShow,
  expectNotification,
  expectStatus,
  type LocalUser,
  startCorpusHarness,
} from "../helpers/corpus-harness.ts";
import type { Loose } from "../helpers/corpus-servers.ts";
import { waitFor } from "../helpers/federation.ts";

const MIRA = "https://mastodon.example/users/mira";
let h: CorpusHarness;
let bob: LocalUser;
let carol: LocalUser;

beforeAll(async () => {
  h = await startCorpusHarness({ measureRemoteMedia: false });
  bob = await h.user("bob");
  carol = await h.user("carol");
  const mira = await h.resolveAccount(MIRA);
  const followed = await h.api(`/api/v1/accounts/${mira.id}/follow`, { as: bob, method: "POST" });
  expect(followed.json.requested).toBe(true);
  // The Follow reaches mira's server, which answers with a signed Accept.
  const follow = await waitFor("bob's Follow at mira's server", () =>
    h.servers.received.find((r) => r.json?.type === "Follow" && r.json.actor === bob.account.iri),
  );
  const accepted = await h.servers.deliverJson(
    {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${MIRA}#accepts/follows/bob`,
      type: "Accept",
      actor: MIRA,
      object: follow.json,
    },
    MIRA,
    h.instance.deps.urls.sharedInbox(),
  );
  expect(accepted.status).toBe(202);
  await waitFor("bob following mira", async () => {
    const r = await h.api(`/api/v1/accounts/relationships?id[]=${mira.id}`, { as: bob });
    return r.json[0]?.following === true;
  });
}, 60_000);
afterAll(() => h?.close());

/** Who may see a status, as the statuses API answers each of them. */
async function visibleTo(statusId: string): Promise<Record<string, number>> {
  const as: Record<string, LocalUser | null> = { alice: h.alice, bob, carol, anonymous: null };
  const out: Record<string, number> = {};
  for (const [name, user] of Object.entries(as)) {
    out[name] = (await h.api(`/api/v1/statuses/${statusId}`, { as: user })).status;
  }
  return out;
}

const handled = new Set<string>();
const check = (file: string, body: (doc: Loose) => Promise<void>) =>
  it(file, async () => {
    const doc = docsIn("addressed").find((d) => d.file === file)!;
    handled.add(file);
    await body(doc);
  });

describe("corpus posts addressed to or about the local user", () => {
  check("mastodon/create-note-followers-only.json", async (doc) => {
    const got = await deliverAndShow(h, doc);
    await expectStatus(h, doc, got);
    // Mentioned alice and following bob see it; carol and the public do not.
    expect(await visibleTo(got.id)).toEqual({ alice: 200, bob: 200, carol: 404, anonymous: 404 });
    await expectNotification(h, doc.expect.notification, got.id);
    const home = await h.api("/api/v1/timelines/home", { as: bob });
    expect(home.json.map((s: Loose) => s.id)).toContain(got.id);
    const local = await h.api("/api/v1/timelines/public", { as: carol });
    expect(local.json.map((s: Loose) => s.id)).not.toContain(got.id);
  });

  check("mastodon/create-note-direct.json", async (doc) => {
    const got = await deliverAndShow(h, doc);
    await expectStatus(h, doc, got);
    // Only the addressed alice; following mira is not enough.
    expect(await visibleTo(got.id)).toEqual({ alice: 200, bob: 404, carol: 404, anonymous: 404 });
    await expectNotification(h, doc.expect.notification, got.id);
  });

  for (const file of [
    "mastodon/create-note-reply.json",
    "gotosocial/create-note-reply-approved.json",
  ]) {
    check(file, async (doc) => {
      const before = (await h.api(`/api/v1/statuses/${h.aliceStatus.id}`)).json.replies_count;
      const got = await deliverAndShow(h, doc);
      await expectStatus(h, doc, got);
      expect(got.in_reply_to_id).toBe(h.aliceStatus.id);
      expect(got.in_reply_to_account_id).toBe(h.alice.account.id);
      await expectNotification(h, doc.expect.notification, got.id);
      const context = await h.api(`/api/v1/statuses/${h.aliceStatus.id}/context`);
      expect(context.json.descendants.map((s: Loose) => s.id)).toContain(got.id);
      const after = (await h.api(`/api/v1/statuses/${h.aliceStatus.id}`)).json.replies_count;
      expect(after).toBe(before + 1);
    });
  }

  for (const file of [
    "mastodon/create-note-quote.json",
    "misskey/create-note-quote-empty-cw.json",
    "hollo/create-note-quote-language.json",
  ]) {
    check(file, async (doc) => {
      const got = await deliverAndShow(h, doc);
      await expectStatus(h, doc, got);
      expect(got.quote.quoted_status.id).toBe(h.aliceStatus.id);
      // The quoted status inside carries its own approval: alice's public post, quotable by anyone.
      const anonymous = await h.api(`/api/v1/statuses/${got.id}`, { as: null });
      expect(anonymous.json.quote.quoted_status.quote_approval).toEqual({
        automatic: ["public"],
        manual: [],
        current_user: "unknown",
      });
      // Signed in, carol (who follows nobody) may quote it at once.
      const asCarol = await h.api(`/api/v1/statuses/${got.id}`, { as: carol });
      expect(asCarol.json.quote.quoted_status.quote_approval.current_user).toBe("automatic");
    });
  }

  it("handled every document of its category", () => {
    expect([...handled].sort()).toEqual(
      docsIn("addressed")
        .map((d) => d.file)
        .sort(),
    );
  });
});
