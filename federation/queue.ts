// Fedify's MessageQueue over the main SQLite database (table fedify_queue). A message is deleted only
// after its handler finished, so a delivery accepted before a crash or kill -9 runs again after restart.
import { EventEmitter } from "node:events";
import type {
  MessageQueue,
  MessageQueueDepth,
  MessageQueueEnqueueOptions,
  MessageQueueListenOptions,
} from "@fedify/fedify";
import type Sqlite from "better-sqlite3";
import { count, eq, lte } from "drizzle-orm";
import type { Database } from "../src/db/client.ts";
import { newId } from "../src/db/ids.ts";
import { fedifyQueue } from "../src/db/schema/index.ts";
import { logger } from "../src/logging.ts";
import { durationMs } from "./kv.ts";

const log = logger("federation", "queue");

export interface SqliteMessageQueueOptions {
  /** How often to look for delayed messages that became ready (ms). */
  pollIntervalMs?: number;
  /** Messages handled at once (deliveries to slow servers should not block the others). */
  concurrency?: number;
  /** How long a claimed message stays invisible to other workers. */
  leaseMs?: number;
}

export class SqliteMessageQueue implements MessageQueue {
  // Fedify retries failed deliveries itself, with its backoff policy, by enqueueing them again.
  readonly nativeRetrial = false;
  readonly #db: Database;
  readonly #wake = new EventEmitter();
  readonly #pollIntervalMs: number;
  readonly #concurrency: number;
  readonly #leaseMs: number;

  constructor(db: Database, options: SqliteMessageQueueOptions = {}) {
    this.#db = db;
    this.#pollIntervalMs = options.pollIntervalMs ?? 500;
    this.#concurrency = options.concurrency ?? 4;
    this.#leaseMs = options.leaseMs ?? 10 * 60_000;
    this.#wake.setMaxListeners(0);
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions) {
    if (messages.length === 0) return;
    const delay = options?.delay == null ? 0 : Math.max(0, durationMs(options.delay as never));
    const readyAt = new Date(Date.now() + delay);
    this.#db.transaction((tx) => {
      for (const message of messages) {
        tx.insert(fedifyQueue)
          .values({ id: newId(), message, orderingKey: options?.orderingKey ?? null, readyAt })
          .run();
      }
    });
    this.#wake.emit("wake");
  }

  async getDepth(): Promise<MessageQueueDepth> {
    const now = new Date();
    const total = this.#db.select({ n: count() }).from(fedifyQueue).get()?.n ?? 0;
    const ready =
      this.#db.select({ n: count() }).from(fedifyQueue).where(lte(fedifyQueue.readyAt, now)).get()
        ?.n ?? 0;
    return { queued: total, ready, delayed: total - ready };
  }

  // The poller runs every half second: its statements are prepared once and kept, rather than making
  // garbage Statements for the GC on every poll (better-sqlite3 12 on Node 24.19+ can abort when one is
  // finalized by an idle GC; see the report on this branch).
  #statements?: {
    claimable: Sqlite.Statement<[number, number, number], { id: string; message: string }>;
    lease: Sqlite.Statement<[number, string]>;
  };

  /** Claims the oldest ready message whose ordering key is not being processed, or returns null. */
  #claim(): { id: string; message: unknown } | null {
    const client = this.#db.$client;
    if (!client.open) return null;
    this.#statements ??= {
      claimable: client.prepare(
        `select id, message from fedify_queue
         where ready_at <= ? and (locked_until is null or locked_until <= ?)
           and (ordering_key is null or ordering_key not in (
             select ordering_key from fedify_queue where ordering_key is not null and locked_until > ?))
         order by ready_at, id limit 1`,
      ),
      lease: client.prepare(
        "update fedify_queue set locked_until = ?, attempts = attempts + 1 where id = ?",
      ),
    };
    const { claimable, lease } = this.#statements;
    return client.transaction(() => {
      const now = Date.now();
      const row = claimable.get(now, now, now);
      if (row === undefined) return null;
      lease.run(now + this.#leaseMs, row.id);
      return { id: row.id, message: JSON.parse(row.message) as unknown };
    })();
  }

  async listen(
    handler: (message: unknown) => Promise<void> | void,
    options: MessageQueueListenOptions = {},
  ): Promise<void> {
    const { signal } = options;
    // One process owns the queue, so claims left by a previous (crashed) run are released at once
    // instead of waiting for their lease to lapse.
    this.#db.update(fedifyQueue).set({ lockedUntil: null }).run();
    let running = 0;
    let wakeUp: (() => void) | undefined;
    const onWake = () => wakeUp?.();
    this.#wake.on("wake", onWake);
    signal?.addEventListener("abort", onWake, { once: true });
    const inFlight = new Set<Promise<void>>();
    try {
      while (!signal?.aborted && this.#db.$client.open) {
        while (running < this.#concurrency) {
          const claimed = this.#claim();
          if (claimed === null) break;
          running++;
          const task = this.#run(claimed, handler).finally(() => {
            running--;
            inFlight.delete(task);
            onWake();
          });
          inFlight.add(task);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.#pollIntervalMs);
          wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeUp = undefined;
      }
    } finally {
      this.#wake.off("wake", onWake);
      await Promise.allSettled(inFlight);
    }
  }

  async #run(
    claimed: { id: string; message: unknown },
    handler: (message: unknown) => Promise<void> | void,
  ): Promise<void> {
    try {
      await handler(claimed.message);
      if (this.#db.$client.open) {
        this.#db.delete(fedifyQueue).where(eq(fedifyQueue.id, claimed.id)).run();
      }
    } catch (error) {
      // Fedify handles delivery failures itself; an error here is a bug or a closed database. Keep the
      // message for a later attempt rather than lose it, but not forever.
      log.error("Queue handler failed for message {id}: {error}", { id: claimed.id, error });
      if (!this.#db.$client.open) return;
      const row = this.#db.select().from(fedifyQueue).where(eq(fedifyQueue.id, claimed.id)).get();
      if (row === undefined) return;
      if (row.attempts >= 5) {
        this.#db.delete(fedifyQueue).where(eq(fedifyQueue.id, claimed.id)).run();
      } else {
        this.#db
          .update(fedifyQueue)
          .set({ lockedUntil: null, readyAt: new Date(Date.now() + 5000 * 2 ** row.attempts) })
          .where(eq(fedifyQueue.id, claimed.id))
          .run();
      }
    }
  }
}
