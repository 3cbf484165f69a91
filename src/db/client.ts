// Opens the SQLite database with the pragmas a server needs and applies drizzle-kit's migrations.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Sqlite from "better-sqlite3";
import { createTableRelationsHelpers, extractTablesRelationalConfig } from "drizzle-orm";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { type BaseSQLiteDatabase, SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { registerSearchFunctions } from "./indexed-text.ts";
import * as schema from "./schema/tables.ts";
import { ConnectionGate, gatedDatabase } from "./sqlite-session.ts";

export type Database = BaseSQLiteDatabase<"async", Sqlite.RunResult, typeof schema> & {
  $client: Sqlite.Database;
  /** What raw uses of the connection wait at while a transaction holds it (db/sqlite-session.ts). */
  $gate: ConnectionGate;
};
/** A transaction handle; functions taking DatabaseLike work inside or outside a transaction. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type DatabaseLike = Database | Transaction;

/**
 * The folder drizzle-kit writes the SQLite migrations to, found relative to this file so any cwd works.
 * (They lived in migrations/ itself before PostgreSQL got its own folder; the migrator knows applied ones
 * by their creation time in the journal, which the move kept, so old databases apply nothing twice.)
 */
export const migrationsFolder = resolve(import.meta.dirname, "../../migrations/sqlite");

/** The PostgreSQL migrations (see db/postgres/client.ts), generated from src/db/postgres/schema. */
export const postgresMigrationsFolder = resolve(import.meta.dirname, "../../migrations/postgres");

export interface OpenDatabaseOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

/**
 * Opens (creating if needed) the database at `path` (":memory:" for tests), in WAL mode with foreign keys
 * on and a busy timeout, and brings its schema up to date.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Sqlite(path);
  try {
    // WAL lets readers (timelines) proceed while a writer (the inbox) commits.
    sqlite.exec("PRAGMA journal_mode = WAL");
    // NORMAL is durable across application crashes in WAL mode; only a power loss may drop the last commits.
    sqlite.exec("PRAGMA synchronous = NORMAL");
    sqlite.exec("PRAGMA foreign_keys = ON");
    // Wait instead of failing with SQLITE_BUSY when the queue worker or CLI holds the write lock.
    sqlite.exec("PRAGMA busy_timeout = 5000");
    reusePreparedStatements(sqlite);
    // Before migrating: the full-text index's triggers and backfill call these.
    registerSearchFunctions(sqlite);
    if (options.migrate !== false) {
      migrateLocked(drizzle({ client: sqlite, casing: "snake_case" }), path);
    }
    const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
    const gate = new ConnectionGate();
    const db = gatedDatabase<typeof schema>(
      sqlite,
      new SQLiteSyncDialect({ casing: "snake_case" }),
      { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap },
      gate,
    ) as Database;
    db.$client = sqlite;
    db.$gate = gate;
    return db;
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

/**
 * Applies pending migrations under an exclusive lock on a file beside the database. drizzle's migrator
 * reads the last applied migration before its transaction, so two processes started together (the web
 * and worker roles) would both apply the same one; under the lock, the second finds it applied.
 */
function migrateLocked(db: BetterSQLite3Database, path: string): void {
  if (path === ":memory:") {
    migrate(db, { migrationsFolder });
    return;
  }
  const lock = new Sqlite(`${path}.migrate-lock`);
  try {
    lock.exec("PRAGMA busy_timeout = 120000");
    lock.exec("BEGIN EXCLUSIVE");
    migrate(db, { migrationsFolder });
    lock.exec("COMMIT");
  } finally {
    lock.close();
  }
}

const STATEMENT_CACHE_SIZE = 2000;

/**
 * Makes `prepare` hand out one cached statement per SQL text instead of a new one per query (drizzle
 * prepares on every call), which saves compiling the same SQL again on every request. Texts differ only
 * by their placeholders' count, so each cache stays small; past its size, statements are prepared
 * uncached. (better-sqlite3 12 also aborted on Node 24 when the collector finalized dropped statements;
 * 13, built on node-addon-api, does not: test/db/statements.test.ts guards that.)
 */
function reusePreparedStatements(sqlite: Sqlite.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const exec = sqlite.exec.bind(sqlite);
  sqlite.exec = ((source: string) => {
    const result = exec(source);
    countWrite(sqlite);
    return result;
  }) as typeof sqlite.exec;
  const cache = new Map<string, Sqlite.Statement>();
  sqlite.prepare = ((source: string) => {
    const cached = cache.get(source);
    // A statement still iterating (a nested query with the same text) cannot be reused.
    if (cached !== undefined && !cached.busy) {
      // A cached statement may have been switched to raw/pluck/expand by its previous user.
      if (cached.reader) cached.raw(false).pluck(false).expand(false);
      return cached;
    }
    const statement = prepare(source);
    if (!statement.readonly) countWritesOf(sqlite, statement);
    if (cached === undefined && cache.size < STATEMENT_CACHE_SIZE) cache.set(source, statement);
    return statement;
  }) as typeof sqlite.prepare;
}

const writes = new WeakMap<Sqlite.Database, number>();

function countWrite(sqlite: Sqlite.Database): void {
  writes.set(sqlite, (writes.get(sqlite) ?? 0) + 1);
}

/** Counts every execution of a statement that may write (INSERT, UPDATE, DELETE, with RETURNING too). */
function countWritesOf(sqlite: Sqlite.Database, statement: Sqlite.Statement): void {
  for (const method of ["run", "get", "all", "iterate"] as const) {
    const original = statement[method] as (...args: unknown[]) => unknown;
    (statement as unknown as Record<string, unknown>)[method] = function (
      this: Sqlite.Statement,
      ...args: unknown[]
    ) {
      countWrite(sqlite);
      return original.apply(this, args);
    };
  }
}

/**
 * How many times this connection has run something that may write. Caches of answers built from
 * the database compare it with the value they saw, and check their data again only when it moved:
 * counting costs nothing, where asking SQLite costs a call per request. Writes by other connections
 * (the CLI) are not counted: see PRAGMA data_version.
 */
export function writeCount(db: Database): number {
  return writes.get(db.$client) ?? 0;
}

/**
 * The SQLite connection under a database or one of its transactions. Drizzle keeps it on the session,
 * which a transaction shares with the database it was opened on.
 */
export function connectionOf(db: DatabaseLike): Sqlite.Database {
  const session = (db as unknown as { session?: { client?: Sqlite.Database } }).session;
  return session?.client ?? (db as Database).$client;
}

/** Checks that the database answers; used by /health. */
export function pingDatabase(db: Database): boolean {
  try {
    return db.$client.prepare("select 1 as ok").get() !== undefined;
  } catch {
    return false;
  }
}

/** Closes the database after folding the WAL back into the main file. */
export function closeDatabase(db: Database): void {
  if (!db.$client.open) return;
  try {
    db.$client.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } finally {
    db.$client.close();
  }
}
