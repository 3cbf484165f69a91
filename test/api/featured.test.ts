// Pins and featured hashtags through masto.js against a real server on 127.0.0.1: pinning one's own
// posts (and the refusals Mastodon gives), `pinned` on the Status, the account's pinned=true list with
// visibility applied, and featured hashtags with their suggestions and counts.
import { createRestAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../src/db/schema/index.ts";
import { replaceRemoteFeaturedTags } from "../../src/domain/featured-tags.ts";
import {
  boost,
  call,
  follow,
  localUser,
  remoteAccount,
  status,
  times,
} from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";

let instance: ServedInstance;
type User = { account: Account; token: string; client: mastodon.rest.Client };
let alice: User;
let bob: User;

async function user(name: string): Promise<User> {
  const u = await localUser(instance, name);
  return { ...u, client: createRestAPIClient({ url: instance.url, accessToken: u.token }) };
}

/** The thrown masto.js error's HTTP status and message. */
async function failure(promise: Promise<unknown>): Promise<{ status?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { statusCode?: number; message: string };
    return { status: e.statusCode, message: e.message };
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  instance = await serveTestInstance();
  alice = await user("alice");
  bob = await user("bob");
});
afterAll(() => instance.close());

describe("pinned statuses", () => {
  it("pins and unpins one's own post, shown as pinned and listed newest pin first", async () => {
    expect.hasAssertions();
    const first = await status(instance, alice.account);
    const second = await status(instance, alice.account, { visibility: "private" });
    const pinned = await alice.client.v1.statuses.$select(first.id).pin();
    expect(pinned).toMatchObject({ id: first.id, pinned: true });
    await alice.client.v1.statuses.$select(second.id).pin();
    // Pinning twice is harmless.
    await alice.client.v1.statuses.$select(first.id).pin();

    const mine = await alice.client.v1.accounts.$select(alice.account.id).statuses.list({
      pinned: true,
    });
    expect(mine.map((s) => s.id)).toEqual([second.id, first.id]);
    expect(mine.every((s) => s.pinned)).toBe(true);
    const shown = await alice.client.v1.statuses.$select(first.id).fetch();
    expect(shown.pinned).toBe(true);

    // A followers-only pin is listed only for those who may see it.
    const anonymous = await call(
      instance,
      "GET",
      `/api/v1/accounts/${alice.account.id}/statuses?pinned=true`,
    );
    expect((anonymous.json as { id: string }[]).map((s) => s.id)).toEqual([first.id]);
    const forBob = await bob.client.v1.accounts.$select(alice.account.id).statuses.list({
      pinned: true,
    });
    expect(forBob.map((s) => s.id)).toEqual([first.id]);
    // Someone else's pins are not "pinned" for the viewer.
    expect(forBob[0]!.pinned).toBe(false);
    await follow(instance, bob.account, alice.account);
    const asFollower = await bob.client.v1.accounts.$select(alice.account.id).statuses.list({
      pinned: true,
    });
    expect(asFollower.map((s) => s.id)).toEqual([second.id, first.id]);

    const unpinned = await alice.client.v1.statuses.$select(second.id).unpin();
    expect(unpinned.pinned).toBe(false);
    const after = await alice.client.v1.accounts.$select(alice.account.id).statuses.list({
      pinned: true,
    });
    expect(after.map((s) => s.id)).toEqual([first.id]);
    await alice.client.v1.statuses.$select(first.id).unpin();
  });

  it("refuses a sixth pin with Mastodon's message", async () => {
    expect.hasAssertions();
    const posts = await times(6, async () => await status(instance, alice.account));
    for (const p of posts.slice(0, 5)) await alice.client.v1.statuses.$select(p.id).pin();
    const sixth = await failure(alice.client.v1.statuses.$select(posts[5]!.id).pin());
    expect(sixth.status).toBe(422);
    expect(sixth.message).toContain("You have already pinned the maximum number of posts");
    const listed = await alice.client.v1.accounts.$select(alice.account.id).statuses.list({
      pinned: true,
    });
    expect(listed.map((s) => s.id)).toEqual(
      posts
        .slice(0, 5)
        .map((p) => p.id)
        .reverse(),
    );
    for (const p of posts.slice(0, 5)) await alice.client.v1.statuses.$select(p.id).unpin();
  });

  it("refuses someone else's post, a boost and a direct post; an invisible one is unknown", async () => {
    expect.hasAssertions();
    const bobs = await status(instance, bob.account);
    const other = await failure(alice.client.v1.statuses.$select(bobs.id).pin());
    expect(other).toMatchObject({ status: 422 });
    expect(other.message).toContain("Someone else's post cannot be pinned");
    const reblog = await boost(instance, alice.account, bobs);
    const boosted = await failure(alice.client.v1.statuses.$select(reblog.id).pin());
    expect(boosted.status).toBe(422);
    expect(boosted.message).toContain("A boost cannot be pinned");
    const direct = await status(instance, alice.account, { visibility: "direct" });
    const dm = await failure(alice.client.v1.statuses.$select(direct.id).pin());
    expect(dm.status).toBe(422);
    const hidden = await status(instance, bob.account, { visibility: "direct" });
    expect((await failure(alice.client.v1.statuses.$select(hidden.id).pin())).status).toBe(404);
    const listed = await alice.client.v1.accounts.$select(alice.account.id).statuses.list({
      pinned: true,
    });
    expect(listed).toEqual([]);
  });

  it("needs write:accounts to pin", async () => {
    expect.hasAssertions();
    const reader = await localUser(instance, "reader", "read");
    const post = await status(instance, reader.account);
    const res = await call(instance, "POST", `/api/v1/statuses/${post.id}/pin`, {
      token: reader.token,
    });
    expect(res.status).toBe(403);
  });
});

