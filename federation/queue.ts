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
import { count, lte } from "drizzle-orm";
import type { Database } from "../src/db/client.ts";
import { newId } from "../src/db/ids.ts";
import { DELIVERY_MESSAGE_SQL, fedifyQueue, INBOX_MESSAGE_PREFIX } from "../src/db/schema/index.ts";
import { logger } from "../src/logging.ts";
import { durationMs } from "./kv.ts";

const log = logger("federation", "queue");

/**
 * The oldest ready messages not being handled (their ids, then the busy ordering keys, bound as JSON
 * arrays), with `extra` conditions.
 */
function claimSql(extra: string): string {
  return `select id, message, ordering_key from fedify_queue
    where ready_at <= ? and id not in (select value from json_each(?))
      and (ordering_key is null or ordering_key not in (select value from json_each(?)))
      ${extra}
    order by ready_at, id limit ?`;
}

type ClaimStatement = Sqlite.Statement<
  [number, string, string, number],
  { id: string; message: string; ordering_key: string | null }
>;

interface Claimed {
  id: string;
  message: unknown;
  orderingKey: string | null;
  inbox: boolean;
}

export interface SqliteMessageQueueOptions {
  /** How often to look for delayed messages that became ready (ms). */
  pollIntervalMs?: number;
  /**
   * Messages handled at once. Deliveries spend most of their time waiting for the other server, so a
   * fan-out needs many in flight; 16 keeps both cores busy (see bench/fanout.ts) while a slow server
   * holds one slot only.
   */
  concurrency?: number;
  /**
   * Of those, how many may be received activities (Fedify's "inbox" messages). Handling one is CPU
   * work (JSON-LD, storage) on the one thread, so more at once only interleave them: at 16 the inbox
   * benchmark used a third more CPU per activity and took twice as long as at 4.
   */
  inboxConcurrency?: number;
}

export class SqliteMessageQueue implements MessageQueue {
  // Fedify retries failed deliveries itself, with its backoff policy, by enqueueing them again.
  readonly nativeRetrial = false;
  readonly #db: Database;
  readonly #wake = new EventEmitter();
  readonly #pollIntervalMs: number;
  readonly #concurrency: number;
  readonly #inboxConcurrency: number;
  #inboxRunning = 0;
  // Messages being handled, and their ordering keys. One process owns the queue (listen() runs once
  // per process, and a restart re-runs whatever was claimed), so claims live in memory: writing a lease
  // into a fan-out's 6 kB rows cost a write transaction per delivery.
  readonly #claimed = new Set<string>();
  readonly #busyKeys = new Set<string>();

