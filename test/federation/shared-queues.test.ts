// One conformance suite for Fedify's MessageQueue and KvStore on SQLite, PostgreSQL and Redis (real
// servers started on loopback). The shared ones are also run as two processes would use them: two queue
// objects on their own connections split the work without handling a message twice or breaking an
// ordering key, and a worker killed with SIGKILL mid-handling loses nothing.
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { KvStore, MessageQueue } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SqliteKvStore } from "../../federation/kv.ts";
import { SqliteMessageQueue } from "../../federation/queue.ts";
import { createSharedQueues, type SharedQueues } from "../../federation/shared-queues.ts";
import { closeDatabase, openDatabase } from "../../src/db/client.ts";
import { waitFor } from "../helpers/federation.ts";
import { createDatabase, startPostgres, startRedis, type TestServer } from "../helpers/servers.ts";

interface QueueOptions {
  concurrency?: number;
  pollIntervalMs?: number;
}

/** One fresh, empty store; each queue() or kv() is a new object on connections of its own. */
interface Store {
  queue(options?: QueueOptions): Promise<MessageQueue>;
  kv(): Promise<KvStore>;
  /** The arguments test/helpers/queue-child.ts needs to work on this store. */
  childArgs?: string[];
  /** Cuts the connection a listener waits for wake-ups on, as a network failure or server restart would. */
  cutWakeUps?(): Promise<void>;
  close(): Promise<void>;
}

interface Backend {
  name: string;
  /** Several queue objects on one store behave as several processes (not so for SQLite's queue). */
  shared: boolean;
  fresh(): Promise<Store>;
}

const LEASE_MS = 300;
let postgres: TestServer;
let redis: TestServer;
let databases = 0;

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([postgres?.stop(), redis?.stop()]);
});

function sharedStore(
  target: () => Parameters<typeof createSharedQueues>[0],
  childArgs: string[],
  cutWakeUps: () => Promise<void>,
  end: () => Promise<void> = async () => {},
): Store {
  const opened: SharedQueues[] = [];
  const open = async (options: QueueOptions = {}) => {
    const shared = await createSharedQueues(target(), {
      leaseMs: LEASE_MS,
      pollIntervalMs: 50,
      ...options,
    });
    opened.push(shared);
    return shared;
  };
  return {
    queue: async (options) => (await open(options)).queue,
    kv: async () => (await open()).kv,
    childArgs,
    cutWakeUps,
    async close() {
      await Promise.all(opened.map((s) => s.close()));
      await end();
    },
  };
}

const backends: Backend[] = [
  {
    name: "SQLite",
    shared: false,
    async fresh() {
      const db = openDatabase(":memory:");
      return {
        queue: async (options = {}) =>
          new SqliteMessageQueue(db, { ...options, pollIntervalMs: 50 }),
        kv: async () => new SqliteKvStore(db),
        async close() {
          closeDatabase(db);
        },
      };
    },
  },
  {
    name: "PostgreSQL",
    shared: true,
    async fresh() {
      const url = await createDatabase(postgres.url, `queues_${++databases}`);
      const pools: pg.Pool[] = [];
      return sharedStore(
        () => {
          // A pool per object, as each process has its own.
          const pool = new pg.Pool({ connectionString: url, max: 4 });
          pools.push(pool);
          return { postgres: pool };
        },
        ["postgres", url, "", String(LEASE_MS)],
        async () => {
          const admin = new pg.Client({ connectionString: url });
          await admin.connect();
          const { rowCount } = await admin.query(
            `select pg_terminate_backend(pid) from pg_stat_activity
             where datname = current_database() and query like 'listen %'`,
          );
          await admin.end();
          expect(rowCount).toBe(1);
        },
        async () => {
          await Promise.all(pools.map((p) => p.end()));
        },
      );
    },
  },
  {
    name: "Redis",
    shared: true,
    async fresh() {
      // Each test under a prefix of its own on the one server, as several instances would share it.
      const keyPrefix = `test${++databases}:`;
      return sharedStore(
        () => ({ redis: redis.url, keyPrefix }),
        ["redis", redis.url, keyPrefix, String(LEASE_MS)],
        async () => {
          const admin = new Redis(redis.url);
          const killed = await admin.call("CLIENT", "KILL", "TYPE", "pubsub");
          admin.disconnect();
          expect(killed).toBe(1);
        },
      );
    },
  },
];

