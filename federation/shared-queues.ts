// Fedify's KvStore and MessageQueue for an instance run as several processes: on PostgreSQL (the main
// store's pool) or on Redis (REDIS_URL). Without either, federation/index.ts keeps both in SQLite.
import type { KvStore } from "@fedify/fedify";
import type { Pool } from "pg";
import { logger } from "../src/logging.ts";
import { PostgresKvStore } from "./postgres-kv.ts";
import { PostgresMessageQueue } from "./postgres-queue.ts";
import type { QueueListenerOptions } from "./queue-worker.ts";
import { RedisKvStore } from "./redis-kv.ts";
import { RedisMessageQueue } from "./redis-queue.ts";

const log = logger("federation", "queue");

export interface SharedQueues {
  readonly kv: KvStore;
  readonly queue: PostgresMessageQueue | RedisMessageQueue;
  /** Where they live, for the start-up log: "postgres" or "redis". */
  readonly backend: "postgres" | "redis";
  /** Creates what they need (PostgreSQL tables); they also do it on first use. */
  initialize(): Promise<void>;
  /** Ends the connections they own (none for PostgreSQL: the pool is the caller's). */
  close(): Promise<void>;
}

export type SharedQueuesTarget =
  | { postgres: Pool }
  | {
      /** redis:// or rediss:// URL. */
      redis: string;
      /** Put before every key so several instances can share one Redis, e.g. "atelier:social.example:". */
      keyPrefix: string;
    };

export interface SharedQueuesOptions extends QueueListenerOptions {
  /** How long a claimed message stays someone's before another worker may take it (ms). */
  leaseMs?: number;
}

export async function createSharedQueues(
  target: SharedQueuesTarget,
  options: SharedQueuesOptions = {},
): Promise<SharedQueues> {
  if ("postgres" in target) {
    const kv = new PostgresKvStore(target.postgres);
    const queue = new PostgresMessageQueue(target.postgres, options);
    return {
      kv,
      queue,
      backend: "postgres",
      async initialize() {
        await Promise.all([kv.initialize(), queue.initialize()]);
      },
      async close() {},
    };
  }
  // Loaded only when configured: an instance on SQLite alone never loads the Redis client.
  const { Redis } = await import("ioredis");
  const url = target.redis;
  const connect = () => {
    // ioredis reconnects by itself; a command issued meanwhile waits, and fails after some retries
    // (the queue's loop then claims again at its next poll).
    const redis = new Redis(url);
    redis.on("error", (error) => log.warning("Redis connection: {error}", { error }));
    return redis;
  };
  const kv = new RedisKvStore(connect(), { keyPrefix: target.keyPrefix });
  const queue = new RedisMessageQueue(connect, { ...options, keyPrefix: target.keyPrefix });
  return {
    kv,
    queue,
    backend: "redis",
    async initialize() {},
    async close() {
      await Promise.all([kv.close(), queue.close()]);
    },
  };
}
