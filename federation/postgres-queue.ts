// Fedify's MessageQueue on PostgreSQL (table atelier_fedify_queue), for several worker processes.
// A message is deleted only after its handler finished. A claim writes a lease (locked_until) that the
// worker renews while the handler runs; a killed worker's messages become claimable again when their
// lease runs out. Claims take rows with FOR UPDATE SKIP LOCKED, so two workers never take the same one.
// Ordering keys: only the oldest message of a key (its head) is ever claimable, and it stays in the
// table until handled, so a key has at most one message in flight in any process, in enqueue order.
// Wake-ups come by LISTEN/NOTIFY on one held connection; a poll finds delayed messages and lost leases.
import { randomUUID } from "node:crypto";
import type {
  MessageQueue,
  MessageQueueDepth,
  MessageQueueEnqueueOptions,
  MessageQueueListenOptions,
} from "@fedify/fedify";
import type { Pool, PoolClient } from "pg";
import { logger } from "../src/logging.ts";
import { durationMs } from "./kv.ts";
import { createTablesOnce } from "./postgres-tables.ts";
import { isInboxMessage, type QueueListenerOptions, QueueWorker } from "./queue-worker.ts";

const log = logger("federation", "queue");

export const POSTGRES_QUEUE_TABLE = "atelier_fedify_queue";
/** The NOTIFY channel an enqueue wakes listeners on. */
export const POSTGRES_QUEUE_CHANNEL = "atelier_fedify_queue";

const T = POSTGRES_QUEUE_TABLE;

export interface PostgresMessageQueueOptions extends QueueListenerOptions {
  /** How long a claim holds a message without renewal before another worker may take it (ms). */
  leaseMs?: number;
}

interface Row {
  id: string;
  message: string;
  ordering_key: string | null;
  inbox: boolean;
}

// Ready, not leased, of the wanted kind, and the head of its ordering key (no older message of the key
// is still in the table, in flight or waiting).
const CLAIM = `update ${T} set locked_until = now() + $1::float8 * interval '1 ms', locked_by = $2
  where id in (
    select id from ${T} c
    where ready_at <= now() and (locked_until is null or locked_until <= now()) and inbox = $3
      and (ordering_key is null or not exists (
        select 1 from ${T} h where h.ordering_key = c.ordering_key and h.id < c.id))
    order by ready_at, id
    limit $4
    for update skip locked)
  returning id, message, ordering_key, inbox`;

export class PostgresMessageQueue implements MessageQueue {
  // Fedify retries failed deliveries itself, with its backoff policy, by enqueueing them again.
  readonly nativeRetrial = false;
  readonly #pool: Pool;
  readonly #options: PostgresMessageQueueOptions;
  readonly #leaseMs: number;
  #ready?: Promise<void>;

  constructor(pool: Pool, options: PostgresMessageQueueOptions = {}) {
    this.#pool = pool;
    this.#options = options;
    this.#leaseMs = options.leaseMs ?? 60_000;
  }

