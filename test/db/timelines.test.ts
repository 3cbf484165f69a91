// The home timeline query's two ways (a window of recent statuses, or the followed accounts' statuses
// collected and sorted) give the same exact pages, whichever one answers, in every paging direction.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, type Database, openDatabase } from "../../src/db/client.ts";
import { newId } from "../../src/db/ids.ts";
import { homeTimeline } from "../../src/db/queries/timelines.ts";
import { makeFollow, makeRemoteAccount } from "../helpers/factories.ts";

let db: Database;
let viewerId: string;
/** Ids of the followed account's statuses, newest first: what every page must be cut from. */
let followedIds: string[];

beforeAll(() => {
  db = openDatabase(":memory:");
  viewerId = makeRemoteAccount(db, "viewer", "here.example").id;
  const followed = makeRemoteAccount(db, "followed", "there.example").id;
  const loud = makeRemoteAccount(db, "loud", "there.example").id;
  makeFollow(db, viewerId, followed);
  const insert = db.$client.prepare(
    `insert into statuses (id, iri, account_id, visibility, content, local)
     values (?, ?, ?, 'public', '<p>x</p>', 0)`,
  );
  const start = Date.UTC(2026, 0, 1);
  let at = start;
  const post = (accountId: string) => {
    const id = newId(at++);
    insert.run(id, `https://there.example/statuses/${id}`, accountId);
    return id;
  };
  const ids: string[] = [];
  db.$client.transaction(() => {
    // Old posts of the followed account, then more posts by someone else than a window holds, then a
    // recent burst of the followed account: page 1 comes from the window, the next pages do not.
    for (let i = 0; i < 30; i++) ids.push(post(followed));
    for (let i = 0; i < 2500; i++) post(loud);
    for (let i = 0; i < 45; i++) ids.push(post(followed));
  })();
  followedIds = ids.reverse();
});
afterAll(() => closeDatabase(db));

const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id);

describe("home timeline pages", () => {
  it("gives the newest page, then the next ones by max_id, across the window's edge", () => {
    const first = homeTimeline(db, viewerId, { limit: 40 });
    expect(idsOf(first)).toEqual(followedIds.slice(0, 40));
    const second = homeTimeline(db, viewerId, { limit: 40, maxId: first.at(-1)!.id });
    expect(idsOf(second)).toEqual(followedIds.slice(40, 75));
    expect(homeTimeline(db, viewerId, { limit: 40, maxId: second.at(-1)!.id })).toEqual([]);
  });

  it("gives the statuses just newer than min_id, newest first, and the newest ones after since_id", () => {
    const oldest = followedIds.length - 1;
    const bound = followedIds[oldest - 10]!; // the 11th oldest
    const nearest = followedIds.slice(oldest - 10 - 40, oldest - 10);
    expect(idsOf(homeTimeline(db, viewerId, { limit: 40, minId: bound }))).toEqual(nearest);
    expect(idsOf(homeTimeline(db, viewerId, { limit: 40, sinceId: bound }))).toEqual(
      followedIds.slice(0, 40),
    );
    expect(idsOf(homeTimeline(db, viewerId, { limit: 5, maxId: followedIds[40]! }))).toEqual(
      followedIds.slice(41, 46),
    );
  });
});
