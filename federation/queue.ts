// Fedify's MessageQueue over the main SQLite database (table fedify_queue). A message is deleted only
// after its handler finished, so a delivery accepted before a crash or kill -9 runs again after restart.
// A fan-out turns into one message per inbox (1,000 at once for a popular post), so the hot statements
// are prepared once and free worker slots are filled by one claim each, not one query per message.
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
  /**
   * Messages handled at once. Deliveries spend most of their time waiting for the other server, so a
   * fan-out needs many in flight; 16 keeps both cores busy (see bench/fanout.ts) while a slow server
   * holds one slot only.
   */
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
    this.#concurrency = options.concurrency ?? 16;
    this.#leaseMs = options.leaseMs ?? 10 * 60_000;
    this.#wake.setMaxListeners(0);
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions) {
    if (messages.length === 0) return;
    const delay = options?.delay == null ? 0 : Math.max(0, durationMs(options.delay as never));
    const readyAt = Date.now() + delay;
    const { insert } = this.#prepared();
    const orderingKey = options?.orderingKey ?? null;
    this.#db.$client.transaction(() => {
      for (const message of messages) {
        insert.run(newId(), JSON.stringify(message), orderingKey, readyAt);
      }
    })();
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

  // Prepared once and kept: drizzle would build each statement's SQL again on every call (a fan-out makes
  // thousands), and the poller would make garbage Statements twice a second. (better-sqlite3 12 on Node
  // 24.19+ could abort when the collector finalized one; see test/db/statements.test.ts.)
  #statements?: {
    claimable: Sqlite.Statement<
      [number, number, number, number],
      { id: string; message: string; ordering_key: string | null }
    >;
    lease: Sqlite.Statement<[number, string]>;
    insert: Sqlite.Statement<[string, string, string | null, number]>;
    remove: Sqlite.Statement<[string]>;
  };

  #prepared() {
    const client = this.#db.$client;
    this.#statements ??= {
      claimable: client.prepare(
        // The ordering-key test runs only for messages that carry a key (ours never do; Fedify sets one
        // only when asked); as a "not in" over the whole table it made each claim read every queued
        // row, a fan-out's 1,000 for each of its 1,000 claims.
        `select id, message, ordering_key from fedify_queue q
         where ready_at <= ? and (locked_until is null or locked_until <= ?)
           and (ordering_key is null or not exists (
             select 1 from fedify_queue busy
             where busy.ordering_key = q.ordering_key and busy.locked_until > ?))
         order by ready_at, id limit ?`,
      ),
      lease: client.prepare(
        "update fedify_queue set locked_until = ?, attempts = attempts + 1 where id = ?",
      ),
      insert: client.prepare(
        "insert into fedify_queue (id, message, ordering_key, ready_at) values (?, ?, ?, ?)",
      ),
      remove: client.prepare("delete from fedify_queue where id = ?"),
    };
    return this.#statements;
  }

  /**
   * Claims up to `limit` of the oldest ready messages, at most one per ordering key (and none whose key
   * is being processed).
   */
  #claim(limit: number): { id: string; message: unknown }[] {
    const client = this.#db.$client;
    if (!client.open || limit <= 0) return [];
    const { claimable, lease } = this.#prepared();
    return client.transaction(() => {
      const now = Date.now();
      const keys = new Set<string>();
      const claimed: { id: string; message: unknown }[] = [];
      for (const row of claimable.all(now, now, now, limit)) {
        if (row.ordering_key !== null) {
          if (keys.has(row.ordering_key)) continue;
          keys.add(row.ordering_key);
        }
        lease.run(now + this.#leaseMs, row.id);
        claimed.push({ id: row.id, message: JSON.parse(row.message) as unknown });
      }
      return claimed;
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
        // A claim may come back short when two messages share an ordering key; the next one skips
        // that key (now leased) and fills the remaining slots.
        while (running < this.#concurrency) {
          const batch = this.#claim(this.#concurrency - running);
          if (batch.length === 0) break;
          for (const claimed of batch) {
            running++;
            const task = this.#run(claimed, handler).finally(() => {
              running--;
              inFlight.delete(task);
              onWake();
            });
            inFlight.add(task);
          }
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
      if (this.#db.$client.open) this.#prepared().remove.run(claimed.id);
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