  /** Creates the table and its indexes if missing; safe from several processes at once, and again. */
  initialize(): Promise<void> {
    this.#ready ??= createTablesOnce(this.#pool, T, [
      `create table if not exists ${T} (
          id bigserial primary key,
          message text not null,
          inbox boolean not null,
          ordering_key text,
          ready_at timestamptz not null,
          locked_until timestamptz,
          locked_by text,
          attempts integer not null default 0,
          created_at timestamptz not null default now()
        )`,
      `create index if not exists ${T}_ready_idx on ${T} (inbox, ready_at, id)`,
      // The head check and the ordering key's lock look messages up by key.
      `create index if not exists ${T}_ordering_idx on ${T} (ordering_key, id) where ordering_key is not null`,
    ]).catch((error: unknown) => {
      // A later call tries again.
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions) {
    if (messages.length === 0) return;
    await this.initialize();
    const delay = options?.delay == null ? 0 : Math.max(0, durationMs(options.delay as never));
    const orderingKey = options?.orderingKey ?? null;
    const client = await this.#pool.connect();
    try {
      await client.query("begin");
      // Ids come from a sequence, but transactions commit in any order: two processes enqueueing on one
      // key could make a later id visible first, and it would be claimed as the head. Holding the key's
      // lock until commit makes ids of one key commit in order.
      if (orderingKey !== null) {
        await client.query("select pg_advisory_xact_lock(hashtext($1))", [`${T}:${orderingKey}`]);
      }
      await client.query(
        `insert into ${T} (message, inbox, ordering_key, ready_at)
         select m, i, $3, now() + $4::float8 * interval '1 ms'
         from unnest($1::text[], $2::boolean[]) as u(m, i)`,
        [messages.map((m) => JSON.stringify(m)), messages.map(isInboxMessage), orderingKey, delay],
      );
      // Delivered to listeners at commit; a delayed message is found by their poll instead.
      if (delay === 0) await client.query("select pg_notify($1, '')", [POSTGRES_QUEUE_CHANNEL]);
      await client.query("commit");
    } catch (error) {
      await client.query("rollback").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async getDepth(): Promise<MessageQueueDepth> {
    await this.initialize();
    const { rows } = await this.#pool.query<{ queued: number; ready: number }>(
      `select count(*)::int as queued, (count(*) filter (where ready_at <= now()))::int as ready
       from ${T} where locked_until is null or locked_until <= now()`,
    );
    const { queued = 0, ready = 0 } = rows[0] ?? {};
    return { queued, ready, delayed: queued - ready };
  }

  async listen(
    handler: (message: unknown) => Promise<void> | void,
    options: MessageQueueListenOptions = {},
  ): Promise<void> {
    await this.initialize();
    const worker = randomUUID();
    const signal = options.signal;
    const notified = new Set<() => void>();
    const stopListening = this.#holdListenConnection(() => {
      for (const wake of notified) wake();
    }, signal);
    try {
      await new QueueWorker(this.#options, {
        claim: async (limit, inbox) => {
          const { rows } = await this.#pool.query<Row>(CLAIM, [
            this.#leaseMs,
            worker,
            inbox,
            limit,
          ]);
          return rows.map((row) => ({
            id: row.id,
            message: JSON.parse(row.message) as unknown,
            inbox: row.inbox,
          }));
        },
        renew: async (ids) => {
          await this.#pool.query(
            `update ${T} set locked_until = now() + $1::float8 * interval '1 ms'
             where locked_by = $2 and id = any($3::bigint[])`,
            [this.#leaseMs, worker, ids],
          );
        },
        done: async (id) => {
          await this.#pool.query(`delete from ${T} where id = $1`, [id]);
        },
        failed: async (id) => {
          // Again after 10 s, 20 s, 40 s, 80 s; after the fifth failure, dropped rather than kept forever.
          const { rowCount } = await this.#pool.query(
            `delete from ${T} where id = $1 and attempts >= 4`,
            [id],
          );
          if (rowCount !== 0) return;
          await this.#pool.query(
            `update ${T} set attempts = attempts + 1, locked_until = null, locked_by = null,
               ready_at = now() + 5000 * power(2, attempts + 1) * interval '1 ms'
             where id = $1`,
            [id],
          );
        },
        leaseMs: this.#leaseMs,
        onNotify: (wake) => {
          notified.add(wake);
          return () => notified.delete(wake);
        },
      }).run(handler, signal);
    } finally {
      await stopListening();
    }
  }

  /**
   * LISTENs on one connection of the pool for as long as the listener runs, taking a new one after an
   * error (a restarted server, a cut connection); until then the poll keeps the queue moving.
   */
  #holdListenConnection(onNotify: () => void, signal?: AbortSignal): () => Promise<void> {
    let client: PoolClient | undefined;
    let stopped = false;
    let retry: NodeJS.Timeout | undefined;
    let attempt = 0;
    // Idempotent: an error event and a failed query may both report the same broken connection.
    const drop = (held: PoolClient) => {
      if (client === held) client = undefined;
      if (dropped.has(held)) return;
      dropped.add(held);
      held.release(true);
    };
    const dropped = new WeakSet<PoolClient>();
    const onErrors = new WeakMap<PoolClient, (error: Error) => void>();
    const connect = async (): Promise<void> => {
      if (stopped || signal?.aborted) return;
      let held: PoolClient | undefined;
      try {
        held = await this.#pool.connect();
        const mine = held;
        mine.on("notification", onNotify);
        const onError = (error: Error) => {
          log.warning("Queue LISTEN connection lost: {error}; reconnecting.", { error });
          drop(mine);
          schedule();
        };
        onErrors.set(mine, onError);
        mine.on("error", onError);
        await mine.query(`listen ${POSTGRES_QUEUE_CHANNEL}`);
        if (stopped) {
          drop(mine);
          return;
        }
        client = mine;
        attempt = 0;
        // Something may have been enqueued while no connection listened.
        onNotify();
      } catch (error) {
        if (held !== undefined) drop(held);
        log.warning("Could not LISTEN for queued messages: {error}; retrying.", { error });
        schedule();
      }
    };
    const schedule = () => {
      if (stopped) return;
      clearTimeout(retry);
      retry = setTimeout(connect, Math.min(10_000, 200 * 2 ** attempt++));
    };
    void connect();
    return async () => {
      stopped = true;
      clearTimeout(retry);
      const held = client;
      client = undefined;
      if (held === undefined) return;
      held.off("notification", onNotify);
      try {
        await held.query(`unlisten ${POSTGRES_QUEUE_CHANNEL}`);
        const onError = onErrors.get(held);
        if (onError !== undefined) held.off("error", onError);
        held.release();
      } catch {
        drop(held);
      }
    };
  }
}
