// A Follow from an account its target blocked is refused, as Mastodon refuses it: delivered through the
// real signed inbox (Mastodon's wire shape from the corpus), it stores no follow and no notification,
// and the follower's server gets a Reject signed by the target.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CorpusHarness, doc, startCorpusHarness } from "../helpers/corpus-harness.ts";
import type { Loose } from "../helpers/corpus-servers.ts";
import { waitFor } from "../helpers/federation.ts";

let h: CorpusHarness;
beforeAll(async () => {
  h = await startCorpusHarness({ measureRemoteMedia: false });
}, 60_000);
afterAll(() => h?.close());

describe("a Follow from a blocked account", () => {
  it("is answered with a Reject and leaves no follower or notification", async () => {
    const file = "mastodon/follow.json";
    const d = doc(file);
    const follower = await h.resolveAccount(d.expect.follower);
    const blocked = await h.api(`/api/v1/accounts/${follower.id}/block`, { method: "POST" });
    expect(blocked.status).toBe(200);

    expect((await h.deliver(file)).status).toBe(202);
    const reply = await waitFor("the Reject at the follower's server", () =>
      h.servers.received.find(
        (r) =>
          r.json?.type === "Reject" &&
          (r.json.object === h.uri(d.id!) || r.json.object?.id === h.uri(d.id!)),
      ),
    );
    expect(reply.json.actor).toBe(h.alice.account.iri);
    expect(reply.keyId?.startsWith(h.alice.account.iri)).toBe(true);
    expect(h.servers.received.some((r) => r.json?.type === "Accept")).toBe(false);

    const followers = await h.api(`/api/v1/accounts/${h.alice.account.id}/followers`);
    expect((followers.json as Loose[]).map((a) => a.id)).not.toContain(follower.id);
    const relationship = await h.api(`/api/v1/accounts/relationships?id[]=${follower.id}`);
    expect(relationship.json[0]).toMatchObject({ followed_by: false, blocking: true });
    expect(await h.notifications("follow")).toEqual([]);
  });
});
