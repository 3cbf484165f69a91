// The home timeline with followed hashtags: both of its ways (the window of recent statuses, and the
// followed accounts' and tags' statuses collected and sorted) give the same exact pages in every paging
// direction, a status both followed and tagged shows once, and both read from indexes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, type Database, openDatabase } from "../../src/db/client.ts";
import { closeStore } from "../../src/db/dialect.ts";
import { newId } from "../../src/db/ids.ts";
import { homeTimeline } from "../../src/db/queries/timelines.ts";
import { statuses, statusTags, tagFollows, tags } from "../../src/db/schema/index.ts";
import { follow, remoteAccount } from "../helpers/factories.ts";
import { testsOnPostgres } from "../helpers/postgres-store.ts";
import { insertMany, openTestStore } from "../helpers/store.ts";

let db: Database;
let viewerId: string;
/** Ids of what the viewer's home holds, newest first: what every page must be cut from. */
let homeIds: string[];

beforeAll(async () => {
  db = await openTestStore();
  viewerId = (await remoteAccount(db, "viewer", "here.example")).id;
  const followed = (await remoteAccount(db, "followed", "there.example")).id;
  const loud = (await remoteAccount(db, "loud", "there.example")).id;
  await follow(db, viewerId, followed);
  await db.insert(tags).values([
    { name: "rare", displayName: "Rare" },
    { name: "other", displayName: "Other" },
  ]);
  await db.insert(tagFollows).values({ id: "1", accountId: viewerId, tagName: "rare" });
  const rows: (typeof statuses.$inferInsert)[] = [];
  const tagRows: (typeof statusTags.$inferInsert)[] = [];
  const tag = (statusId: string, tagName: string) => tagRows.push({ statusId, tagName });
  let at = Date.UTC(2026, 0, 1);
  const post = (accountId: string, visibility: "public" | "private" = "public") => {
    const id = newId(at++);
    const iri = `https://there.example/statuses/${id}`;
    rows.push({ id, iri, accountId, visibility, content: "<p>x</p>", local: false });
    return id;
  };
  const ids: string[] = [];
  // Old posts of the followed account, some tagged too (shown once); then more posts by a stranger
  // than a window holds, every 150th tagged #rare (too few for a window to fill a page; some of them
  // followers-only, which home does not show from a stranger) and others tagged #other; then a
  // recent burst of both.
  for (let i = 0; i < 20; i++) {
    const id = post(followed);
    if (i % 3 === 0) {
      tag(id, "rare");
      tag(id, "other");
    }
    ids.push(id);
  }
  for (let i = 0; i < 5000; i++) {
    const hidden = i % 750 === 0;
    const id = post(loud, hidden ? "private" : "public");
    if (i % 150 === 0) {
      tag(id, "rare");
      if (!hidden) ids.push(id);
    } else if (i % 7 === 0) tag(id, "other");
  }
  for (let i = 0; i < 30; i++) ids.push(post(i % 2 === 0 ? followed : loud));
  // Only the followed account's half of the burst is home's; the stranger's half is untagged.
  for (let i = ids.length - 30; i < ids.length; i++) {
    if ((i - (ids.length - 30)) % 2 === 1) ids[i] = "";
  }
  await insertMany(db, statuses, rows);
  await insertMany(db, statusTags, tagRows);
  homeIds = ids.filter((id) => id !== "").reverse();
});
afterAll(() => closeStore(db));

const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id);

describe("home timeline with a followed tag", () => {
  it("pages newest first by max_id through the window and past it, each status once", async () => {
    expect(homeIds.length).toBe(20 + 27 + 15);
    const seen: string[] = [];
    let maxId: string | undefined;
    for (let n = 0; n < 10; n++) {
      const page = idsOf(
        await homeTimeline(db, viewerId, { limit: 20, ...(maxId ? { maxId } : {}) }),
      );
      if (page.length === 0) break;
      seen.push(...page);

      maxId = page.at(-1);
    }
    expect(seen).toEqual(homeIds);
  });

  it("gives the statuses just newer than min_id, newest first, and the newest after since_id", async () => {
    const bound = homeIds[40]!;
    expect(idsOf(await homeTimeline(db, viewerId, { limit: 10, minId: bound }))).toEqual(
      homeIds.slice(30, 40),
    );
    expect(idsOf(await homeTimeline(db, viewerId, { limit: 10, sinceId: bound }))).toEqual(
      homeIds.slice(0, 10),
    );
    expect(idsOf(await homeTimeline(db, viewerId, { limit: 100, sinceId: bound }))).toEqual(
      homeIds.slice(0, 40),
    );
  });
});

// SQLite's own plans, pinned; PostgreSQL plans for itself (the benchmark shows its plans).
describe.skipIf(testsOnPostgres())("query plans with a followed tag", () => {
  const START = Date.UTC(2026, 0, 1);
  /** SQLite's plan for every statement homeTimeline prepares (on a fresh handle, so none is cached). */
  async function plansOf(page: Parameters<typeof homeTimeline>[2]): Promise<string[]> {
    const fresh = openDatabase(":memory:");
    try {
      const viewer = (await remoteAccount(fresh, "v", "here.example")).id;
      fresh.$client.exec(`insert into tags (name, display_name) values ('t', 't');
        insert into tag_follows (id, account_id, tag_name) values ('1', '${viewer}', 't')`);
      // Enough statuses that the window has an edge, none of them home's: both ways run.
      const insert = fresh.$client.prepare(
        "insert into statuses (id, iri, account_id) values (?, ?, ?)",
      );
      const other = (await remoteAccount(fresh, "o", "there.example")).id;
      fresh.$client.transaction(() => {
        for (let i = 0; i < 2100; i++) insert.run(newId(START + i), `https://x/${i}`, other);
      })();
      const prepare = fresh.$client.prepare.bind(fresh.$client);
      const texts: string[] = [];
      fresh.$client.prepare = ((source: string) => {
        texts.push(source);
        return prepare(source);
      }) as typeof fresh.$client.prepare;
      await homeTimeline(fresh, viewer, page);
      fresh.$client.prepare = prepare;
      return (
        texts
          // The page's statements (not homeContext's, which asks whether any tag is followed).
          .filter(
            (t) =>
              t.includes("tag_follows") &&
              t.includes('from "statuses"') &&
              !t.includes("ft.account_id"),
          )
          .map((t) =>
            prepare(`explain query plan ${t}`)
              .all(...Array((t.match(/\?/g) ?? []).length).fill("1"))
              .map((row) => (row as { detail: string }).detail)
              .join("\n"),
          )
      );
    } finally {
      closeDatabase(fresh);
    }
  }

  it("walks the id index in the window and the tag index when collecting", async () => {
    const [window, collected] = await plansOf({ limit: 20, maxId: newId(START + 5000) });
    expect(window).toMatch(
      /^SEARCH statuses USING INDEX sqlite_autoindex_statuses_1 \(id>\? AND id<\?\)/,
    );
    expect(window).toMatch(/SEARCH htf EXISTS USING COVERING INDEX tag_follows_pair_unique/);
    expect(collected).toMatch(/MULTI-INDEX OR/);
    expect(collected).toMatch(
      /SEARCH status_tags USING COVERING INDEX status_tags_tag_idx \(tag_name=\? AND status_id<\?\)/,
    );
    for (const plan of [window, collected]) expect(plan).not.toMatch(/SCAN statuses/);
  });
});
