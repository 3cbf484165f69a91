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

  it("runs up to its concurrency at once, one message per ordering key at a time", async () => {
    const db = openDatabase(":memory:");
    // No polling during the test: every claim must come from an enqueue or a finished message.
    const queue = new SqliteMessageQueue(db, { concurrency: 3, pollIntervalMs: 3_600_000 });
    await queue.enqueueMany([{ n: 1 }, { n: 2 }], { orderingKey: "same" });
    await queue.enqueueMany([{ n: 3 }, { n: 4 }, { n: 5 }]);
    const running = new Map<number, () => void>();
    const order: number[] = [];
    let inFlight = 0;
    let most = 0;
    let changed: (() => void) | undefined;
    const settled = () => new Promise<void>((r) => (changed = r));
    const abort = new AbortController();
    const listening = queue.listen(
      (m) => {
        const { n } = m as { n: number };
        order.push(n);
        most = Math.max(most, ++inFlight);
        changed?.();
        return new Promise<void>((resolve) =>
          running.set(n, () => {
            inFlight--;
            running.delete(n);
            resolve();
          }),
        );
      },
      { signal: abort.signal },
    );
    while (running.size < 3) await settled();
    // Message 2 shares message 1's key, so it waits although a slot is free for it.
    expect([...running.keys()].sort()).toEqual([1, 3, 4]);
    running.get(3)!();
    while (!running.has(5)) await settled();
    expect(running.has(2)).toBe(false);
    running.get(1)!();
    while (!running.has(2)) await settled();
    for (const n of [2, 4, 5]) running.get(n)!();
    abort.abort();
    await listening;
    expect(order.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(3);
    expect((await queue.getDepth()).queued).toBe(0);
    closeDatabase(db);
  });

  it("keeps a message whose handler failed, delayed, with the failure counted", async () => {
    const db = openDatabase(":memory:");
    const queue = new SqliteMessageQueue(db, { pollIntervalMs: 3_600_000 });
    await queue.enqueue({ n: 1 });
    const abort = new AbortController();
    const listening = queue.listen(
      () => {
        abort.abort();
        throw new Error("a bug");
      },
      { signal: abort.signal },
    );
    await listening;
    expect(await queue.getDepth()).toEqual({ queued: 1, ready: 0, delayed: 1 });
    expect(db.$client.prepare("select attempts from fedify_queue").get()).toEqual({ attempts: 1 });
    closeDatabase(db);
  });

  it("handles fewer received activities at once than deliveries", async () => {
    const db = openDatabase(":memory:");
    const queue = new SqliteMessageQueue(db, {
      concurrency: 3,
      inboxConcurrency: 1,
      pollIntervalMs: 3_600_000,
    });
    await queue.enqueueMany([
      { type: "inbox", n: 1 },
      { type: "inbox", n: 2 },
      { type: "outbox", n: 3 },
      { type: "outbox", n: 4 },
    ]);
    const running = new Map<number, () => void>();
    let changed: (() => void) | undefined;
    const settled = () => new Promise<void>((r) => (changed = r));
    const abort = new AbortController();
    const listening = queue.listen(
      (m) => {
        const { n } = m as { n: number };
        changed?.();
        return new Promise<void>((resolve) => running.set(n, resolve));
      },
      { signal: abort.signal },
    );
    while (running.size < 3) await settled();
    expect([...running.keys()].sort()).toEqual([1, 3, 4]);
    running.get(1)!();
    while (!running.has(2)) await settled();
    for (const n of [2, 3, 4]) running.get(n)!();
    abort.abort();
    await listening;
    expect((await queue.getDepth()).queued).toBe(0);
    closeDatabase(db);
  });

  // With a backlog of received activities and their slots full, each claim used to read the whole
  // backlog to skip it; the deliveries' partial index reads only deliveries.
  it("claims deliveries alone through their own index while the activities' slots are full", async () => {
    const db = openDatabase(":memory:");
    const prepare = db.$client.prepare.bind(db.$client);
    const texts: string[] = [];
    db.$client.prepare = ((source: string) => {
      texts.push(source);
      return prepare(source);
    }) as typeof db.$client.prepare;
    // The queue prepares its statements on first use.
    const queue = new SqliteMessageQueue(db, { concurrency: 2, inboxConcurrency: 1 });
    await queue.enqueueMany([{ type: "inbox", n: 1 }]);
    db.$client.prepare = prepare;
    const deliveries = texts.find((t) => t.includes("substr(message"));
    expect(deliveries).toBeDefined();
    const plan = prepare(`explain query plan ${deliveries}`)
      .all(0, "[]", "[]", 1)
      .map((row) => (row as { detail: string }).detail);
    expect(plan[0]).toMatch(/USING INDEX fedify_queue_delivery_ready_idx/);
    closeDatabase(db);
  });
});
