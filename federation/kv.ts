// Fedify's KvStore over the main SQLite database (table fedify_kv): durable across restarts, unlike
// MemoryKvStore. Keys are stored as JSON arrays so that a prefix query is a plain string-prefix match.
// get and set run several times per inbox activity and per delivery (key cache, idempotency, circuit
// breaker), so they use statements prepared once rather than SQL rebuilt by drizzle on every call.
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import type Sqlite from "better-sqlite3";
import { and, eq, gt, isNull, lte, or, sql } from "drizzle-orm";
import type { Database } from "../src/db/client.ts";
import { fedifyKv } from "../src/db/schema/index.ts";

const encodeKey = (key: KvKey): string => JSON.stringify(key);

/** Milliseconds of a Temporal.Duration (calendar units are taken as fixed lengths, as Fedify does). */
export function durationMs(duration: { round(o: { largestUnit: string }): unknown }): number {
  const rounded = duration.round({ largestUnit: "hour" }) as { total(unit: string): number };
  return rounded.total("millisecond");
}

const childPrefix = (prefix: KvKey): string => `${encodeKey(prefix).slice(0, -1)},`;

export class SqliteKvStore implements KvStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  #live(now = new Date()) {
    return or(isNull(fedifyKv.expiresAt), gt(fedifyKv.expiresAt, now));
  }

  #statements?: {
    get: Sqlite.Statement<[string, number], { value: string }>;
    set: Sqlite.Statement<[string, string, number | null]>;
  };

  #prepared() {
    const client = this.#db.$client;
    this.#statements ??= {
      get: client.prepare(
        "select value from fedify_kv where key = ? and (expires_at is null or expires_at > ?)",
      ),
      set: client.prepare(
        `insert into fedify_kv (key, value, expires_at) values (?, ?, ?)
         on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at`,
      ),
    };
    return this.#statements;
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const row = await this.#db.$gate.exclusive(() =>
      this.#prepared().get.get(encodeKey(key), Date.now()),
    );
    return row === undefined ? undefined : (JSON.parse(row.value) as T);
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const expiresAt = options?.ttl == null ? null : Date.now() + durationMs(options.ttl as never);
    // undefined is not JSON; Fedify never stores it, but null keeps the row meaningful if it did.
    const stored = value === undefined ? null : value;
    await this.#db.$gate.exclusive(() =>
      this.#prepared().set.run(encodeKey(key), JSON.stringify(stored), expiresAt),
    );
    await this.#sweepSometimes();
  }

  async delete(key: KvKey): Promise<void> {
    await this.#db.delete(fedifyKv).where(eq(fedifyKv.key, encodeKey(key)));
  }

  async cas(
    key: KvKey,
    expectedValue: unknown,
    newValue: unknown,
    options?: KvStoreSetOptions,
  ): Promise<boolean> {
    // better-sqlite3 is synchronous, so the read and the write cannot interleave with another call.
    return await this.#db.transaction(async (tx) => {
      const row = (
        await tx
          .select({ value: fedifyKv.value })
          .from(fedifyKv)
          .where(and(eq(fedifyKv.key, encodeKey(key)), this.#live()))
          .limit(1)
      )[0];
      const current = row === undefined ? undefined : row.value;
      if (JSON.stringify(current) !== JSON.stringify(expectedValue)) return false;
      const expiresAt =
        options?.ttl == null ? null : new Date(Date.now() + durationMs(options.ttl as never));
      await tx
        .insert(fedifyKv)
        .values({ key: encodeKey(key), value: newValue ?? null, expiresAt })
        .onConflictDoUpdate({ target: fedifyKv.key, set: { value: newValue ?? null, expiresAt } });
      return true;
    });
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const where =
      prefix === undefined
        ? this.#live()
        : and(
            this.#live(),
            or(
              eq(fedifyKv.key, encodeKey(prefix)),
              // '["a","b"' followed by ',' starts every longer key under the prefix.
              sql`substr(${fedifyKv.key}, 1, ${childPrefix(prefix).length}) = ${childPrefix(prefix)}`,
            ),
          );
    const rows = await this.#db.select().from(fedifyKv).where(where);
    for (const row of rows) {
      yield { key: JSON.parse(row.key) as KvKey, value: row.value };
    }
  }

  #writes = 0;
  /** Expired rows are invisible already; deleting them now and then keeps the table small. */
  async #sweepSometimes(): Promise<void> {
    if (++this.#writes % 500 !== 0) return;
    await this.#db.delete(fedifyKv).where(lte(fedifyKv.expiresAt, new Date()));
  }
}
