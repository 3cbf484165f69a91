// Fedify's KvStore and MessageQueue over SQLite: values expire, prefixes list, CAS is atomic, and a queued
// message survives the process (a reopened database still delivers it).
import { Temporal } from "@js-temporal/polyfill";
import { describe, expect, it } from "vitest";
import { SqliteKvStore } from "../../federation/kv.ts";
import { SqliteMessageQueue } from "../../federation/queue.ts";
import { closeDatabase, openDatabase } from "../../src/db/client.ts";
import { tempDir } from "../helpers/instance.ts";

describe("SQLite KvStore", () => {
  it("gets, sets with a TTL, lists by prefix, compares-and-swaps and deletes", async () => {
    const db = openDatabase(":memory:");
    const kv = new SqliteKvStore(db);
    await kv.set(["a", "b%_"], { n: 1 });
    await kv.set(["a", "c"], 2);
    await kv.set(["ab"], 3);
    await kv.set(["a", "gone"], 4, { ttl: Temporal.Duration.from({ milliseconds: 1 }) });
    await new Promise((r) => setTimeout(r, 10));
    expect(await kv.get(["a", "b%_"])).toEqual({ n: 1 });
    expect(await kv.get(["a", "gone"])).toBeUndefined();
    const listed: unknown[] = [];
    for await (const e of kv.list(["a"])) listed.push(e.key);
    expect(listed.sort()).toEqual([
      ["a", "b%_"],
      ["a", "c"],
    ]);
    expect(await kv.cas(["a", "c"], 1, 5)).toBe(false);
    expect(await kv.cas(["a", "c"], 2, 5)).toBe(true);
    expect(await kv.get(["a", "c"])).toBe(5);
    await kv.delete(["a", "c"]);
    expect(await kv.get(["a", "c"])).toBeUndefined();
    closeDatabase(db);
  });
});

describe("SQLite MessageQueue", () => {
  it("keeps a message that was not handled before a stop, and delivers it after reopening", async () => {
    const dir = tempDir();
    const path = `${dir.path}/q.sqlite`;
    let db = openDatabase(path);
    await new SqliteMessageQueue(db).enqueue({ hello: "world" });
    // Delayed messages wait.
    await new SqliteMessageQueue(db).enqueue(
      { later: true },
      {
        delay: Temporal.Duration.from({ seconds: 60 }),
      },
    );
    closeDatabase(db);

    db = openDatabase(path);
    const queue = new SqliteMessageQueue(db, { pollIntervalMs: 20 });
    const received: unknown[] = [];
    const abort = new AbortController();
    const listening = queue.listen(
      (m) => {
        received.push(m);
        abort.abort();
      },
      { signal: abort.signal },
    );
    await listening;
    expect(received).toEqual([{ hello: "world" }]);
    expect((await queue.getDepth()).queued).toBe(1);
    closeDatabase(db);
    dir.remove();
  });
});
