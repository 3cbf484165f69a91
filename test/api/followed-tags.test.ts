// Followed hashtags through masto.js against a real server on 127.0.0.1: following (a tag no status used
// yet too) and unfollowing, the `following` flag, the followed tags list paged by Link headers, the
// Tag's 7-day history, and the home timeline gaining public tagged statuses from strangers (local and
// remote) — never a blocked or muted author's, nor a non-public one, nor twice, nor in a list timeline.
import { createRestAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import {
  type Account,
  statuses,
  statusTags,
  tags,
  type Visibility,
} from "../../src/db/schema/index.ts";
import { call, follow, localUser, remoteAccount, status } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: ServedInstance;
type User = { account: Account; token: string; client: mastodon.rest.Client };
let alice: User;
let bob: User;
let carol: User;
let dave: User;
let erin: User;

async function user(name: string, scopes?: string): Promise<User> {
  const u = await localUser(instance, name, scopes);
  return { ...u, client: createRestAPIClient({ url: instance.url, accessToken: u.token }) };
}

beforeAll(async () => {
  instance = await serveTestInstance();
  alice = await user("alice");
  bob = await user("bob");
  carol = await user("carol");
  dave = await user("dave");
  erin = await user("erin");
  await follow(instance, alice.account, bob.account);
});
afterAll(() => instance.close());

/** The thrown masto.js error's HTTP status. */
async function statusOf(promise: PromiseLike<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { statusCode?: number }).statusCode;
  }
}

describe("following a hashtag", () => {
  it("follows a tag no status used yet, says so in `following`, and unfollows it", async () => {
    const followed = await carol.client.v1.tags.$select("NeverUsed").follow();
    expect(followed).toMatchObject({ name: "NeverUsed", following: true });
    expect(followed.url).toBe(`${instance.url}/tags/neverused`);
    const raw = await call(instance, "GET", "/api/v1/tags/neverused", { token: carol.token });
    expect(E.expectEntity(E.Tag, raw.json)).toMatchObject({ name: "NeverUsed", following: true });
    // Following again changes nothing; other users do not follow it; visitors get no flag at all.
    await carol.client.v1.tags.$select("neverused").follow();
    expect((await carol.client.v1.followedTags.list()).map((t) => t.name)).toEqual(["NeverUsed"]);
    expect((await dave.client.v1.tags.$select("neverused").fetch()).following).toBe(false);
    const anonymous = await call(instance, "GET", "/api/v1/tags/NEVERUSED");
    expect(anonymous.status).toBe(200);
    expect(anonymous.json).not.toHaveProperty("following");

    // A leading '#' is taken off, as Mastodon does.
    const unfollowed = await call(instance, "POST", "/api/v1/tags/%23neverused/unfollow", {
      token: carol.token,
    });
    expect(unfollowed.json).toMatchObject({ name: "NeverUsed", following: false });
    expect(await carol.client.v1.followedTags.list()).toEqual([]);
    // Unfollowing a tag one does not follow is no error, as in Mastodon.
    expect((await carol.client.v1.tags.$select("neverused").unfollow()).following).toBe(false);
  });

  it("answers a tag that exists nowhere with its entity, and a name that is no hashtag with 404", async () => {
    const unknown = await dave.client.v1.tags.$select("Brandnew").fetch();
    expect(unknown).toMatchObject({ name: "Brandnew", following: false });
    expect(unknown.history).toHaveLength(7);
    for (const bad of ["12345", "no-dash", `${"a".repeat(101)}`]) {
      const res = await call(instance, "POST", `/api/v1/tags/${bad}/follow`, {
        token: dave.token,
      });
      expect(res.status, bad).toBe(404);
      expect(res.json).toEqual({ error: "Record not found" });
      expect((await call(instance, "GET", `/api/v1/tags/${bad}`)).status, bad).toBe(404);
    }
    expect(await dave.client.v1.followedTags.list()).toEqual([]);
  });

  it("needs write:follows to follow and read:follows to list, and a user token", async () => {
    const reader = await user("reader", "read");
    expect(await statusOf(reader.client.v1.tags.$select("art").follow())).toBe(403);
    expect(await statusOf(reader.client.v1.tags.$select("art").unfollow())).toBe(403);
    const writer = await user("writer", "write:follows");
    expect((await writer.client.v1.tags.$select("art").follow()).following).toBe(true);
    expect(await statusOf(writer.client.v1.followedTags.list())).toBe(403);
    // The legacy `follow` scope stood for write:follows and read:follows.
    const legacy = await user("legacy", "follow");
    expect((await legacy.client.v1.tags.$select("art").follow()).following).toBe(true);
    expect((await legacy.client.v1.followedTags.list()).map((t) => t.name)).toEqual(["art"]);
    expect((await call(instance, "GET", "/api/v1/followed_tags")).status).toBe(401);
  });

  it("lists followed tags newest first, paged by Link headers (default 100, at most 200)", async () => {
    const names = ["One", "Two", "Three", "Four", "Five"];
    for (const name of names) await erin.client.v1.tags.$select(name).follow();
    const pages: string[][] = [];
    for await (const page of erin.client.v1.followedTags.list({ limit: 2 })) {
      pages.push(page.map((t) => t.name));
      if (pages.length > 5) break;
    }
    expect(pages).toEqual([["Five", "Four"], ["Three", "Two"], ["One"]]);
    const first = await call(instance, "GET", "/api/v1/followed_tags?limit=2", {
      token: erin.token,
    });
    for (const t of first.json) expect(E.expectEntity(E.Tag, t).following).toBe(true);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get("link") ?? "")?.[1];
    expect(next).toMatch(/max_id=\d+/);
    // The cursor is the follow's id: min_id pages back to the newer ones.
    const maxId = new URL(next!).searchParams.get("max_id")!;
    const after = await call(instance, "GET", `/api/v1/followed_tags?min_id=${maxId}`, {
      token: erin.token,
    });
    expect(after.json.map((t: { name: string }) => t.name)).toEqual(["Five"]);
    const all = await call(instance, "GET", "/api/v1/followed_tags?limit=500", {
      token: erin.token,
    });
    expect(all.json).toHaveLength(5);
    expect(all.headers.get("link")).not.toMatch(/rel="next"/);
  });
});

