// Where SQLite and PostgreSQL differ, in one place: opening and closing the store, what a raw fragment of
// SQL must say on each, and what a write reports. Everything else is drizzle, the same on both.
//
// One process runs on one store (see src/db/schema/index.ts), so the SQL fragments below ask the process
// (`onPostgres()`), not a handle: they are often built where no handle is at hand.
import { AsyncLocalStorage } from "node:async_hooks";
import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
import {
  closeDatabase,
  connectionOf,
  type Database,
  type DatabaseLike,
  openDatabase,
  pingDatabase,
} from "./client.ts";
import {
  closePostgres,
  openPostgres,
  type PostgresDatabase,
  pingPostgres,
} from "./postgres/client.ts";
import * as postgresTables from "./postgres/schema/index.ts";
import { tablesDialect, useTablesOf } from "./schema/index.ts";

/** True when this process's store is PostgreSQL (DATABASE_URL). */
export function onPostgres(): boolean {
  return tablesDialect() === "postgres";
}

/** True when `db` (a database or a transaction) is a PostgreSQL one. */
export function isPostgres(db: DatabaseLike): boolean {
  return (db as unknown as { $postgres?: true }).$postgres === true || onPostgresHandle(db);
}

function onPostgresHandle(db: DatabaseLike): boolean {
  // A transaction handle has no $postgres of its own; its dialect says it.
  const dialect = (db as unknown as { dialect?: { constructor: { name: string } } }).dialect;
  return dialect?.constructor.name === "PgDialect";
}

/**
 * Opens the store the config names: PostgreSQL at `databaseUrl` (migrated, and made to stand in for the
 * SQLite type every caller is written against: the query builders are the same on both), else the
 * SQLite file at `databasePath`.
 */
export async function openStore(config: {
  databasePath: string;
  databaseUrl?: string;
}): Promise<Database> {
  if (config.databaseUrl === undefined) return openDatabase(config.databasePath);
  // Before any query is built: from here on, the tables every query imports are the PostgreSQL ones.
  // Only the instance's own store does this; openPostgres alone (migrate-to-postgres, which reads
  // SQLite through those same imports) leaves them as they are.
  useTablesOf(postgresTables);
  return asDatabase(await openPostgres(config.databaseUrl));
}

/** The PostgreSQL pool under `db`, or undefined on SQLite. */
export function postgresPool(db: Database): PostgresDatabase["$client"] | undefined {
  return isPostgres(db) ? (db as unknown as PostgresDatabase).$client : undefined;
}

/** False once the store has been closed (background loops stop on it). */
export function isOpen(db: Database): boolean {
  if (isPostgres(db)) return !(db as unknown as { $closed?: boolean }).$closed;
  return db.$client.open;
}

/** Checks that the store answers; for /health. */
export async function pingStore(db: Database): Promise<boolean> {
  if (isPostgres(db)) return await pingPostgres(db as unknown as PostgresDatabase);
  return pingDatabase(db);
}

/** Closes the store (safe to call twice). */
export async function closeStore(db: Database): Promise<void> {
  if (!isPostgres(db)) {
    closeDatabase(db);
    return;
  }
  const pg = db as unknown as PostgresDatabase & { $closed?: boolean };
  if (pg.$closed) return;
  pg.$closed = true;
  await closePostgres(pg);
}

/** How many rows an UPDATE or DELETE changed: SQLite's RunResult.changes, pg's rowCount. */
export function changedRows(result: unknown): number {
  const r = result as { changes?: number; rowCount?: number | null };
  return r.changes ?? r.rowCount ?? 0;
}

/**
 * `expression IN (the items of the JSON array bound to placeholder name)`: one prepared statement for a
 * list of any length, where `inArray` makes a new SQL text (and statement) per length. Bind the list
 * with `jsonList`.
 *
 * On PostgreSQL the list is an array compared with `= any`, not an `in (select …)`: the generic plan
 * of a prepared statement cannot see the list's length and costs a set-returning function at 100 rows,
 * so `in (select …)` hashed them and read the whole table against them (a page's 40 authors: a
 * sequential scan of all 10,000 accounts, 2.2 ms a page); an array is looked up in the index, value by
 * value (0.5 ms).
 */
