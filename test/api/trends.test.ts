// Trends through the client API of a real server on 127.0.0.1, with synthetic engagement written at
// chosen times and the refresh run on a clock the test moves: statuses rank by distinct accounts that
// favourited, boosted or replied, decayed with age; fewer than five accounts trend nothing; sensitive,
// non-public, undiscoverable, suspended and blocked-domain authors' posts and replies never trend;
// tags rank by today's accounts against yesterday's and decay from their peak; a viewer never gets
// the posts of accounts they blocked or muted.
import { eq } from "drizzle-orm";
import { createRestAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import {
  type Account,
  accounts,
  blocks,
  domainBlocks,
  favourites,
  mutes,
  type Status,
  statuses,
  tagTrends,
} from "../../src/db/schema/index.ts";
import { reviewTag } from "../../src/domain/trends/review.ts";
import {
  call,
  localUser,
  remoteAccount,
  type StatusOptions,
  status,
} from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
// Noon (UTC) of yesterday: every row is in the past, and "today" for the tags is that whole day.
const BASE = Math.floor(Date.now() / DAY) * DAY - DAY + 12 * HOUR;
let clock = BASE;
/** A time `minutes` after BASE, for the engagement, which comes after the refresh's starting point. */
const later = (minutes: number) => BASE + minutes * 60_000;

let instance: ServedInstance;
let viewer: { account: Account; token: string };
let anonymous: mastodon.rest.Client;
const fans: Account[] = [];
const posts = new Map<string, Status>();

async function discoverableRemote(name: string, domain = "remote.example", extra = {}) {
  return await remoteAccount(instance, name, domain, { discoverable: true, ...extra });
}

/** A post made `ageHours` before BASE, favourited, boosted and replied to by `fans` after BASE. */
async function engaged(
  name: string,
  author: Account,
  engagement: { favourites?: Account[]; boosts?: Account[]; replies?: Account[] },
  options: StatusOptions & { ageHours?: number } = {},
): Promise<Status> {
  const { ageHours = 0, ...columns } = options;
  const made = BASE - ageHours * HOUR;
  const post = await status(instance, author, {
    id: newId(made),
    createdAt: new Date(made),
    ...columns,
  });
  let minute = 1;
  for (const fan of engagement.favourites ?? []) {
    await instance.deps.db
      .insert(favourites)
      .values({ id: newId(later(minute++)), accountId: fan.id, statusId: post.id });
  }
  for (const fan of engagement.boosts ?? []) {
    await status(instance, fan, { id: newId(later(minute++)), reblogOfId: post.id, content: "" });
  }
  for (const fan of engagement.replies ?? []) {
    await status(instance, fan, {
      id: newId(later(minute++)),
      inReplyToId: post.id,
      inReplyToAccountId: author.id,
    });
  }
  posts.set(name, post);
  return post;
}

async function refresh(at: number) {
  clock = at;
  return await instance.deps.trends.refresh(new Date(at));
}

const trendingNames = async (client: mastodon.rest.Client = anonymous) => {
  const list = await client.v1.trends.statuses.list({ limit: 40 });
  const byId = new Map([...posts].map(([name, p]) => [p.id, name]));
  return list.map((s) => byId.get(s.id) ?? s.id);
};

beforeAll(async () => {
  instance = await serveTestInstance({}, { now: () => new Date(clock) });
  anonymous = createRestAPIClient({ url: instance.url });
  viewer = await localUser(instance, "viewer");
  for (let i = 0; i < 12; i++) fans.push(await remoteAccount(instance, `fan${i}`, "fans.example"));
  const local = (await localUser(instance, "painter")).account;
  await instance.deps.db.update(accounts).set({ discoverable: true }).where(eqId(local.id));
  const remote = await discoverableRemote("sculptor");
  const f = (from: number, to: number) => fans.slice(from, to);

  // Ranked: 8 accounts now (49), 6 accounts now, one of them favouriting and boosting (25), and 10
  // accounts on a post four hours old (81, halved twice: 20.25).
  await engaged("top", local, { favourites: f(0, 8) });
  await engaged("second", remote, { favourites: f(0, 3), boosts: f(2, 4), replies: f(4, 6) });
  await engaged("aged", remote, { favourites: f(0, 10) }, { ageHours: 4 });
  // Under the minimum: four accounts, however often they engage, and the author's own attention.
  await engaged("four", remote, {
    favourites: [...f(0, 4), remote],
    boosts: f(0, 4),
    replies: [remote],
  });
  // A suspended fan does not count: four who do, one who does not.
  const banned = await remoteAccount(instance, "banned", "fans.example", {
    suspendedAt: new Date(),
  });
  await engaged("suspended-fan", remote, { favourites: [...f(0, 4), banned] });
  // Excluded whatever their engagement.
  const many = { favourites: f(0, 10) };
  await engaged("sensitive", remote, many, { sensitive: true });
  await engaged("warned", remote, many, { spoilerText: "spoilers" });
  await engaged("unlisted", remote, many, { visibility: "unlisted" });
  await engaged("private", remote, many, { visibility: "private" });
  const shy = await remoteAccount(instance, "shy", "remote.example");
  await engaged("undiscoverable", shy, many);
  const gone = await discoverableRemote("gone", "remote.example", { suspendedAt: new Date() });
  await engaged("suspended", gone, many);
  const outcast = await discoverableRemote("outcast", "blocked.example");
  await instance.deps.db
    .insert(domainBlocks)
    .values({ domain: "blocked.example", blockId: newId() });
  await engaged("blocked-domain", outcast, many);
  const parent = posts.get("top")!;
  await engaged("reply", remote, many, { inReplyToId: parent.id, inReplyToAccountId: local.id });
  await engaged("too-old", remote, many, { ageHours: 60 });
});
afterAll(() => instance.close());

const eqId = (id: string) => eq(accounts.id, id);

describe("trending statuses", () => {
  it("ranks by distinct accounts' favourites, boosts and replies, decayed with age", async () => {
    const result = await refresh(later(30));
    expect(result.statuses.trending).toBe(3);
    expect(await trendingNames()).toEqual(["top", "second", "aged"]);
    const list = await call(instance, "GET", "/api/v1/trends/statuses");
    expect(list.json).toHaveLength(3);
    for (const s of list.json) E.expectEntity(E.Status, s);
  });

  it("leaves out fewer than five accounts, the author's own engagement and suspended fans", async () => {
    const names = await trendingNames();
    expect(names).not.toContain("four");
    expect(names).not.toContain("suspended-fan");
  });

  it("never trends sensitive, non-public, undiscoverable, suspended, blocked-domain posts or replies", async () => {
    const names = await trendingNames();
    for (const excluded of [
      "sensitive",
      "warned",
      "unlisted",
      "private",
      "undiscoverable",
      "suspended",
      "blocked-domain",
      "reply",
      "too-old",
    ]) {
      expect(names).not.toContain(excluded);
    }
  });

  it("pages by offset and limit with Link headers, as Mastodon", async () => {
    const first = await call(instance, "GET", "/api/v1/trends/statuses?limit=2");
    expect(first.json.map((s: { id: string }) => s.id)).toEqual([
      posts.get("top")!.id,
      posts.get("second")!.id,
    ]);
    expect(first.headers.get("link")).toContain("offset=2");
    const next = await call(instance, "GET", "/api/v1/trends/statuses?limit=2&offset=2");
    expect(next.json.map((s: { id: string }) => s.id)).toEqual([posts.get("aged")!.id]);
    expect(next.headers.get("link")).toContain('rel="prev"');
  });

  it("hides from a viewer the posts of accounts they muted or blocked", async () => {
    const client = createRestAPIClient({ url: instance.url, accessToken: viewer.token });
    expect(await trendingNames(client)).toEqual(["top", "second", "aged"]);
    await instance.deps.db.insert(mutes).values({
      id: newId(),
      accountId: viewer.account.id,
      targetAccountId: posts.get("top")!.accountId,
    });
    expect(await trendingNames(client)).toEqual(["second", "aged"]);
    await instance.deps.db.insert(blocks).values({
      id: newId(),
      accountId: viewer.account.id,
      targetAccountId: posts.get("second")!.accountId,
    });
    expect(await trendingNames(client)).toEqual([]);
    // Others still see them.
    expect(await trendingNames()).toEqual(["top", "second", "aged"]);
  });

  it("leaves at once a post that turned sensitive since the refresh", async () => {
    await instance.deps.db
      .update(statuses)
      .set({ sensitive: true })
      .where(eq(statuses.id, posts.get("aged")!.id));
    expect(await trendingNames()).toEqual(["top", "second"]);
    await instance.deps.db
      .update(statuses)
      .set({ sensitive: false })
      .where(eq(statuses.id, posts.get("aged")!.id));
  });
});

describe("trending tags", () => {
  it("rank by today's distinct accounts over yesterday's, from eligible posts only", async () => {
    const painter = (await localUser(instance, "tagger")).account;
    await instance.deps.db.update(accounts).set({ discoverable: true }).where(eqId(painter.id));
    const authors = [painter];
    for (let i = 0; i < 9; i++) authors.push(await discoverableRemote(`tagger${i}`));
    const tagged = async (author: Account, tag: string, at: number, extra: StatusOptions = {}) =>
      await status(instance, author, {
        id: newId(at),
        createdAt: new Date(at),
        tags: [tag],
        ...extra,
      });
    // #rising: one account yesterday, seven today (36). #busier: nine today (64).
    await tagged(authors[0]!, "Rising", BASE - DAY);
    for (let i = 0; i < 7; i++) await tagged(authors[i]!, "Rising", later(40 + i));
    for (let i = 0; i < 9; i++) await tagged(authors[i]!, "busier", later(50 + i));
    // #steady: eight yesterday, eight today: no burst. #few: four today.
    for (let i = 0; i < 8; i++) {
      await tagged(authors[i]!, "steady", BASE - DAY + i * 60_000);
      await tagged(authors[i]!, "steady", later(60 + i));
    }
    for (let i = 0; i < 4; i++) await tagged(authors[i]!, "few", later(70 + i));
    // #mixed: four eligible accounts, and uses that do not count (sensitive, unlisted, undiscoverable,
    // suspended, a blocked domain), which would make nine.
    for (let i = 0; i < 4; i++) await tagged(authors[i]!, "mixed", later(80 + i));
    await tagged(authors[5]!, "mixed", later(85), { sensitive: true });
    await tagged(authors[6]!, "mixed", later(86), { visibility: "unlisted" });
    await tagged(await remoteAccount(instance, "quiet"), "mixed", later(87));
    await tagged(
      await discoverableRemote("off", "remote.example", { suspendedAt: new Date() }),
      "mixed",
      later(88),
    );
    await tagged(await discoverableRemote("cast", "blocked.example"), "mixed", later(89));

    await refresh(later(100));
    const list = await anonymous.v1.trends.tags.list();
    expect(list.map((t) => t.name)).toEqual(["busier", "Rising"]);
    const rising = E.expectEntity(E.Tag, list[1]);
    expect(rising.history).toHaveLength(7);
    const day = String((Math.floor(BASE / DAY) * DAY) / 1000);
    expect(rising.history.find((h) => h.day === day)).toEqual({ day, uses: "7", accounts: "7" });
    // /api/v1/trends is the deprecated alias.
    const alias = await call(instance, "GET", "/api/v1/trends");
    expect(alias.json.map((t: { name: string }) => t.name)).toEqual(["busier", "Rising"]);
    expect((await call(instance, "GET", "/api/v1/trends/tags?limit=1")).json).toHaveLength(1);
  });

  it("leave out a tag an administrator rejected, until approved", async () => {
    await reviewTag(instance.deps.db, "#BUSIER", false);
    expect((await anonymous.v1.trends.tags.list()).map((t) => t.name)).toEqual(["Rising"]);
    // The review is the tag's: it holds through the next refresh.
    await refresh(later(101));
    expect((await anonymous.v1.trends.tags.list()).map((t) => t.name)).toEqual(["Rising"]);
    await reviewTag(instance.deps.db, "busier", true);
    expect((await anonymous.v1.trends.tags.list()).map((t) => t.name)).toEqual([
      "busier",
      "Rising",
    ]);
  });
});

// The clock only moves forward from here: each refresh reads on from where the previous one stopped.
describe("decay, with the clock moving on", () => {
  it("keeps the order of statuses while scores halve, then drops what falls under 0.3", async () => {
    // Three hours on: 64/2.8 (a reply made "top" nine accounts), 25/2.8, 81/11.3.
    await refresh(BASE + 3 * HOUR);
    expect(await trendingNames()).toEqual(["top", "second", "aged"]);
    // Fourteen hours on, only the strongest is over 0.3 (64/128); the others left the table.
    const result = await refresh(BASE + 14 * HOUR);
    expect(result.statuses.trending).toBe(1);
    expect(await trendingNames()).toEqual(["top"]);
  });

  it("decays tags from their peak through the next day, and drops them after the cooldown", async () => {
    // At 02:00 the next day (the refresh above) nobody used them today, but the peaks of 64 and 36
    // twelve hours ago still count, halved every four hours.
    expect((await anonymous.v1.trends.tags.list()).map((t) => t.name)).toEqual([
      "busier",
      "Rising",
    ]);
    // A day and a half on both are under 1: not shown, their rows kept while the peak is in its
    // two-day cooldown, then gone.
    await refresh(BASE + 36 * HOUR);
    expect(await anonymous.v1.trends.tags.list()).toEqual([]);
    expect((await instance.deps.db.select().from(tagTrends)).length).toBe(2);
    await refresh(BASE + 72 * HOUR);
    expect((await instance.deps.db.select().from(tagTrends)).length).toBe(0);
    expect(await trendingNames()).toEqual([]);
  });

  it("answers no links when no status shared one", async () => {
    const res = await call(instance, "GET", "/api/v1/trends/links");
    expect(res).toMatchObject({ status: 200, json: [] });
  });
});
