// One conformance suite for Fedify's MessageQueue on SQLite, PostgreSQL and Redis (real servers on
// loopback). The shared ones are also run as two processes would use them: two queue objects on their
// own connections split the work without handling a message twice or breaking an ordering key, a worker
// killed with SIGKILL mid-handling loses nothing, and a cut wake-up connection is made again.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { Temporal } from "@js-temporal/polyfill";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SqliteMessageQueue } from "../../federation/queue.ts";
import { moveSqliteQueue } from "../../federation/queue-move.ts";
import { closeDatabase, openDatabase } from "../../src/db/client.ts";
import { waitFor } from "../helpers/federation.ts";
import {
  backends,
  listening,
  type Store,
  sleep,
  startStoreServers,
  stopStoreServers,
} from "../helpers/shared-stores.ts";

beforeAll(startStoreServers, 60_000);
afterAll(stopStoreServers);

for (const backend of backends) {
  describe(`${backend.name} MessageQueue`, () => {
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

    it("runs up to its concurrency at once, received activities only up to theirs", async () => {
      store = await backend.fresh();
      const queue = await store.queue({ concurrency: 3, inboxConcurrency: 1 });
      await queue.enqueueMany!([
        { type: "inbox", n: 1 },
        { type: "inbox", n: 2 },
        { type: "outbox", n: 3 },
        { type: "outbox", n: 4 },
        { type: "outbox", n: 5 },
      ]);
      const running = new Map<number, { type: string; finish: () => void }>();
      let most = 0;
      let mostInbox = 0;
      const listener = listening(queue, (m) => {
        const { type, n } = m as { type: string; n: number };
        return new Promise<void>((resolve) => {
          running.set(n, {
            type,
            finish: () => {
              running.delete(n);
              resolve();
            },
          });
          most = Math.max(most, running.size);
          mostInbox = Math.max(
            mostInbox,
            [...running.values()].filter((r) => r.type === "inbox").length,
          );
        });
      });
      await waitFor("three running", () => running.size === 3);
      expect([...running.values()].map((r) => r.type).sort()).toEqual([
        "inbox",
        "outbox",
        "outbox",
      ]);
      const finishAll = () => {
        for (const r of [...running.values()]) r.finish();
      };
      const seen = new Set<number>();
      await waitFor("all five", () => {
        for (const n of running.keys()) seen.add(n);
        finishAll();
        return seen.size === 5 && running.size === 0;
      });
      await listener.stop();
      expect({ most, mostInbox }).toEqual({ most: 3, mostInbox: 1 });
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

    it("keeps a message from other listeners while its handler runs past the lease", async () => {
      store = await backend.fresh();
      const leaseMs = 600;
      const [one, two] = [await store.queue({ leaseMs }), await store.queue({ leaseMs })];
      await one.enqueue({ n: "slow" });
      const handled: string[] = [];
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      const first = listening(one, async () => {
        handled.push("one");
        await released;
      });
      await waitFor("the first listener's claim", () => handled.length === 1);
      const second = listening(two, () => {
        handled.push("two");
      });
      // Three leases long: without renewals the second listener would have taken it twice over.
      await sleep(3 * leaseMs);
      release();
      await Promise.all([first.stop(), second.stop()]);
      expect(handled).toEqual(["one"]);
      expect((await one.getDepth!()).queued).toBe(0);
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
  });
}

describe("switching an instance to a shared queue", () => {
  it("moves what the SQLite queue still holds, ordering keys and delays kept", async () => {
    const db = openDatabase(":memory:");
    const sqlite = new SqliteMessageQueue(db);
    await sqlite.enqueue({ n: 1 }, { orderingKey: "k" });
    await sqlite.enqueue({ n: 2 }, { orderingKey: "k" });
    await sqlite.enqueue({ n: 3 }, { delay: Temporal.Duration.from({ hours: 1 }) });
    const redisStore = await backends.find((b) => b.name === "Redis")!.fresh();
    try {
      const queue = await redisStore.queue();
      expect(await moveSqliteQueue(db, queue)).toBe(3);
      expect((await sqlite.getDepth()).queued).toBe(0);
      expect(await queue.getDepth!()).toMatchObject({ queued: 3, delayed: 2 });
      const received: number[] = [];
      const listener = listening(queue, (m) => {
        received.push((m as { n: number }).n);
      });
      await waitFor("the two ready messages", () => received.length === 2);
      await listener.stop();
      expect(received).toEqual([1, 2]);
    } finally {
      await redisStore.close();
      closeDatabase(db);
    }
  });
});