export function inJsonList(expression: SQLWrapper, name: string): SQL {
  return onPostgres()
    ? sql`${expression} = any(array(select jsonb_array_elements_text(${sql.placeholder(name)}::jsonb)))`
    : sql`${expression} in (select value from json_each(${sql.placeholder(name)}))`;
}

/**
 * The literal true for raw SQL (`${column} = ${sqlTrue()}`): 1 on SQLite, whose booleans are integers
 * and whose partial indexes are written `= 1` (the SQL text stays what the pinned plans were measured
 * on), true on PostgreSQL, which refuses to compare a boolean with an integer.
 */
export function sqlTrue(): SQL {
  return sql.raw(onPostgres() ? "true" : "1");
}

/** The larger of two values (SQLite's scalar max, PostgreSQL's greatest). */
export function greatest(a: SQLWrapper | number, b: SQLWrapper | number): SQL {
  return onPostgres() ? sql`greatest(${a}, ${b})` : sql`max(${a}, ${b})`;
}

/**
 * A pg database typed as the SQLite Database every caller takes, with the members SQLite callers use
 * that pg lacks: a gate whose `outside` defers work started inside a transaction until it has ended
 * (SQLite's synchronous transactions have committed by the next turn; pg's have not), and `exclusive`
 * running at once (no connection to share: the pool gives each transaction its own).
 */
function asDatabase(pg: PostgresDatabase): Database {
  const gate = new PostgresGate();
  const transaction = pg.transaction.bind(pg);
  const db = pg as unknown as Record<string, unknown>;
  db.transaction = (body: (tx: unknown) => Promise<unknown>, config?: unknown) =>
    gate.transaction(() => transaction(body as never, config as never));
  db.$gate = gate;
  db.$postgres = true;
  return pg as unknown as Database;
}

/** What a pg transaction defers: work started inside it, run once it has committed or rolled back. */
class PostgresGate {
  readonly #context = new AsyncLocalStorage<(() => void)[]>();

