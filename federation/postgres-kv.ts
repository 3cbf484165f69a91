// Fedify's KvStore on PostgreSQL (table atelier_fedify_kv), shared by every process of an instance.
// Keys are the KvKey's JSON text, as in the SQLite store, so a prefix is a string prefix; values are
// JSON text, not jsonb, so that cas() compares exactly what was stored (jsonb reorders object keys).
// Times come from the database's clock, so processes on machines with skewed clocks agree on expiry.
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import type { Pool } from "pg";
import { durationMs } from "./kv.ts";
import { createTablesOnce } from "./postgres-tables.ts";

export const POSTGRES_KV_TABLE = "atelier_fedify_kv";

const encodeKey = (key: KvKey): string => JSON.stringify(key);
// '["a","b"' followed by ',' starts every longer key under the prefix.
const childPrefix = (prefix: KvKey): string => `${encodeKey(prefix).slice(0, -1)},`;
const ttlMs = (options?: KvStoreSetOptions): number | null =>
  options?.ttl == null ? null : durationMs(options.ttl as never);
// undefined is not JSON; Fedify never stores it, but null keeps the row meaningful if it did.
const encodeValue = (value: unknown): string => JSON.stringify(value === undefined ? null : value);

const LIVE = "(expires_at is null or expires_at > now())";
const EXPIRES =
  "case when $3::float8 is null then null else now() + $3::float8 * interval '1 ms' end";

export class PostgresKvStore implements KvStore {
  readonly #pool: Pool;
  #ready?: Promise<void>;
  #writes = 0;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** Creates the table if missing; safe to call from several processes at once, and again. */
  initialize(): Promise<void> {
    this.#ready ??= createTablesOnce(this.#pool, POSTGRES_KV_TABLE, [
      `create table if not exists ${POSTGRES_KV_TABLE} (
          key text primary key,
          value text not null,
          expires_at timestamptz
        )`,
      `create index if not exists ${POSTGRES_KV_TABLE}_expires_idx on ${POSTGRES_KV_TABLE} (expires_at)`,
    ]).catch((error: unknown) => {
      // A later call tries again.
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    await this.initialize();
    const { rows } = await this.#pool.query<{ value: string }>(
      `select value from ${POSTGRES_KV_TABLE} where key = $1 and ${LIVE}`,
      [encodeKey(key)],
    );
    return rows[0] === undefined ? undefined : (JSON.parse(rows[0].value) as T);
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    await this.initialize();
    await this.#pool.query(
      `insert into ${POSTGRES_KV_TABLE} (key, value, expires_at) values ($1, $2, ${EXPIRES})
       on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at`,
      [encodeKey(key), encodeValue(value), ttlMs(options)],
    );
    await this.#sweepSometimes();
  }

  async delete(key: KvKey): Promise<void> {
    await this.initialize();
    await this.#pool.query(`delete from ${POSTGRES_KV_TABLE} where key = $1`, [encodeKey(key)]);
  }

  async cas(
    key: KvKey,
    expectedValue: unknown,
    newValue: unknown,
    options?: KvStoreSetOptions,
  ): Promise<boolean> {
    await this.initialize();
    const params = [encodeKey(key), encodeValue(newValue), ttlMs(options)];
    if (expectedValue === undefined) {
      // "Absent" includes expired. The insert's conflict check and the row lock it takes make two
      // processes racing to create the same key see one success.
      const { rowCount } = await this.#pool.query(
        `insert into ${POSTGRES_KV_TABLE} as t (key, value, expires_at) values ($1, $2, ${EXPIRES})
         on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at
         where t.expires_at is not null and t.expires_at <= now()`,
        params,
      );
      return rowCount === 1;
    }
    // An UPDATE re-checks its WHERE on the newest row version after waiting for a concurrent writer,
    // so of two processes swapping from the same value only one matches.
    const { rowCount } = await this.#pool.query(
      `update ${POSTGRES_KV_TABLE} set value = $2, expires_at = ${EXPIRES}
       where key = $1 and value = $4 and ${LIVE}`,
      [...params, encodeValue(expectedValue)],
    );
    return rowCount === 1;
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    await this.initialize();
    const { rows } =
      prefix === undefined
        ? await this.#pool.query<{ key: string; value: string }>(
            `select key, value from ${POSTGRES_KV_TABLE} where ${LIVE}`,
          )
        : await this.#pool.query<{ key: string; value: string }>(
            `select key, value from ${POSTGRES_KV_TABLE}
             where ${LIVE} and (key = $1 or left(key, length($2)) = $2)`,
            [encodeKey(prefix), childPrefix(prefix)],
          );
    for (const row of rows) {
      yield { key: JSON.parse(row.key) as KvKey, value: JSON.parse(row.value) };
    }
  }

  /** Expired rows are invisible already; deleting them now and then keeps the table small. */
  async #sweepSometimes(): Promise<void> {
    if (++this.#writes % 500 !== 0) return;
    await this.#pool.query(`delete from ${POSTGRES_KV_TABLE} where expires_at <= now()`);
  }
}
