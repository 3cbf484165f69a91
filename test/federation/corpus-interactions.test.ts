// Corpus interactions through the real signed inbox, checked as alice sees them in the client API:
// follows (answered with an Accept signed by alice's key) and their undos, likes (Misskey's carrying a
// reaction), emoji reactions, boosts and their undos, the answers to alice's own Follow, a Block of her
// and a Flag (a report). A document whose `after` names others runs after them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { issueAccessToken } from "../../src/domain/oauth.ts";
import { docsIn } from "../helpers/corpus-coverage.ts";
import {
  type CorpusHarness,
  doc,
  expectNotification,
  startCorpusHarness,
} from "../helpers/corpus-harness.ts";
import type { CorpusDoc, Loose } from "../helpers/corpus-servers.ts";
import { waitFor } from "../helpers/federation.ts";

let h: CorpusHarness;
beforeAll(async () => {
  h = await startCorpusHarness({ measureRemoteMedia: false });
}, 60_000);
afterAll(() => h?.close());

const handled = new Set<string>();
async function deliver(file: string): Promise<CorpusDoc> {
  const d = doc(file);
  for (const first of d.after ?? []) expect(handled).toContain(first);
  const res = await h.deliver(file);
  expect(res.status).toBe(202);
  handled.add(file);
  return d;
}
const ids = async (path: string): Promise<string[]> => {
  const res = await h.api(path);
  expect(res.status).toBe(200);
  return (res.json as Loose[]).map((a) => a.id);
};
const aliceStatus = async () => (await h.api(`/api/v1/statuses/${h.aliceStatus.id}`)).json;
const relationship = async (accountId: string) =>
  (await h.api(`/api/v1/accounts/relationships?id[]=${accountId}`)).json[0];
const followers = () => ids(`/api/v1/accounts/${h.alice.account.id}/followers`);
const favouritedBy = () => ids(`/api/v1/statuses/${h.aliceStatus.id}/favourited_by`);
const rebloggedBy = () => ids(`/api/v1/statuses/${h.aliceStatus.id}/reblogged_by`);
const ofEffect = (effect: string) =>
  docsIn("interactions")
    .filter((d) => d.expect.effect === effect)
    .map((d) => [d.file, d] as const);