describe("featured hashtags", () => {
  it("features, lists, counts and removes hashtags, with suggestions of one's most used", async () => {
    expect.hasAssertions();
    const carol = await user("carol");
    await status(instance, carol.account, { tags: ["Dusk"] });
    await status(instance, carol.account, { tags: ["dusk", "sea"] });
    await status(instance, carol.account, { tags: ["sea"], visibility: "private" });
    await status(instance, carol.account, { tags: ["dusk"] });

    const suggested = await carol.client.v1.featuredTags.suggestions.list();
    expect(suggested.map((t) => t.name)).toEqual(["Dusk", "sea"]);

    const created = await carol.client.v1.featuredTags.create({ name: "#dusk" });
    expect(created).toMatchObject({ name: "Dusk", statusesCount: "3" });
    expect(created.url).toBe(`${instance.url}/@carol?tab=posts&tagged=dusk`);
    expect(created.lastStatusAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const sea = await carol.client.v1.featuredTags.create({ name: "sea" });
    // Only public and unlisted posts count.
    expect(sea.statusesCount).toBe("1");

    const again = await failure(carol.client.v1.featuredTags.create({ name: "Dusk" }));
    expect(again.status).toBe(422);
    const invalid = await failure(carol.client.v1.featuredTags.create({ name: "no spaces" }));
    expect(invalid.status).toBe(422);

    const mine = await carol.client.v1.featuredTags.list();
    expect(mine.map((t) => t.name)).toEqual(["Dusk", "sea"]);
    expect(await carol.client.v1.featuredTags.suggestions.list()).toEqual([]);
    const theirs = await bob.client.v1.accounts.$select(carol.account.id).featuredTags.list();
    expect(theirs.map((t) => t.id)).toEqual(mine.map((t) => t.id));

    await carol.client.v1.featuredTags.$select(created.id).remove();
    expect((await carol.client.v1.featuredTags.list()).map((t) => t.name)).toEqual(["sea"]);
    // Someone else's featured hashtag is unknown.
    expect((await failure(bob.client.v1.featuredTags.$select(sea.id).remove())).status).toBe(404);
  });

  it("refuses an eleventh featured hashtag", async () => {
    expect.hasAssertions();
    const dave = await user("dave");
    for (let i = 0; i < 10; i++) await dave.client.v1.featuredTags.create({ name: `tag${i}x` });
    const eleventh = await failure(dave.client.v1.featuredTags.create({ name: "onemore" }));
    expect(eleventh.status).toBe(422);
    expect(eleventh.message).toContain("maximum number of hashtags");
    expect(await dave.client.v1.featuredTags.list()).toHaveLength(10);
  });

  it("lists a remote account's featured hashtags as stored", async () => {
    expect.hasAssertions();
    const remote = await remoteAccount(instance, "erin", "remote.example");
    expect(await bob.client.v1.accounts.$select(remote.id).featuredTags.list()).toEqual([]);
    // What erin's featuredTags collection said (federation/remote-featured.ts stores it this way).
    await replaceRemoteFeaturedTags(instance.deps.db, remote, ["#Night", "#sky"]);
    await status(instance, remote, { tags: ["night"] });
    const res = await bob.client.v1.accounts.$select(remote.id).featuredTags.list();
    expect(res.map((t) => [t.name, t.statusesCount])).toEqual([
      ["Night", "1"],
      ["sky", "0"],
    ]);
    expect(res[0]!.url).toBe(`${instance.url}/@erin@remote.example?tab=posts&tagged=night`);
  });
});
