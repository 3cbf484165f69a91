// The home timeline query's two ways (a window of recent statuses, or the followed accounts' statuses
// collected and sorted) give the same exact pages, whichever one answers, in every paging direction;
// the hashtag and only_media timelines (read from the tag's and the attachments' indexes) page the
// same way.

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, type Database, openDatabase } from "../../src/db/client.ts";
import { closeStore } from "../../src/db/dialect.ts";
import { newId } from "../../src/db/ids.ts";
import { homeTimeline, publicTimeline, tagTimeline } from "../../src/db/queries/timelines.ts";
import { mediaAttachments, statuses, statusTags, tags } from "../../src/db/schema/index.ts";
import { follow, remoteAccount } from "../helpers/factories.ts";
import { testsOnPostgres } from "../helpers/postgres-store.ts";
import { insertMany, openTestStore } from "../helpers/store.ts";

let db: Database;
let viewerId: string;
/** Ids of the followed account's statuses, newest first: what every page must be cut from. */
let followedIds: string[];
/** Ids of the public statuses tagged #rare, newest first. */
let rareIds: string[];
/** Ids of the public statuses with media, newest first (some with several attachments). */
let mediaIds: string[];

beforeAll(async () => {
  db = await openTestStore();
  viewerId = (await remoteAccount(db, "viewer", "here.example")).id;
  const followed = (await remoteAccount(db, "followed", "there.example")).id;
  const loud = (await remoteAccount(db, "loud", "there.example")).id;
  await follow(db, viewerId, followed);
  const rows: (typeof statuses.$inferInsert)[] = [];
  const attachments: (typeof mediaAttachments.$inferInsert)[] = [];
  const tagRows: (typeof statusTags.$inferInsert)[] = [];
  const start = Date.UTC(2026, 0, 1);
  let at = start;
  const post = (accountId: string, visibility: "public" | "private" = "public") => {
    const id = newId(at++);
    const iri = `https://there.example/statuses/${id}`;
    rows.push({ id, iri, accountId, visibility, content: "<p>x</p>", local: false });
    return id;
  };
  const ids: string[] = [];
  const tagged: string[] = [];
  const withMedia: string[] = [];
  // Old posts of the followed account, then more posts by someone else than a window holds, then a
  // recent burst of the followed account: page 1 comes from the window, the next pages do not.
  for (let i = 0; i < 30; i++) ids.push(post(followed));
  for (let i = 0; i < 2500; i++) {
    // Every 50th is tagged; one in ten of those is followers-only, which no hashtag timeline shows.
    const id = post(loud, i % 500 === 0 ? "private" : "public");
    if (i % 50 === 0) {
      tagRows.push({ statusId: id, tagName: "rare" });
      if (i % 500 !== 0) tagged.push(id);
    }
    // Every 70th has 1 to 3 images: a status must show once, whatever its number of images. The
    // first of them is followers-only (set above), which no public timeline shows.
    if (i % 70 === 0) {
      for (let p = 0; p <= (i / 70) % 3; p++) {
        const remoteUrl = `https://there.example/media/${id}/${p}`;
        attachments.push({ id: newId(at), accountId: loud, statusId: id, position: p, remoteUrl });
      }
      if (i % 500 !== 0) withMedia.push(id);
    }
  }
  for (let i = 0; i < 45; i++) ids.push(post(followed));
  await db.insert(tags).values({ name: "rare", displayName: "Rare" });
  await insertMany(db, statuses, rows);
  await insertMany(db, statusTags, tagRows);
  await insertMany(db, mediaAttachments, attachments);
  followedIds = ids.reverse();
  rareIds = tagged.reverse();
  mediaIds = withMedia.reverse();
});
afterAll(() => closeStore(db));

const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id);

describe("home timeline pages", () => {
  it("gives the newest page, then the next ones by max_id, across the window's edge", async () => {
    const first = await homeTimeline(db, viewerId, { limit: 40 });
    expect(idsOf(first)).toEqual(followedIds.slice(0, 40));
    const second = await homeTimeline(db, viewerId, { limit: 40, maxId: first.at(-1)!.id });
    expect(idsOf(second)).toEqual(followedIds.slice(40, 75));
    expect(await homeTimeline(db, viewerId, { limit: 40, maxId: second.at(-1)!.id })).toEqual([]);
  });

  it("gives the statuses just newer than min_id, newest first, and the newest ones after since_id", async () => {
    const oldest = followedIds.length - 1;
    const bound = followedIds[oldest - 10]!; // the 11th oldest
    const nearest = followedIds.slice(oldest - 10 - 40, oldest - 10);
    expect(idsOf(await homeTimeline(db, viewerId, { limit: 40, minId: bound }))).toEqual(nearest);
    expect(idsOf(await homeTimeline(db, viewerId, { limit: 40, sinceId: bound }))).toEqual(
      followedIds.slice(0, 40),
    );
    expect(idsOf(await homeTimeline(db, viewerId, { limit: 5, maxId: followedIds[40]! }))).toEqual(
      followedIds.slice(41, 46),
    );
  });
});

