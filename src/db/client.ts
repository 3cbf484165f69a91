// Opens the SQLite database with the pragmas a server needs and applies drizzle-kit's migrations.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Sqlite from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema/index.ts";
import { retainStatements } from "./statement-cache.ts";

export type Database = BetterSQLite3Database<typeof schema> & { $client: Sqlite.Database };
/** A transaction handle; functions taking DatabaseLike work inside or outside a transaction. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type DatabaseLike = Database | Transaction;

/** The folder drizzle-kit writes migrations to, found relative to this file so any cwd works. */
export const migrationsFolder = resolve(import.meta.dirname, "../../migrations");

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
  retainStatements(sqlite);
  try {
    // WAL lets readers (timelines) proceed while a writer (the inbox) commits.
    sqlite.pragma("journal_mode = WAL");
    // NORMAL is durable across application crashes in WAL mode; only a power loss may drop the last commits.
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    // Wait instead of failing with SQLITE_BUSY when the queue worker or CLI holds the write lock.
    sqlite.pragma("busy_timeout = 5000");
    const db = drizzle({ client: sqlite, schema, casing: "snake_case" }) as Database;
    if (options.migrate !== false) migrate(db, { migrationsFolder });
    return db;
  } catch (error) {
    sqlite.close();
    throw error;
  }
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
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.$client.close();
  }
}