/** Listens until stop(), which resolves once listen() has returned. */
function listening(queue: MessageQueue, handler: (message: unknown) => Promise<void> | void) {
  const abort = new AbortController();
  const done = queue.listen(handler, { signal: abort.signal });
  return {
    async stop() {
      abort.abort();
      await done;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const backend of backends) {
  describe(`${backend.name} MessageQueue and KvStore`, () => {
    let store: Store;
    afterEach(async () => {
      await store?.close();
    });

    it("hands each enqueued message to the listener once, then has none left", async () => {
      store = await backend.fresh();
      const queue = await store.queue();
      await queue.enqueue({ n: 1 });
      await queue.enqueueMany!([{ n: 2 }, { n: 3 }]);
      expect((await queue.getDepth!()).queued).toBe(3);
      const received: number[] = [];
      const listener = listening(queue, (m) => {
        received.push((m as { n: number }).n);
      });
      await waitFor("three messages", () => received.length === 3);
      await queue.enqueue({ n: 4 });
      await waitFor("the fourth message", () => received.length === 4);
      await listener.stop();
      expect(received.sort()).toEqual([1, 2, 3, 4]);
      expect(await queue.getDepth!()).toEqual({ queued: 0, ready: 0, delayed: 0 });
    });

    it("does not hand out a delayed message before its delay", async () => {
      store = await backend.fresh();
      const queue = await store.queue();
      const before = Date.now();
      await queue.enqueue({ n: "late" }, { delay: Temporal.Duration.from({ milliseconds: 400 }) });
      await queue.enqueue({ n: "now" });
      expect(await queue.getDepth!()).toMatchObject({ queued: 2, delayed: 1 });
      const received: { n: string; at: number }[] = [];
      const listener = listening(queue, (m) => {
        received.push({ n: (m as { n: string }).n, at: Date.now() });
      });
      await waitFor("both messages", () => received.length === 2);
      await listener.stop();
      expect(received.map((r) => r.n)).toEqual(["now", "late"]);
      // Whole milliseconds on both clocks: one of rounding.
      expect(received[1]!.at).toBeGreaterThanOrEqual(before + 400 - 1);
    });

    it("handles the messages of one ordering key one at a time, in order", async () => {
      store = await backend.fresh();
      const queue = await store.queue({ concurrency: 4 });
      await queue.enqueue({ key: "a", n: 1 }, { orderingKey: "a" });
      await queue.enqueueMany!(
        [
          { key: "a", n: 2 },
          { key: "a", n: 3 },
        ],
        { orderingKey: "a" },
      );
      await queue.enqueueMany!([
        { key: null, n: 4 },
        { key: null, n: 5 },
      ]);
      await queue.enqueue({ key: "a", n: 6 }, { orderingKey: "a" });
      const order: number[] = [];
      let inFlight = 0;
      let most = 0;
      let all = 0;
      const listener = listening(queue, async (m) => {
        const { key, n } = m as { key: string | null; n: number };
        if (key === "a") most = Math.max(most, ++inFlight);
        await sleep(15);
        if (key === "a") {
          order.push(n);
          inFlight--;
        }
        all++;
      });
      await waitFor("all six messages", () => all === 6);
      await listener.stop();
      expect(order).toEqual([1, 2, 3, 6]);
      expect(most).toBe(1);
    });

    it("keeps a message whose handler failed, delayed for a later attempt", async () => {
      store = await backend.fresh();
      const queue = await store.queue();
      await queue.enqueue({ n: 1 });
      let calls = 0;
      const listener = listening(queue, () => {
        calls++;
        throw new Error("a bug");
      });
      await waitFor("the failed attempt", async () => (await queue.getDepth!()).delayed === 1);
      await listener.stop();
      expect(calls).toBe(1);
      expect(await queue.getDepth!()).toEqual({ queued: 1, ready: 0, delayed: 1 });
    });

    it("forgets kv entries at their TTL, lists by prefix, compares-and-swaps and deletes", async () => {
      store = await backend.fresh();
      const kv = await store.kv();
      await kv.set(["a", "b%_*["], { n: 1 });
      await kv.set(["a", "c"], 2);
      await kv.set(["ab"], 3);
      await kv.set(["a", "gone"], 4, { ttl: Temporal.Duration.from({ milliseconds: 30 }) });
      await kv.set(["a", "kept"], 5, { ttl: Temporal.Duration.from({ hours: 1 }) });
      expect(await kv.get(["a", "gone"])).toBe(4);
      await sleep(60);
      expect(await kv.get(["a", "gone"])).toBeUndefined();
      expect(await kv.get(["a", "b%_*["])).toEqual({ n: 1 });
      const listed: { key: readonly string[]; value: unknown }[] = [];
      for await (const entry of kv.list(["a"])) listed.push(entry);
      expect(listed.sort((x, y) => x.key.join().localeCompare(y.key.join()))).toEqual([
        { key: ["a", "b%_*["], value: { n: 1 } },
        { key: ["a", "c"], value: 2 },
        { key: ["a", "kept"], value: 5 },
      ]);
      expect(await kv.cas!(["a", "c"], 1, 6)).toBe(false);
      expect(await kv.cas!(["a", "c"], 2, 6)).toBe(true);
      expect(await kv.get(["a", "c"])).toBe(6);
      // An expired entry counts as absent.
      expect(await kv.cas!(["a", "gone"], undefined, 7)).toBe(true);
      expect(await kv.cas!(["a", "gone"], undefined, 8)).toBe(false);
      await kv.delete(["a", "c"]);
      expect(await kv.get(["a", "c"])).toBeUndefined();
    });

    if (!backend.shared) return;

    it("splits the messages between two listeners, never one to both, ordering keys kept", async () => {
      store = await backend.fresh();
      const [one, two] = [
        await store.queue({ concurrency: 3 }),
        await store.queue({ concurrency: 3 }),
      ];
      const handledBy = new Map<number, string[]>();
      const keyOrder = new Map<string, number[]>();
      const inFlight = new Map<string, number>();
      let most = 0;
      // Every message waits until both listeners hold one: both then work at once, on different ones.
      const started = new Set<string>();
      let bothStarted!: () => void;
      const both = new Promise<void>((r) => (bothStarted = r));
      const handler = (name: string) => async (m: unknown) => {
        const { key, n } = m as { key: string | null; n: number };
        if (key !== null) {
          inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
          most = Math.max(most, inFlight.get(key)!);
        }
        started.add(name);
        if (started.size === 2) bothStarted();
        await both;
        await sleep(5);
        handledBy.set(n, [...(handledBy.get(n) ?? []), name]);
        if (key !== null) {
          keyOrder.set(key, [...(keyOrder.get(key) ?? []), n]);
          inFlight.set(key, inFlight.get(key)! - 1);
        }
      };
      const listeners = [listening(one, handler("one")), listening(two, handler("two"))];
      for (let n = 0; n < 30; n++) {
        const key = n % 3 === 0 ? "a" : n % 3 === 1 ? "b" : null;
        const queue = n % 2 === 0 ? one : two;
        await queue.enqueue({ key, n }, key === null ? {} : { orderingKey: key });
      }
      await waitFor("all 30 messages", () => handledBy.size === 30);
      await Promise.all(listeners.map((l) => l.stop()));
      expect([...handledBy.values()].every((names) => names.length === 1)).toBe(true);
      const names = new Set([...handledBy.values()].flat());
      expect([...names].sort()).toEqual(["one", "two"]);
      expect(most).toBe(1);
      expect(keyOrder.get("a")).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 27]);
      expect(keyOrder.get("b")).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28]);
    });

    it("hands a message claimed by a worker killed with SIGKILL to another, once its lease ran out", async () => {
      store = await backend.fresh();
      const queue = await store.queue();
      const child = spawn(
        process.execPath,
        [join(import.meta.dirname, "../helpers/queue-child.ts"), ...store.childArgs!],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      let output = "";
      child.stdout.on("data", (d) => {
        output += d;
      });
      const exited = new Promise((r) => child.once("exit", r));
      try {
        await waitFor("the worker to listen", () => output.includes("listening"));
        await queue.enqueue({ n: "abandoned" }, { orderingKey: "k" });
        await queue.enqueue({ n: "next" }, { orderingKey: "k" });
        await waitFor("the worker's claim", () => output.includes('claimed {"n":"abandoned"}'));
        child.kill("SIGKILL");
        await exited;
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
      expect(output).not.toContain("next");
      const received: string[] = [];
      const listener = listening(queue, (m) => {
        received.push((m as { n: string }).n);
      });
      await waitFor("both messages, again", () => received.length === 2);
      await listener.stop();
      expect(received).toEqual(["abandoned", "next"]);
      expect((await queue.getDepth!()).queued).toBe(0);
    });

    it("wakes up for new messages again after its wake-up connection was cut", async () => {
      store = await backend.fresh();
      // No polling: only a wake-up can bring a message.
      const queue = await store.queue({ pollIntervalMs: 3_600_000 });
      const received: number[] = [];
      const listener = listening(queue, (m) => {
        received.push((m as { n: number }).n);
      });
      await queue.enqueue({ n: 1 });
      await waitFor("the first message", () => received.length === 1);
      await store.cutWakeUps!();
      await queue.enqueue({ n: 2 });
      await waitFor("the message sent while reconnecting", () => received.length === 2);
      await queue.enqueue({ n: 3 });
      await waitFor("a message after reconnecting", () => received.length === 3);
      await listener.stop();
      expect(received).toEqual([1, 2, 3]);
    });

    it("lets one of two processes win a compare-and-swap", async () => {
      store = await backend.fresh();
      const [one, two] = [await store.kv(), await store.kv()];
      const created = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).cas!(["lock"], undefined, i)),
      );
      expect(created.filter(Boolean)).toHaveLength(1);
      const winner = await one.get(["lock"]);
      const swapped = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).cas!(["lock"], winner, 100 + i)),
      );
      expect(swapped.filter(Boolean)).toHaveLength(1);
    });
  });
}