describe("tag history", () => {
  it("counts the last 7 days' public and unlisted uses and their accounts, today first", async () => {
    const day = 86_400_000;
    const today = Math.floor(Date.now() / day) * day;
    const remote = await remoteAccount(instance, "historian", "history.example");
    const db = instance.deps.db;
    const on = async (author: Account, at: number, visibility: Visibility = "public") => {
      // The fixture's status() makes its own id; the day of use is the id's time.
      const id = newId(at);
      await db
        .insert(statuses)
        .values({ id, iri: `https://x.example/s/${id}`, accountId: author.id, visibility });
      await db
        .insert(tags)
        .values({ name: "chronicle", displayName: "Chronicle" })
        .onConflictDoNothing();
      await db.insert(statusTags).values({ statusId: id, tagName: "chronicle" });
    };
    const writer = (await user("chronicler")).account;
    await on(writer, today + 1000);
    await on(writer, today + 2000, "unlisted");
    await on(remote, today + 3000);
    await on(remote, today - 2 * day + 5000);
    // Not counted: a followers-only use, one eight days ago.
    await on(writer, today + 4000, "private");
    await on(writer, today - 8 * day);
    const tag = await dave.client.v1.tags.$select("chronicle").fetch();
    const raw = await call(instance, "GET", "/api/v1/tags/chronicle");
    E.expectEntity(E.Tag, raw.json);
    expect(tag.history).toHaveLength(7);
    expect(tag.history![0]).toEqual({ day: String(today / 1000), uses: "3", accounts: "2" });
    expect(tag.history![1]).toEqual({
      day: String((today - day) / 1000),
      uses: "0",
      accounts: "0",
    });
    expect(tag.history![2]).toEqual({
      day: String((today - 2 * day) / 1000),
      uses: "1",
      accounts: "1",
    });
    expect(tag.history!.slice(3).every((d) => d.uses === "0")).toBe(true);
    // The followed tags list and search carry it too.
    await dave.client.v1.tags.$select("Chronicle").follow();
    const [listed] = await dave.client.v1.followedTags.list();
    expect(listed!.history![0]!.uses).toBe("3");
    const found = await dave.client.v2.search.list({ q: "chronicle", type: "hashtags" });
    expect(found.hashtags[0]).toMatchObject({ name: "Chronicle", following: true });
    expect(found.hashtags[0]!.history![0]!.uses).toBe("3");
    await dave.client.v1.tags.$select("Chronicle").unfollow();
  });
});

