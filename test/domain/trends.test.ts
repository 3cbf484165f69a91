// The trends refresh on its own: Mastodon's arithmetic (the account minimum, the half-lives, a tag's
// peak and cooldown), a refresh that reads only what is new since the last one (a post favourited
// long after its cursor passed still counts, because the favourite is new), and SQLite's plans for
// every statement a refresh prepares: each new-rows read goes through a primary key from the cursor
// and each count through an index, so no statement scans statuses, favourites or status_tags; a
// page of trending statuses walks the score index.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { closeDatabase, type Database, openDatabase } from "../../src/db/client.ts";
import { newId } from "../../src/db/ids.ts";
import { trendingStatuses } from "../../src/db/queries/trends.ts";
import { accounts, favourites, statusTrends, trendRefreshes } from "../../src/db/schema/index.ts";
import {
  burstScore,
  MIN_ACCOUNTS,
  statusScore,
  TAG_COOLDOWN_MS,
  tagScore,
} from "../../src/domain/trends/scores.ts";
import { refreshStatusTrends } from "../../src/domain/trends/statuses.ts";
import { refreshTagTrends } from "../../src/domain/trends/tags.ts";
import { remoteAccount, status } from "../helpers/factories.ts";

const HOUR = 3600_000;

describe("Mastodon's scores", () => {
  it("need five distinct accounts and more than expected", () => {
    expect(burstScore(MIN_ACCOUNTS - 1, 1)).toBe(0);
    expect(burstScore(5, 1)).toBe(16);
    expect(burstScore(8, 10)).toBe(0);
    expect(burstScore(12, 2)).toBe(50);
  });

  it("halve a status's score every two hours of its age", () => {
    const made = new Date(0);
    expect(statusScore(9, made, new Date(0))).toBe(64);
    expect(statusScore(9, made, new Date(2 * HOUR))).toBe(32);
    expect(statusScore(9, made, new Date(6 * HOUR))).toBe(8);
  });

  it("decay a tag from its peak, which a smaller burst does not replace until the cooldown ends", () => {
    const peak = tagScore(9, 1, undefined, new Date(0));
    expect(peak).toMatchObject({ maxScore: 64, score: 64 });
    const later = tagScore(6, 1, peak, new Date(4 * HOUR));
    expect(later).toMatchObject({ maxScore: 64, score: 32 });
    const afterCooldown = tagScore(6, 1, peak, new Date(TAG_COOLDOWN_MS + HOUR));
    expect(afterCooldown).toMatchObject({ maxScore: 25, score: 25 });
  });
});

async function withDatabase(body: (db: Database) => Promise<void>): Promise<void> {
  const db = openDatabase(":memory:");
  try {
    await body(db);
  } finally {
    closeDatabase(db);
  }
}

/** A discoverable author's post made at `at`, favourited by `fans` at `likedAt`. */
async function liked(db: Database, at: number, fans: number, likedAt: number, tag?: string) {
  const author = await remoteAccount(db, `author${at}`, "here.example", { discoverable: true });
  const post = await status(db, author, {
    id: newId(at),
    createdAt: new Date(at),
    ...(tag ? { tags: [tag] } : {}),
  });
  for (let i = 0; i < fans; i++) {
    const fan = await remoteAccount(db, `fan${at}-${i}`, "fans.example");
    await db
      .insert(favourites)
      .values({ id: newId(likedAt + i), accountId: fan.id, statusId: post.id });
  }
  return post;
}

describe("an incremental refresh", () => {
  it("scores posts with new engagement and those trending, and saves how far it read", async () => {
    await withDatabase(async (db) => {
      const start = Date.UTC(2026, 0, 10, 12);
      const first = await liked(db, start - HOUR, 6, start - 30 * 60_000);
      expect((await refreshStatusTrends(db, new Date(start))).trending).toBe(1);
      const cursor = await db
        .select()
        .from(trendRefreshes)
        .where(eq(trendRefreshes.kind, "statuses"));
      expect(cursor[0]?.readUntil.getTime()).toBe(start);
      // An hour on: a post made before the cursor but favourited since counts; the first one decays.
      const second = await liked(db, start - 2 * HOUR, 7, start + 30 * 60_000);
      const result = await refreshStatusTrends(db, new Date(start + HOUR));
      expect(result.trending).toBe(2);
      const rows = await db.select().from(statusTrends);
      const score = (id: string) => rows.find((r) => r.statusId === id)?.score;
      expect(score(first.id)).toBeCloseTo(25 * 0.5 ** 1, 6);
      expect(score(second.id)).toBeCloseTo(36 * 0.5 ** 1.5, 6);
      // A suspension since: the next refresh drops the post even with no new engagement.
      await db
        .update(accounts)
        .set({ suspendedAt: new Date() })
        .where(eq(accounts.id, second.accountId));
      expect((await refreshStatusTrends(db, new Date(start + HOUR + 60_000))).trending).toBe(1);
    });
  });

  it("reads new rows by primary key from the cursor and counts through indexes (SQLite plans)", async () => {
    await withDatabase(async (db) => {
      const start = Date.UTC(2026, 0, 10, 12);
      await liked(db, start - HOUR, 6, start - 30 * 60_000, "sunset");
      const prepare = db.$client.prepare.bind(db.$client);
      const texts: string[] = [];
      db.$client.prepare = ((source: string) => {
        texts.push(source);
        return prepare(source);
      }) as typeof db.$client.prepare;
      await refreshStatusTrends(db, new Date(start));
      await refreshTagTrends(db, new Date(start));
      await trendingStatuses(db, null, { limit: 20, offset: 0 });
      db.$client.prepare = prepare;
      const selects = texts.filter((t) => /^select/i.test(t));
      expect(selects.length).toBeGreaterThanOrEqual(6);
      const plans: string[] = [];
      for (const text of selects) {
        const placeholders = (text.match(/\?/g) ?? []).length;
        const plan = prepare(`explain query plan ${text}`)
          .all(...Array(placeholders).fill("1"))
          .map((row) => (row as { detail: string }).detail)
          .join("\n");
        // The trends tables themselves are read whole: they hold only what trends.
        expect({ text, plan }).not.toMatchObject({
          plan: expect.stringMatching(/SCAN (statuses|favourites|status_tags|accounts)\b/),
        });
        plans.push(plan);
      }
      const all = plans.join("\n");
      // New rows from the cursor on, by primary key.
      expect(all).toMatch(/SEARCH favourites USING INDEX sqlite_autoindex_favourites_1 \(id>\?\)/);
      expect(all).toMatch(/SEARCH statuses USING INDEX sqlite_autoindex_statuses_1 \(id>\?\)/);
      expect(all).toMatch(/SEARCH status_tags USING COVERING INDEX sqlite_autoindex_status_tags_1/);
      // A page of trending statuses walks the score index and stops at the page.
      expect(all).toMatch(/SEARCH status_trends USING INDEX status_trends_score_idx/);
      // Engagement per candidate, and a tag's two days, by their indexes.
      for (const index of [
        "favourites_status_idx",
        "statuses_reblog_idx",
        "statuses_reply_idx",
        "status_tags_tag_idx",
      ]) {
        expect(all).toContain(index);
      }
    });
  });
});