describe("hashtag timeline pages", () => {
  const page = async (p: { maxId?: string; minId?: string; sinceId?: string; limit?: number }) =>
    idsOf(await tagTimeline(db, viewerId, "rare", {}, { limit: 20, ...p }));

  it("gives the newest public statuses with the tag, then the next ones by max_id", async () => {
    expect(rareIds).toHaveLength(45);
    expect(await page({})).toEqual(rareIds.slice(0, 20));
    expect(await page({ maxId: rareIds[19]! })).toEqual(rareIds.slice(20, 40));
    expect(await page({ maxId: rareIds[39]! })).toEqual(rareIds.slice(40));
    expect(await page({ maxId: rareIds[44]! })).toEqual([]);
  });

  it("gives the statuses just newer than min_id, newest first, and the newest ones after since_id", async () => {
    expect(await page({ minId: rareIds[30]!, limit: 5 })).toEqual(rareIds.slice(25, 30));
    expect(await page({ sinceId: rareIds[30]!, limit: 5 })).toEqual(rareIds.slice(0, 5));
    expect(await page({ sinceId: rareIds[30]!, maxId: rareIds[3]!, limit: 40 })).toEqual(
      rareIds.slice(4, 30),
    );
  });

  it("answers an unknown tag with an empty page", async () => {
    expect(await tagTimeline(db, viewerId, "never-used", {}, { limit: 20 })).toEqual([]);
  });
});

describe("only_media public timeline pages", () => {
  const page = async (p: { maxId?: string; minId?: string; limit?: number }) =>
    idsOf(await publicTimeline(db, viewerId, { onlyMedia: true }, { limit: 20, ...p }));

  it("gives each public status with media once, newest first, then the next ones by max_id", async () => {
    expect(mediaIds.length).toBeGreaterThan(30);
    expect(await page({})).toEqual(mediaIds.slice(0, 20));
    expect(await page({ maxId: mediaIds[19]! })).toEqual(mediaIds.slice(20, 40));
    expect(await page({ minId: mediaIds[30]!, limit: 5 })).toEqual(mediaIds.slice(25, 30));
    expect(idsOf(await publicTimeline(db, null, { onlyMedia: true }, { limit: 100 }))).toEqual(
      mediaIds,
    );
  });

  it("shows a status once even when two of its attachments share a position", async () => {
    const [newest] = mediaIds;
    const [{ author }] = (await db
      .select({ author: statuses.accountId })
      .from(statuses)
      .where(eq(statuses.id, newest!))) as [{ author: string }];
    const remoteUrl = "https://there.example/media/again";
    await db
      .insert(mediaAttachments)
      .values({ id: newId(), accountId: author, statusId: newest, position: 0, remoteUrl });
    expect(await page({})).toEqual(mediaIds.slice(0, 20));
  });
});

// SQLite's own plans, pinned; PostgreSQL plans for itself (the benchmark shows its plans).
describe.skipIf(testsOnPostgres())("query plans", () => {
  /** SQLite's plan for the statement `read` prepares (on a fresh handle, so nothing is cached). */
  function planOf(read: (fresh: Database) => unknown): string[] {
    const fresh = openDatabase(":memory:");
    try {
      const prepare = fresh.$client.prepare.bind(fresh.$client);
      let text: string | undefined;
      fresh.$client.prepare = ((source: string) => {
        text ??= source;
        return prepare(source);
      }) as typeof fresh.$client.prepare;
      read(fresh);
      fresh.$client.prepare = prepare;
      const placeholders = (text!.match(/\?/g) ?? []).length;
      return prepare(`explain query plan ${text}`)
        .all(...Array(placeholders).fill("1"))
        .map((row) => (row as { detail: string }).detail);
    } finally {
      closeDatabase(fresh);
    }
  }

  // Scanning statuses newest first and probing each would read the whole table for a rare tag or an
  // instance with few images.
  it("reads hashtag and only_media pages from their own indexes, never scanning statuses", () => {
    const tag = planOf(async (fresh) => await tagTimeline(fresh, "1", "rare", {}, { limit: 20 }));
    expect(tag[0]).toMatch(/^SEARCH status_tags USING COVERING INDEX status_tags_tag_idx/);
    const media = planOf(
      async (fresh) =>
        await publicTimeline(fresh, null, { onlyMedia: true }, { limit: 20, maxId: "1" }),
    );
    expect(media[0]).toMatch(/^SEARCH media_attachments USING COVERING INDEX/);
    for (const plan of [tag, media]) {
      expect(plan.join("\n")).not.toMatch(/SCAN statuses|TEMP B-TREE/);
    }
  });
});
