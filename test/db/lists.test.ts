// The list timeline pages exactly like home (window first, then the members' index), the home timeline
// of a viewer with an exclusive list stays exact and leaves the list's members out, and the extra
// conditions read indexes: a lists row read per exclusive list, never a scan.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, type Database, openDatabase } from "../../src/db/client.ts";
import { closeStore } from "../../src/db/dialect.ts";
import { newId } from "../../src/db/ids.ts";
import { listTimeline } from "../../src/db/queries/list-timeline.ts";
import { homeTimeline } from "../../src/db/queries/timelines.ts";
import { statuses } from "../../src/db/schema/index.ts";
import { addListAccounts, createList } from "../../src/domain/lists.ts";
import { follow, remoteAccount } from "../helpers/factories.ts";
import { testsOnPostgres } from "../helpers/postgres-store.ts";
import { insertMany, openTestStore } from "../helpers/store.ts";

let db: Database;
let viewerId: string;
let listId: string;
/** The member's statuses, newest first. */
let memberIds: string[];
/** The other followed account's statuses, newest first. */
let otherIds: string[];

beforeAll(async () => {
  db = await openTestStore();
  viewerId = (await remoteAccount(db, "viewer", "here.example")).id;
  const member = (await remoteAccount(db, "member", "there.example")).id;
  const other = (await remoteAccount(db, "other", "there.example")).id;
  const loud = (await remoteAccount(db, "loud", "there.example")).id;
  await follow(db, viewerId, member);
  await follow(db, viewerId, other);
  const rows: (typeof statuses.$inferInsert)[] = [];
  let at = Date.UTC(2026, 0, 1);
  const post = (accountId: string) => {
    const id = newId(at++);
    const iri = `https://there.example/statuses/${id}`;
    rows.push({ id, iri, accountId, visibility: "public", content: "<p>x</p>", local: false });
    return id;
  };
  const mine: string[] = [];
  const others: string[] = [];
  // Old posts of both followed accounts, more by a stranger than a window holds, then a recent burst.
  for (let i = 0; i < 30; i++) {
    mine.push(post(member));
    others.push(post(other));
  }
  for (let i = 0; i < 2500; i++) post(loud);
  for (let i = 0; i < 45; i++) {
    mine.push(post(member));
    others.push(post(other));
  }
  await insertMany(db, statuses, rows);
  memberIds = mine.reverse();
  otherIds = others.reverse();
  listId = (await createList(db, viewerId, { title: "Members", exclusive: true })).id;
  await addListAccounts(db, viewerId, listId, [member]);
});
afterAll(() => closeStore(db));

const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id);

describe("list timeline pages", () => {
  it("gives the members' newest page, then the next ones by max_id, across the window's edge", async () => {
    const list = { id: listId, repliesPolicy: "list" as const };
    const first = await listTimeline(db, viewerId, list, { limit: 40 });
    expect(idsOf(first)).toEqual(memberIds.slice(0, 40));
    const second = await listTimeline(db, viewerId, list, { limit: 40, maxId: first.at(-1)!.id });
    expect(idsOf(second)).toEqual(memberIds.slice(40, 75));
    expect(await listTimeline(db, viewerId, list, { limit: 40, maxId: second.at(-1)!.id })).toEqual(
      [],
    );
    const bound = memberIds[60]!;
    expect(idsOf(await listTimeline(db, viewerId, list, { limit: 10, minId: bound }))).toEqual(
      memberIds.slice(50, 60),
    );
  });
});

describe("home timeline with an exclusive list", () => {
  it("leaves the list's members out and still pages exactly across the window's edge", async () => {
    const first = await homeTimeline(db, viewerId, { limit: 40 });
    expect(idsOf(first)).toEqual(otherIds.slice(0, 40));
    const second = await homeTimeline(db, viewerId, { limit: 40, maxId: first.at(-1)!.id });
    expect(idsOf(second)).toEqual(otherIds.slice(40, 75));
  });
});

// SQLite's own plans, pinned; PostgreSQL plans for itself (the benchmark shows its plans).
describe.skipIf(testsOnPostgres())("query plans", () => {
  /** SQLite's plans for the statements `read` prepares on a fresh handle, by their SQL text. */
  async function plansOf(
    read: (fresh: Database) => Promise<unknown>,
  ): Promise<Map<string, string[]>> {
    const fresh = openDatabase(":memory:");
    try {
      const prepare = fresh.$client.prepare.bind(fresh.$client);
      const texts: string[] = [];
      fresh.$client.prepare = ((source: string) => {
        texts.push(source);
        return prepare(source);
      }) as typeof fresh.$client.prepare;
      await read(fresh);
      fresh.$client.prepare = prepare;
      const plans = new Map<string, string[]>();
      for (const text of texts) {
        if (!/^select/i.test(text)) continue;
        const placeholders = (text.match(/\?/g) ?? []).length;
        plans.set(
          text,
          prepare(`explain query plan ${text}`)
            .all(...Array(placeholders).fill("1"))
            .map((row) => (row as { detail: string }).detail),
        );
      }
      return plans;
    } finally {
      closeDatabase(fresh);
    }
  }

  it("checks for exclusive lists with the partial index and probes indexes per status", async () => {
    const plans = await plansOf(async (fresh) => {
      const owner = (await remoteAccount(fresh, "owner", "here.example")).id;
      await createList(fresh, owner, { title: "x", exclusive: true });
      await homeTimeline(fresh, owner, { limit: 20 });
    });
    // The check is part of the page's first statement (timelines.ts homeContext).
    const check = [...plans].find(([text]) => text.includes("el.exclusive"));
    expect(check?.[1].join("\n")).toMatch(/SEARCH el USING COVERING INDEX lists_exclusive_idx/);
    const home = [...plans].filter(([text]) => text.includes("xl.exclusive"));
    expect(home.length).toBeGreaterThan(0);
    for (const [, plan] of home) {
      const text = plan.join("\n");
      expect(text).toMatch(/SEARCH xl USING (COVERING )?INDEX lists_exclusive_idx/);
      expect(text).toMatch(/SEARCH xla (EXISTS )?USING COVERING INDEX list_accounts_pair_unique/);
      expect(text).not.toMatch(/SCAN (xl|xla)\b/);
    }
  });

  it("reads a list's members through the (list_id, account_id) index", async () => {
    const plans = await plansOf(async (fresh) => {
      const owner = (await remoteAccount(fresh, "owner", "here.example")).id;
      const list = await createList(fresh, owner, { title: "x" });
      await listTimeline(fresh, owner, list, { limit: 20 });
    });
    const list = [...plans].filter(([text]) => text.includes("la.list_id"));
    expect(list.length).toBeGreaterThan(0);
    for (const [, plan] of list) {
      expect(plan.join("\n")).toMatch(/list_accounts_pair_unique/);
      expect(plan.join("\n")).not.toMatch(/SCAN la\b/);
    }
  });
});
