// Trending links through the client API: a link trends by the distinct accounts that shared it today
// (statuses showing its card, and boosts of them) against yesterday, with the tags' exclusions (no
// sensitive or non-public post, no undiscoverable author counts) and fewer than five accounts trend
// nothing; each is Mastodon's Trends::Link (a PreviewCard with its history). Under TRENDS_REVIEW a link
// shows only once approved with the CLI, and the link timeline answers only for a trending link.
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { newId } from "../../src/db/ids.ts";
import { type Account, previewCards, statusPreviewCards } from "../../src/db/schema/index.ts";
import { cliOn } from "../helpers/cli-in-process.ts";
import { call, localUser, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
// Noon (UTC) of yesterday: every share is in the past, and "today" for the refresh is that whole day.
const BASE = Math.floor(Date.now() / DAY) * DAY - DAY + 12 * HOUR;

const open: TestInstance[] = [];
afterEach(async () => {
  for (const i of open.splice(0)) await i.close();
});

let minute = 0;
const at = () => newId(BASE + ++minute * 60_000);

async function setUp(env: Record<string, string> = {}) {
  const instance = await createTestInstance(env);
  open.push(instance);
  const fans: Account[] = [];
  for (let i = 0; i < 8; i++) {
    fans.push(await remoteAccount(instance, `fan${i}`, "remote.example", { discoverable: true }));
  }
  return { instance, fans };
}

async function card(instance: TestInstance, path: string) {
  const [row] = await instance.deps.db
    .insert(previewCards)
    .values({
      id: newId(),
      url: `https://news.example/${path}`,
      title: `Story ${path}`,
      providerName: "News",
      fetchedAt: new Date(),
    })
    .returning();
  return row!;
}

/** `authors` each post a status showing `cardId` (with `options` on the status). */
async function share(
  instance: TestInstance,
  cardId: string,
  authors: Account[],
  options: { sensitive?: boolean; visibility?: "public" | "unlisted" } = {},
) {
  const made = [];
  for (const author of authors) {
    const post = await status(instance, author, { id: at(), ...options });
    await instance.deps.db.insert(statusPreviewCards).values({ statusId: post.id, cardId });
    made.push(post);
  }
  return made;
}

const refresh = (instance: TestInstance) => instance.deps.trends.refresh(new Date(BASE + 6 * HOUR));

describe("trending links", () => {
  it("ranks links by the accounts sharing them, boosts included, with the exclusions of tags", async () => {
    expect.hasAssertions();
    const { instance, fans } = await setUp();
    const wide = await card(instance, "wide");
    const boosted = await card(instance, "boosted");
    const few = await card(instance, "few");
    const hidden = await card(instance, "hidden");
    await share(instance, wide.id, fans.slice(0, 7));
    // Two posts and three boosts of the first: five accounts.
    const [first] = await share(instance, boosted.id, fans.slice(0, 2));
    for (const fan of fans.slice(2, 5)) {
      await status(instance, fan, { id: at(), reblogOfId: first!.id, content: "" });
    }
    await share(instance, few.id, fans.slice(0, 4));
    await share(instance, hidden.id, fans.slice(0, 4), { sensitive: true });
    await share(instance, hidden.id, fans.slice(4, 8), { visibility: "unlisted" });
    await refresh(instance);
    const res = await call(instance, "GET", "/api/v1/trends/links");
    expect(res.status).toBe(200);
    expect(res.json.map((l: { url: string }) => l.url)).toEqual([wide.url, boosted.url]);
    z.array(E.TrendLink).parse(res.json);
    expect(res.json[0]).toMatchObject({
      title: "Story wide",
      provider_name: "News",
      type: "link",
      image: null,
      authors: [],
    });
    const yesterday = String((Math.floor(BASE / DAY) * DAY) / 1000);
    expect(res.json[0].history).toHaveLength(7);
    expect(res.json[1].history.find((d: { day: string }) => d.day === yesterday)).toEqual({
      day: yesterday,
      uses: "5",
      accounts: "5",
    });
    // Paged by offset, as tags are.
    const second = await call(instance, "GET", "/api/v1/trends/links?limit=1&offset=1");
    expect(second.json.map((l: { url: string }) => l.url)).toEqual([boosted.url]);
  });

  it("shows a link under TRENDS_REVIEW only once approved, and a rejected one never", async () => {
    expect.hasAssertions();
    const { instance, fans } = await setUp({ TRENDS_REVIEW: "true" });
    const story = await card(instance, "story");
    await share(instance, story.id, fans.slice(0, 6));
    await refresh(instance);
    expect((await call(instance, "GET", "/api/v1/trends/links")).json).toEqual([]);
    const listed = await cliOn(instance, "trends", "links");
    expect(listed.stdout).toMatch(
      /^https:\/\/news\.example\/story\t25\.0\t6 accounts today\tnot reviewed\tStory story$/,
    );
    expect((await cliOn(instance, "trends", "approve-link", story.url)).code).toBe(0);
    const shown = (await call(instance, "GET", "/api/v1/trends/links")).json;
    expect(shown.map((l: { url: string }) => l.url)).toEqual([story.url]);
    expect((await cliOn(instance, "trends", "reject-link", story.url)).stdout).toBe(
      `Rejected ${story.url}`,
    );
    expect((await call(instance, "GET", "/api/v1/trends/links")).json).toEqual([]);
    // A link nobody shared cannot be reviewed.
    expect((await cliOn(instance, "trends", "approve-link", "https://nowhere.example/")).code).toBe(
      1,
    );
  });

  it("lists a trending link's public statuses in the link timeline, and 404s for others", async () => {
    expect.hasAssertions();
    const { instance, fans } = await setUp();
    const alice = await localUser(instance, "alice");
    const story = await card(instance, "story");
    const quiet = await card(instance, "quiet");
    const posts = await share(instance, story.id, fans.slice(0, 6));
    await share(instance, quiet.id, fans.slice(0, 2));
    await refresh(instance);
    const url = encodeURIComponent(story.url);
    const page = await call(instance, "GET", `/api/v1/timelines/link?url=${url}&limit=4`, {
      token: alice.token,
    });
    expect(page.status).toBe(200);
    expect(page.json.map((s: { id: string }) => s.id)).toEqual(
      posts
        .map((p) => p.id)
        .reverse()
        .slice(0, 4),
    );
    expect(page.headers.get("link")).toContain(`url=${url}`);
    const notTrending = await call(
      instance,
      "GET",
      `/api/v1/timelines/link?url=${encodeURIComponent(quiet.url)}`,
    );
    expect(notTrending).toMatchObject({ status: 404, json: { error: "Record not found" } });
    expect((await call(instance, "GET", "/api/v1/timelines/link")).status).toBe(404);
  });
});
