import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { blocks, mutes } from "../../src/db/schema/index.ts";
import {
  boost,
  call,
  follow,
  localUser,
  media,
  remoteAccount,
  status,
  times,
} from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

const ids = (json: { id: string }[]) => json.map((s) => s.id);

describe("timelines API", () => {
  it("builds the home timeline from followed accounts (accepted only), oneself and boosts", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const carol = await remoteAccount(instance, "carol");
    const dave = await remoteAccount(instance, "dave");
    await follow(instance, alice, bob);
    await follow(instance, alice, carol, "pending");
    const own = await status(instance, alice);
    const fromBob = await status(instance, bob);
    const privateFromBob = await status(instance, bob, { visibility: "private" });
    await status(instance, carol);
    const fromDave = await status(instance, dave);
    const boosted = await boost(instance, bob, fromDave);
    const home = await call(instance, "GET", "/api/v1/timelines/home", { token });
    expect(home.status).toBe(200);
    expect(ids(home.json)).toEqual([boosted.id, privateFromBob.id, fromBob.id, own.id]);
    for (const s of home.json) E.expectEntity(E.Status, s);
    expect(home.json[0].reblog.id).toBe(fromDave.id);
    expect(home.json[0].reblog.account.acct).toBe("dave@remote.example");

    await instance.deps.db
      .insert(mutes)
      .values({ id: newId(), accountId: alice.id, targetAccountId: bob.id });
    const muted = await call(instance, "GET", "/api/v1/timelines/home", { token });
    expect(ids(muted.json)).toEqual([own.id]);
  });

  it("does not show a boost beside its original, as Mastodon's feeds never hold both", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const carol = await remoteAccount(instance, "carol");
    await follow(instance, alice, bob);
    const own = await status(instance, alice);
    const fromBob = await status(instance, bob);
    const fromCarol = await status(instance, carol);
    // Alice boosts her own status through the API; Bob boosts Alice's, his own and Carol's.
    const selfBoost = await call(instance, "POST", `/api/v1/statuses/${own.id}/reblog`, { token });
    expect(selfBoost.status).toBe(200);
    await boost(instance, bob, own);
    await boost(instance, bob, fromBob);
    const ofCarol = await boost(instance, bob, fromCarol);
    const home = await call(instance, "GET", "/api/v1/timelines/home", { token });
    expect(home.status).toBe(200);
    // Only the boost of a status that is not in Alice's home itself (Carol's, whom she does not follow).
    expect(ids(home.json)).toEqual([ofCarol.id, fromBob.id, own.id]);
  });

  it("pages with max_id, since_id and min_id and writes Mastodon's Link header", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const made = await times(5, async () => await status(instance, alice));
    const [s0, s1, s2, s3, s4] = made.map((s) => s.id);
    const page = async (query: string) =>
      call(instance, "GET", `/api/v1/timelines/home${query}`, { token });
    const first = await page("?limit=2");
    expect(ids(first.json)).toEqual([s4, s3]);
    expect(first.headers.get("link")).toBe(
      `<http://localhost:3000/api/v1/timelines/home?limit=2&max_id=${s3}>; rel="next", ` +
        `<http://localhost:3000/api/v1/timelines/home?limit=2&min_id=${s4}>; rel="prev"`,
    );
    expect(ids((await page(`?limit=2&max_id=${s3}`)).json)).toEqual([s2, s1]);
    expect(ids((await page(`?limit=2&min_id=${s0}`)).json)).toEqual([s2, s1]);
    expect(ids((await page(`?limit=2&since_id=${s0}`)).json)).toEqual([s4, s3]);
    expect(ids((await page(`?max_id=${s3}&since_id=${s1}`)).json)).toEqual([s2]);
    const empty = await page(`?min_id=${s4}`);
    expect(empty.json).toEqual([]);
    expect(empty.headers.get("link")).toBeNull();
    expect((await page("?max_id=abc")).status).toBe(422);
    expect(ids((await page("?limit=500")).json)).toHaveLength(5);
  });

  it("serves public timelines: local, remote and only_media, without boosts or others' replies", async () => {
    const { account: alice } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const localPost = await status(instance, alice);
    const remotePost = await status(instance, bob);
    await media(instance, bob, remotePost.id);
    await status(instance, alice, { visibility: "unlisted" });
    await status(instance, alice, { visibility: "private" });
    await boost(instance, alice, remotePost);
    await status(instance, alice, { inReplyToId: remotePost.id, inReplyToAccountId: bob.id });
    const threadReply = await status(instance, alice, {
      inReplyToId: localPost.id,
      inReplyToAccountId: alice.id,
    });
    const get = async (q: string) =>
      ids((await call(instance, "GET", `/api/v1/timelines/public${q}`)).json);
    expect(await get("")).toEqual([threadReply.id, remotePost.id, localPost.id]);
    expect(await get("?local=true")).toEqual([threadReply.id, localPost.id]);
    expect(await get("?remote=true")).toEqual([remotePost.id]);
    expect(await get("?only_media=true")).toEqual([remotePost.id]);
    const res = await call(instance, "GET", "/api/v1/timelines/public");
    for (const s of res.json) E.expectEntity(E.Status, s);
  });

  it("serves hashtag timelines case-insensitively, replies included", async () => {
    const { account: alice } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const tagged = await status(instance, alice, { tags: ["Dusk"] });
    const reply = await status(instance, bob, {
      tags: ["Dusk"],
      inReplyToId: tagged.id,
      inReplyToAccountId: alice.id,
    });
    await status(instance, alice, { tags: ["Dusk"], visibility: "private" });
    await status(instance, alice);
    const res = await call(instance, "GET", "/api/v1/timelines/tag/DUSK");
    expect(ids(res.json)).toEqual([reply.id, tagged.id]);
    const tag = await call(instance, "GET", "/api/v1/tags/dusk");
    expect(E.expectEntity(E.Tag, tag.json).name).toBe("Dusk");
  });

  it("hides statuses of accounts that blocked the viewer", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const post = await status(instance, bob);
    await instance.deps.db
      .insert(blocks)
      .values({ id: newId(), accountId: bob.id, targetAccountId: alice.id });
    const res = await call(instance, "GET", "/api/v1/timelines/public", { token });
    expect(res.json).toEqual([]);
    const blocked = await call(instance, "GET", "/api/v1/blocks", { token });
    expect(blocked.json).toEqual([]);
    const single = await call(instance, "GET", `/api/v1/statuses/${post.id}`, { token });
    expect(single.status).toBe(404);
    expect((await call(instance, "GET", `/api/v1/statuses/${post.id}`)).status).toBe(200);
  });
});