  async transaction<T>(body: () => Promise<T>): Promise<T> {
    // A transaction inside another (a savepoint) defers to the outer one's end.
    if (this.#context.getStore() !== undefined) return await body();
    const deferred: (() => void)[] = [];
    try {
      return await this.#context.run(deferred, body);
    } finally {
      for (const run of deferred) run();
    }
  }

  blocked(): boolean {
    return false;
  }

  holding(): boolean {
    return this.#context.getStore() !== undefined;
  }

  async wait(): Promise<void> {}

  outside<T>(work: () => T): T {
    const deferred = this.#context.getStore();
    if (deferred === undefined) return work();
    // Callers of outside() start promise-returning work (a drain), so a promise stands in for T.
    return new Promise<void>((resolve) => deferred.push(resolve)).then(() =>
      this.#context.exit(work),
    ) as T;
  }

  async exclusive<T>(work: () => T): Promise<T> {
    return work();
  }
}

/**
 * An object standing for the store under a database or one of its transactions, to key per-store state
 * on: SQLite's connection; on pg, the dialect object drizzle shares between a database and its
 * transactions (their sessions differ: each transaction holds a pooled client of its own).
 */
export function storeKey(db: DatabaseLike): object {
  if (isPostgres(db)) return (db as unknown as { dialect: object }).dialect;
  return connectionOf(db);
}

/** The rows of a raw query (SQLite's `all`, pg's `execute(…).rows`). */
export async function rawRows<T>(db: DatabaseLike, query: SQL): Promise<T[]> {
  if (isPostgres(db)) {
    const pg = db as unknown as { execute(q: SQL): Promise<{ rows: T[] }> };
    return (await pg.execute(query)).rows;
  }
  return await db.all<T>(query);
}

/** Runs a raw statement (SQLite's `run`, pg's `execute`). */
export async function rawRun(db: DatabaseLike, query: SQL): Promise<void> {
  if (isPostgres(db)) {
    await (db as unknown as { execute(q: SQL): Promise<unknown> }).execute(query);
    return;
  }
  await db.run(query);
}

/** The name of the two-argument "larger of" function, for raw SQL: `${largerOf()}(0, n - 1)`. */
export function largerOf(): SQL {
  return sql.raw(onPostgres() ? "greatest" : "max");
}

/** A text field of a JSON object column: SQLite's json_extract, pg's ->> on jsonb. */
export function jsonText(json: SQL | SQLWrapper, key: string): SQL {
  if (!/^\w+$/.test(key)) throw new Error(`not a plain JSON key: ${key}`);
  return onPostgres()
    ? sql`(${json} ->> ${sql.raw(`'${key}'`)})`
    : sql`json_extract(${json}, ${sql.raw(`'$.${key}'`)})`;
}

/**
 * A FROM item `alias` whose rows are the items of the JSON array at `key` of a JSON column, each one's
 * JSON in `jsonItem(alias)`: SQLite's json_each, pg's jsonb_array_elements.
 */
export function jsonArrayItems(json: SQLWrapper, key: string, alias: string): SQL {
  if (!/^\w+$/.test(key) || !/^\w+$/.test(alias)) throw new Error("not a plain JSON key or alias");
  return onPostgres()
    ? sql`jsonb_array_elements(${json} -> ${sql.raw(`'${key}'`)}) as ${sql.raw(alias)}(value)`
    : sql`json_each(${json}, ${sql.raw(`'$.${key}'`)}) ${sql.raw(alias)}`;
}

/**
 * A column that orders rows of one table uniquely and cheaply, for tie-breaks in raw SQL: SQLite's rowid
 * (in every index, so no row read), the id on pg (which has no stable row number).
 */
export function rowOrder(): SQL {
  return sql.raw(onPostgres() ? "id" : "rowid");
}

/** The UTC calendar day (YYYY-MM-DD) or month (YYYY-MM) of a timestamp column, as text. */
export function utcPeriod(column: SQLWrapper, period: "day" | "month"): SQL<string> {
  if (onPostgres()) {
    const format = period === "day" ? "YYYY-MM-DD" : "YYYY-MM";
    return sql<string>`to_char(${column} at time zone 'UTC', ${sql.raw(`'${format}'`)})`;
  }
  // SQLite stores times as integer milliseconds.
  const format = period === "day" ? "%Y-%m-%d" : "%Y-%m";
  return sql<string>`strftime(${sql.raw(`'${format}'`)}, ${column} / 1000, 'unixepoch')`;
}

/**
 * A point in time as raw SQL compares it with a timestamp column: SQLite stores integer milliseconds,
 * PostgreSQL a timestamptz (node-postgres sends a Date as one). Drizzle's own operators (gte(column,
 * date)) encode through the column and need none of this.
 */
export function sqlTime(at: Date): SQL {
  return onPostgres() ? sql`${at}` : sql`${at.getTime()}`;
}

/**
 * `query` (a SELECT of rows about to be claimed) locking what it returns and passing over rows another
 * transaction has locked: PostgreSQL's FOR UPDATE SKIP LOCKED, so that workers claiming at once each
 * get other rows instead of queueing behind one another. SQLite has no row locks and needs none: the
 * claim runs in an IMMEDIATE transaction, which holds the whole file's write lock.
 */
export function skipLocked<T>(db: DatabaseLike, query: T): T {
  if (!isPostgres(db)) return query;
  return (query as unknown as { for(strength: "update", config: { skipLocked: true }): T }).for(
    "update",
    { skipLocked: true },
  );
}

/**
 * Makes the transaction `tx` wait for every other one that asked for the same `name` until it ends:
 * for a check and the write it allows (a quota, a budget) that must not both pass in two transactions
 * at once. SQLite transactions begin IMMEDIATE, so writers already take turns there; on PostgreSQL a
 * transaction-scoped advisory lock named after `name` orders them.
 */
export async function takeTurns(tx: DatabaseLike, name: string): Promise<void> {
  if (!isPostgres(tx)) return;
  await rawRun(tx, sql`select pg_advisory_xact_lock(hashtext(${`atelier:${name}`}))`);
}