describe("corpus interactions with alice and her status", () => {
  it.each(ofEffect("follow"))(
    "%s: follows alice and gets an Accept signed by her",
    async (file, d) => {
      await deliver(file);
      expect(h.uri(d.expect.following)).toBe(h.alice.account.iri);
      const follower = await h.resolveAccount(d.expect.follower);
      await waitFor(`${file}: a follower`, async () => (await followers()).includes(follower.id));
      expect((await relationship(follower.id)).followed_by).toBe(true);
      const reply = await waitFor(`${file}: the ${d.expect.reply}`, () =>
        h.servers.received.find(
          (r) =>
            r.json?.type === d.expect.reply &&
            (r.json.object === h.uri(d.id!) || r.json.object?.id === h.uri(d.id!)),
        ),
      );
      expect(reply.json.actor).toBe(h.alice.account.iri);
      expect(reply.keyId?.startsWith(h.alice.account.iri)).toBe(true);
      const notified = await h.notifications("follow");
      expect(notified.map((n) => n.account.id)).toContain(follower.id);
    },
  );

  it.each(ofEffect("unfollow"))("%s: the follower is gone", async (file, d) => {
    await deliver(file);
    const follower = await h.resolveAccount(d.expect.follower);
    await waitFor(`${file}: unfollowed`, async () => !(await followers()).includes(follower.id));
    expect((await relationship(follower.id)).followed_by).toBe(false);
  });

  it.each(ofEffect("favourite"))("%s: favourites alice's status", async (file, d) => {
    const before = (await aliceStatus()).favourites_count;
    const liker = await h.resolveAccount(doc(file).actor!);
    // One favourite per account: Misskey's second reaction by the same actor adds no second one.
    const already = (await favouritedBy()).includes(liker.id);
    await deliver(file);
    expect(h.uri(d.expect.target)).toBe(h.aliceStatus.uri);
    await waitFor(`${file}: favourited`, async () => (await favouritedBy()).includes(liker.id));
    expect((await aliceStatus()).favourites_count).toBe(before + (already ? 0 : 1));
    if (d.expect.notification) await expectNotification(h, d.expect.notification, h.aliceStatus.id);
    if (d.expect.reaction !== undefined) {
      // Misskey's Like with content: a favourite for every client, and the reaction for those that ask.
      // The reaction is stored after the favourite, which a second Like by the same actor found there
      // already: only a handled Like has its reaction.
      await h.settled();
      const reactions = await h.notifications("emoji_reaction");
      const mine = reactions.filter((n) => n.account.id === liker.id).map((n) => n.emoji);
      expect(mine).toContain(d.expect.reaction);
    }
  });

  it.each(ofEffect("unfavourite"))("%s: the favourite is gone", async (file) => {
    const before = (await aliceStatus()).favourites_count;
    await deliver(file);
    const liker = await h.resolveAccount(doc(file).actor!);
    await waitFor(`${file}: unfavourited`, async () => !(await favouritedBy()).includes(liker.id));
    expect((await aliceStatus()).favourites_count).toBe(before - 1);
  });

  it.each(ofEffect("reblog"))("%s: boosts alice's status", async (file, d) => {
    const before = (await aliceStatus()).reblogs_count;
    await deliver(file);
    expect(h.uri(d.expect.target)).toBe(h.aliceStatus.uri);
    const booster = await h.resolveAccount(doc(file).actor!);
    await waitFor(`${file}: boosted`, async () => (await rebloggedBy()).includes(booster.id));
    expect((await aliceStatus()).reblogs_count).toBe(before + 1);
    await expectNotification(h, d.expect.notification, h.aliceStatus.id);
  });

  it.each(ofEffect("unreblog"))("%s: the boost is gone", async (file) => {
    await deliver(file);
    const booster = await h.resolveAccount(doc(file).actor!);
    await waitFor(`${file}: unboosted`, async () => !(await rebloggedBy()).includes(booster.id));
  });

  it.each(ofEffect("emoji-reaction"))("%s: reacts to alice's status", async (file, d) => {
    await deliver(file);
    expect(h.uri(d.expect.target)).toBe(h.aliceStatus.uri);
    const reactor = await h.resolveAccount(doc(file).actor!);
    const reaction = await waitFor(`${file}: the reaction`, async () =>
      (await h.notifications("emoji_reaction")).find(
        (n) => n.account.id === reactor.id && n.emoji === d.expect.reaction,
      ),
    );
    expect(reaction.status.id).toBe(h.aliceStatus.id);
    // Not a favourite: Mastodon-only clients see nothing of it.
    expect(await favouritedBy()).not.toContain(reactor.id);
  });

  it("alice's Follow of mira is accepted, then rejected", async () => {
    const accept = doc("mastodon/accept-follow.json");
    const mira = await h.resolveAccount(accept.expect.following);
    const res = await h.api(`/api/v1/accounts/${mira.id}/follow`, { method: "POST" });
    expect(res.json.requested).toBe(true);
    const follow = await waitFor("alice's Follow at mira's server", () =>
      h.servers.received.find(
        (r) => r.json?.type === "Follow" && r.json.actor === h.alice.account.iri,
      ),
    );
    // The corpus's follows/LOCAL-1 is this Follow.
    h.servers.setLocal({ follow: follow.json.id });
    expect(h.uri(accept.expect.follower)).toBe(h.alice.account.iri);
    await deliver(accept.file);
    await waitFor("following mira", async () => (await relationship(mira.id)).following === true);
    expect((await relationship(mira.id)).requested).toBe(false);
    await deliver("mastodon/reject-follow.json");
    await waitFor(
      "no longer following",
      async () => (await relationship(mira.id)).following === false,
    );
    expect((await relationship(mira.id)).requested).toBe(false);
  });

  it.each(ofEffect("blocked-by-remote"))("%s: alice is blocked by the actor", async (file, d) => {
    const blocker = await h.resolveAccount(d.expect.actor);
    expect(h.uri(d.expect.object)).toBe(h.alice.account.iri);
    await deliver(file);
    await waitFor(`${file}: blocked_by`, async () => (await relationship(blocker.id)).blocked_by);
    // A block ends follows both ways, as on Mastodon.
    const r = await relationship(blocker.id);
    expect([r.following, r.followed_by, r.blocking]).toEqual([false, false, false]);
  });

  it.each(ofEffect("report"))("%s: becomes a report about alice", async (file, d) => {
    // A moderator reads it through Mastodon's admin API, as their tools do.
    const { db, urls } = h.instance.deps;
    const { account } = await createLocalUser(db, urls, {
      username: "moderator",
      password: "moderator-password-long",
      admin: true,
    });
    const token = (
      await issueAccessToken(db, {
        applicationId: null,
        accountId: account.id,
        scopes: ["admin:read"],
      })
    ).accessToken;
    const moderator = { account, token };
    await deliver(file);
    const report = await waitFor(`${file}: the report`, async () => {
      const res = await h.api("/api/v1/admin/reports", { as: moderator });
      expect(res.status).toBe(200);
      return (res.json as Loose[])[0];
    });
    expect(h.uri(d.expect.target)).toBe(h.alice.account.iri);
    expect(report.target_account).toMatchObject({ id: h.alice.account.id, username: "alice" });
    expect(report.target_account.account.acct).toBe("alice");
    expect(report.account.domain).not.toBeNull();
    expect(report.comment).toBe(d.expect.comment);
    expect(report.action_taken).toBe(false);
    expect(d.expect.statuses.map(h.uri)).toEqual([h.aliceStatus.uri]);
    expect(report.statuses.map((s: Loose) => s.id)).toEqual([h.aliceStatus.id]);
  });

  it("handled every document of its category", () => {
    expect([...handled].sort()).toEqual(
      docsIn("interactions")
        .map((d) => d.file)
        .sort(),
    );
  });
});
