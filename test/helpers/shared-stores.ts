// The stores the conformance suites of the shared queues and key-value stores run on: SQLite, and
// PostgreSQL and Redis on real servers started on loopback (startStoreServers in beforeAll,
// stopStoreServers in afterAll). Each fresh() store is empty: a database or a key prefix of its own.
import type { KvStore, MessageQueue } from "@fedify/fedify";
import { Redis } from "ioredis";
import pg from "pg";
import { expect } from "vitest";
import { SqliteKvStore } from "../../federation/kv.ts";
import { SqliteMessageQueue } from "../../federation/queue.ts";
import { createSharedQueues, type SharedQueues } from "../../federation/shared-queues.ts";
import { closeDatabase, openDatabase } from "../../src/db/client.ts";
import { createDatabase, startPostgres, startRedis, type TestServer } from "./servers.ts";

export interface QueueOptions {
  concurrency?: number;
  inboxConcurrency?: number;
  pollIntervalMs?: number;
  /** Shared queues only (LEASE_MS unless given). */
  leaseMs?: number;
}

/** One fresh, empty store; each queue() or kv() is a new object on connections of its own. */
export interface Store {
  queue(options?: QueueOptions): Promise<MessageQueue>;
  kv(): Promise<KvStore>;
  /** The arguments test/helpers/queue-child.ts needs to work on this store. */
  childArgs?: string[];
  /** Cuts the connection a listener waits for wake-ups on, as a network failure or server restart would. */
  cutWakeUps?(): Promise<void>;
  close(): Promise<void>;
}

export interface Backend {
  name: string;
  /** Several queue objects on one store behave as several processes (not so for SQLite's queue). */
  shared: boolean;
  fresh(): Promise<Store>;
}

export const LEASE_MS = 300;
let postgres: TestServer;
let redis: TestServer;
let databases = 0;

export async function startStoreServers(): Promise<void> {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
}

export async function stopStoreServers(): Promise<void> {
  await Promise.all([postgres?.stop(), redis?.stop()]);
}

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

export const backends: Backend[] = [
  {
    name: "SQLite",
    shared: false,
    async fresh() {
      const db = openDatabase(":memory:");
      return {
        queue: async (options = {}) =>
          new SqliteMessageQueue(db, { pollIntervalMs: 50, ...options }),
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
export function listening(
  queue: MessageQueue,
  handler: (message: unknown) => Promise<void> | void,
) {
  const abort = new AbortController();
  const done = queue.listen(handler, { signal: abort.signal });
  return {
    async stop() {
      abort.abort();
      await done;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