  constructor(db: Database, options: SqliteMessageQueueOptions = {}) {
    this.#db = db;
    this.#pollIntervalMs = options.pollIntervalMs ?? 500;
    this.#concurrency = options.concurrency ?? 16;
    this.#inboxConcurrency = options.inboxConcurrency ?? 4;
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
    await this.#db.$gate.exclusive(() =>
      this.#db.$client.transaction(() => {
        for (const message of messages) {
          insert.run(newId(), JSON.stringify(message), orderingKey, readyAt);
        }
      })(),
    );
    this.#wake.emit("wake");
  }

  async getDepth(): Promise<MessageQueueDepth> {
    const now = new Date();
    const total = (await this.#db.select({ n: count() }).from(fedifyQueue).limit(1))[0]?.n ?? 0;
    const ready =
      (
        await this.#db
          .select({ n: count() })
          .from(fedifyQueue)
          .where(lte(fedifyQueue.readyAt, now))
          .limit(1)
      )[0]?.n ?? 0;
    return { queued: total, ready, delayed: total - ready };
  }

  // Prepared once and kept: drizzle would build each statement's SQL again on every call (a fan-out makes
  // thousands), and the poller would make garbage Statements twice a second. (better-sqlite3 12 on Node
  // 24.19+ could abort when the collector finalized one; see test/db/statements.test.ts.)
  #statements?: {
    /** Any ready message; and deliveries only, for while the received activities' slots are full. */
    claimAny: ClaimStatement;
    claimDeliveries: ClaimStatement;
    insert: Sqlite.Statement<[string, string, string | null, number]>;
    remove: Sqlite.Statement<[string]>;
    removeMany: Sqlite.Statement<[string]>;
    failed: Sqlite.Statement<[string], { attempts: number }>;
    delay: Sqlite.Statement<[number, string]>;
  };

  #prepared() {
    const client = this.#db.$client;
    this.#statements ??= {
      claimAny: client.prepare(claimSql("")),
      claimDeliveries: client.prepare(claimSql(`and ${DELIVERY_MESSAGE_SQL}`)),
      insert: client.prepare(
        "insert into fedify_queue (id, message, ordering_key, ready_at) values (?, ?, ?, ?)",
      ),
      remove: client.prepare("delete from fedify_queue where id = ?"),
      removeMany: client.prepare(
        "delete from fedify_queue where id in (select value from json_each(?))",
      ),
      failed: client.prepare(
        "update fedify_queue set attempts = attempts + 1 where id = ? returning attempts",
      ),
      delay: client.prepare("update fedify_queue set ready_at = ? where id = ?"),
    };
    return this.#statements;
  }

  /**
   * Claims up to `limit` of the oldest ready messages that are not being handled, at most one per
   * ordering key (and none whose key is busy).
   */
  #claim(limit: number): Promise<Claimed[]> {
    // Raw statements on the shared connection wait, like drizzle's, for an open transaction to end.
    return this.#db.$gate.exclusive(() => this.#claimNow(limit));
  }

  #claimNow(limit: number): Claimed[] {
    if (!this.#db.$client.open) return [];
    this.#removeHandledNow();
    if (limit <= 0) return [];
    const statements = this.#prepared();
    // While the received activities' slots are full, their messages are skipped in SQL (through the
    // deliveries' partial index), so that deliveries queued behind a flood of them get the free slots.
    const claimable =
      this.#inboxRunning < this.#inboxConcurrency
        ? statements.claimAny
        : statements.claimDeliveries;
    const rows = claimable.all(
      Date.now(),
      JSON.stringify([...this.#claimed]),
      JSON.stringify([...this.#busyKeys]),
      limit,
    );
    const claimed: Claimed[] = [];
    for (const row of rows) {
      const inbox = row.message.startsWith(INBOX_MESSAGE_PREFIX);
      // Left for a later claim, when a received activity's slot frees up.
      if (inbox && this.#inboxRunning >= this.#inboxConcurrency) continue;
      if (row.ordering_key !== null) {
        if (this.#busyKeys.has(row.ordering_key)) continue;
        this.#busyKeys.add(row.ordering_key);
      }
      if (inbox) this.#inboxRunning++;
      this.#claimed.add(row.id);
      claimed.push({
        id: row.id,
        message: JSON.parse(row.message) as unknown,
        orderingKey: row.ordering_key,
        inbox,
      });
    }
    return claimed;
  }

  async listen(
    handler: (message: unknown) => Promise<void> | void,
    options: MessageQueueListenOptions = {},
  ): Promise<void> {
    const { signal } = options;
    let running = 0;
    let wakeUp: (() => void) | undefined;
    const onWake = () => wakeUp?.();
    this.#wake.on("wake", onWake);
    signal?.addEventListener("abort", onWake, { once: true });
    const inFlight = new Set<Promise<void>>();
    try {
      while (!signal?.aborted && this.#db.$client.open) {
        // A claim may come back short when two messages share an ordering key; the next one skips
        // that key (now busy) and fills the remaining slots.
        while (running < this.#concurrency) {
          let batch: Claimed[];
          try {
            batch = await this.#claim(this.#concurrency - running);
          } catch (error) {
            // A transient database error (another process holding the write lock past busy_timeout)
            // must not end the listener: nothing would be delivered until a restart. Try at the next poll.
            log.warning("Could not claim queued messages; retrying: {error}", { error });
            break;
          }
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
      await this.#removeHandled();
    }
  }

  async #run(claimed: Claimed, handler: (message: unknown) => Promise<void> | void): Promise<void> {
    let handled = false;
    try {
      await handler(claimed.message);
      handled = true;
      this.#removeSoon(claimed.id);
    } catch (error) {
      // Fedify handles delivery failures itself; an error here is a bug or a closed database. Keep the
      // message for a later attempt rather than lose it, but not forever.
      log.error("Queue handler failed for message {id}: {error}", { id: claimed.id, error });
      if (!this.#db.$client.open) return;
      const { failed, delay, remove } = this.#prepared();
      await this.#db.$gate.exclusive(() =>
        this.#db.$client.transaction(() => {
          const attempts = failed.get(claimed.id)?.attempts;
          if (attempts === undefined) return;
          if (attempts >= 5) remove.run(claimed.id);
          // Again after 10 s, 20 s, 40 s, 80 s.
          else delay.run(Date.now() + 5000 * 2 ** attempts, claimed.id);
        })(),
      );
    } finally {
      if (claimed.inbox) this.#inboxRunning--;
      // A handled message stays claimed (never handed out again) until its row is deleted.
      if (!handled) this.#claimed.delete(claimed.id);
      if (claimed.orderingKey != null) this.#busyKeys.delete(claimed.orderingKey);
    }
  }

  // Handled messages waiting for their rows to be deleted. A fan-out's deliveries end close together,
  // and a delete each was a write transaction each: they are deleted together, by the next claim (which
  // follows every handled message) or at the end of the event loop's turn, whichever comes first. A
  // crash in between sends those again after the restart, as a crash during their handling would.
  #handled: string[] = [];
  #removal?: NodeJS.Immediate;

  #removeSoon(id: string): void {
    this.#handled.push(id);
    this.#removal ??= setImmediate(() => {
      this.#removal = undefined;
      this.#removeHandled().catch((error: unknown) => {
        log.error("Could not delete handled queue messages: {error}", { error });
      });
    });
  }

  #removeHandled(): Promise<void> {
    return this.#db.$gate.exclusive(() => this.#removeHandledNow());
  }

  #removeHandledNow(): void {
    if (this.#handled.length === 0 || !this.#db.$client.open) return;
    const ids = this.#handled;
    this.#handled = [];
    try {
      this.#prepared().removeMany.run(JSON.stringify(ids));
    } catch (error) {
      // Still claimed, so not handled twice here; deleted by a later claim.
      this.#handled = ids.concat(this.#handled);
      throw error;
    }
    for (const id of ids) this.#claimed.delete(id);
  }
}
