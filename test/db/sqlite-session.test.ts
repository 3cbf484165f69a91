// The asynchronous SQLite session: one connection, transactions that await, and everything else kept out
// of an open transaction until it ends.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { closeDatabase, type Database, openDatabase } from "../../src/db/client.ts";
import { tags } from "../../src/db/schema/index.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const names = async (db: Database) =>
  (await db.select({ name: tags.name }).from(tags).orderBy(tags.name)).map((t) => t.name);

let db: Database;
afterEach(() => closeDatabase(db));

describe("the asynchronous SQLite session", () => {
  it("keeps a write from elsewhere out of a transaction that then rolls back", async () => {
    db = openDatabase(":memory:");
    let outsideDone = false;
    const failing = db
      .transaction(async (tx) => {
        await tx.insert(tags).values({ name: "inside", displayName: "inside" });
        // Real waiting inside the transaction: other work gets the event loop meanwhile.
        await sleep(30);
        expect(outsideDone).toBe(false);
        throw new Error("roll back");
      })
      .catch((error: Error) => error.message);
    await sleep(5);
    const outside = db
      .insert(tags)
      .values({ name: "outside", displayName: "outside" })
      .then(() => {
        outsideDone = true;
      });
    expect(await failing).toBe("roll back");
    await outside;
    // The other write waited for the rollback and was not undone with it.
    expect(await names(db)).toEqual(["outside"]);
  });

  it("lets a reader elsewhere see only what was committed", async () => {
    db = openDatabase(":memory:");
    const writer = db.transaction(async (tx) => {
      await tx.insert(tags).values({ name: "late", displayName: "late" });
      await sleep(30);
    });
    await sleep(5);
    expect(await names(db)).toEqual(["late"]);
    await writer;
  });

  it("runs transactions one after another, and a nested one as a savepoint", async () => {
    db = openDatabase(":memory:");
    const order: string[] = [];
    const first = db.transaction(async (tx) => {
      order.push("first begins");
      await sleep(20);
      await tx.insert(tags).values({ name: "a", displayName: "a" });
      // A failing savepoint undoes its own statements only.
      await tx
        .transaction(async (inner) => {
          await inner.insert(tags).values({ name: "b", displayName: "b" });
          throw new Error("inner");
        })
        .catch(() => undefined);
      order.push("first ends");
    });
    await sleep(5);
    const second = db.transaction(async (tx) => {
      order.push("second begins");
      await tx.insert(tags).values({ name: "c", displayName: "c" });
    });
    await Promise.all([first, second]);
    expect(order).toEqual(["first begins", "first ends", "second begins"]);
    expect(await names(db)).toEqual(["a", "c"]);
  });

  it("makes a transaction begun on the database from inside another one a savepoint, not a deadlock", async () => {
    db = openDatabase(":memory:");
    await db.transaction(async (tx) => {
      await tx.insert(tags).values({ name: "outer", displayName: "outer" });
      await db.transaction(async (again) => {
        await again.update(tags).set({ displayName: "Outer" }).where(eq(tags.name, "outer"));
      });
    });
    expect(await db.select().from(tags)).toMatchObject([{ name: "outer", displayName: "Outer" }]);
  });

  it("gates raw use of the connection like drizzle's statements", async () => {
    db = openDatabase(":memory:");
    const open = db.transaction(async (tx) => {
      await tx.insert(tags).values({ name: "x", displayName: "x" });
      await sleep(20);
    });
    await sleep(5);
    const seen = await db.$gate.exclusive(
      () => db.$client.prepare("select count(*) as n from tags").get() as { n: number },
    );
    // The raw read ran after the commit, not inside the open transaction.
    expect(db.$client.inTransaction).toBe(false);
    expect(seen.n).toBe(1);
    await open;
  });
});