describe("home timeline with followed tags", () => {
  const homeIds = async (u: User, params: mastodon.rest.v1.ListTimelineParams = {}) =>
    (await u.client.v1.timelines.home.list({ limit: 40, ...params })).map((s) => s.id);

  it("adds public tagged statuses from strangers, local and remote, once, and drops them on unfollow", async () => {
    const zed = await user("zed");
    const friend = await user("friend");
    await follow(instance, zed.account, friend.account);
    const stranger = await carol.client.v1.statuses.create({
      status: "Dusk over the bay #Seascape",
    });
    const remote = await remoteAccount(instance, "painter", "far.example");
    const remoteTagged = await status(instance, remote, { tags: ["seascape"] });
    const untagged = await carol.client.v1.statuses.create({ status: "Nothing tagged" });
    // A followed account's tagged status shows once.
    const both = await friend.client.v1.statuses.create({ status: "Followed and #seascape" });
    expect(await homeIds(zed)).toEqual([both.id]);

    await zed.client.v1.tags.$select("seascape").follow();
    const home = await zed.client.v1.timelines.home.list({ limit: 40 });
    expect(home.map((s) => s.id)).toEqual([both.id, remoteTagged.id, stranger.id]);
    const raw = await call(instance, "GET", "/api/v1/timelines/home", { token: zed.token });
    for (const s of raw.json) E.expectEntity(E.Status, s);
    expect(home.find((s) => s.id === remoteTagged.id)!.account.acct).toBe("painter@far.example");
    expect(home.map((s) => s.id)).not.toContain(untagged.id);

    // Paging: max_id, min_id and since_id cut the same timeline.
    expect(await homeIds(zed, { maxId: both.id })).toEqual([remoteTagged.id, stranger.id]);
    expect(await homeIds(zed, { minId: stranger.id, limit: 1 })).toEqual([remoteTagged.id]);
    expect(await homeIds(zed, { sinceId: stranger.id })).toEqual([both.id, remoteTagged.id]);

    await zed.client.v1.tags.$select("seascape").unfollow();
    expect(await homeIds(zed)).toEqual([both.id]);
  });

  it("leaves out blocked and muted authors, those who blocked the viewer, and non-public statuses", async () => {
    const yan = await user("yan");
    const blocked = await user("blocked");
    const muted = await user("muted");
    const blocker = await user("blocker");
    await yan.client.v1.tags.$select("Harbor").follow();
    await yan.client.v1.accounts.$select(blocked.account.id).block();
    await yan.client.v1.accounts.$select(muted.account.id).mute();
    await blocker.client.v1.accounts.$select(yan.account.id).block();
    const shown = await carol.client.v1.statuses.create({ status: "Public #harbor" });
    await blocked.client.v1.statuses.create({ status: "Blocked #harbor" });
    await muted.client.v1.statuses.create({ status: "Muted #harbor" });
    await blocker.client.v1.statuses.create({ status: "Blocker #harbor" });
    for (const visibility of ["unlisted", "private", "direct"] as const) {
      await carol.client.v1.statuses.create({ status: `${visibility} #harbor`, visibility });
    }
    // A boost of a tagged status by someone the viewer does not follow is no tagged status.
    await erin.client.v1.statuses.$select(shown.id).reblog();
    expect(await homeIds(yan)).toEqual([shown.id]);
  });

  it("keeps followed tags out of list timelines", async () => {
    const xia = await user("xia");
    const member = await user("member");
    await follow(instance, xia.account, member.account);
    await xia.client.v1.tags.$select("Lantern").follow();
    const list = await xia.client.v1.lists.create({ title: "Member" });
    await xia.client.v1.lists.$select(list.id).accounts.create({ accountIds: [member.account.id] });
    const fromBob = await member.client.v1.statuses.create({ status: "A lamp" });
    const tagged = await carol.client.v1.statuses.create({ status: "A #lantern" });
    expect(await homeIds(xia)).toEqual([tagged.id, fromBob.id]);
    const listed = await xia.client.v1.timelines.list.$select(list.id).list();
    expect(listed.map((s) => s.id)).toEqual([fromBob.id]);
  });
});
