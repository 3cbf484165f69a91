import { afterEach, describe, expect, it } from "vitest";
import { closeDatabase, type Database, openDatabase } from "../../src/db/client.ts";
import { accounts } from "../../src/db/schema/index.ts";

let db: Database | undefined;
afterEach(() => {
  if (db) closeDatabase(db);
  db = undefined;
});

describe("statement cache", () => {
  it("reuses one statement per SQL text and resets raw and pluck modes between uses", () => {
    db = openDatabase(":memory:");
    const sqlite = db.$client;
    const a = sqlite.prepare("select 1 as one, 2 as two");
    expect(sqlite.prepare("select 1 as one, 2 as two")).toBe(a);
    expect(a.raw().get()).toEqual([1, 2]);
    expect(sqlite.prepare("select 1 as one, 2 as two").get()).toEqual({ one: 1, two: 2 });
    expect(sqlite.prepare("select 1 as one, 2 as two").pluck().get()).toBe(1);
    expect(sqlite.prepare("select 1 as one, 2 as two").get()).toEqual({ one: 1, two: 2 });
    // Drizzle's own queries go through it and still map rows to objects.
    expect(db.select().from(accounts).all()).toEqual([]);
    expect(db.select({ id: accounts.id }).from(accounts).all()).toEqual([]);
    expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(sqlite.pragma("journal_mode", { simple: true })).toBe("memory");
  });

  it("gives a fresh statement while the cached one is busy iterating", () => {
    db = openDatabase(":memory:");
    const sqlite = db.$client;
    const sql = "select value from json_each('[1,2,3]')";
    const outer = sqlite.prepare(sql).pluck();
    const seen: number[] = [];
    for (const v of outer.iterate() as Iterable<number>) {
      seen.push(v, ...(sqlite.prepare(sql).pluck().all() as number[]));
    }
    expect(seen).toEqual([1, 1, 2, 3, 2, 1, 2, 3, 3, 1, 2, 3]);
  });
});
