// Opens a PostgreSQL database (a pg connection pool) with the PostgreSQL tables and applies drizzle-kit's
// migrations from migrations/postgres.
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { postgresMigrationsFolder } from "../client.ts";
import * as schema from "./schema/index.ts";

export type PostgresDatabase = NodePgDatabase<typeof schema> & { $client: pg.Pool };
/** A transaction handle on PostgreSQL, as db/client.ts's Transaction is on SQLite. */
export type PostgresTransaction = Parameters<Parameters<PostgresDatabase["transaction"]>[0]>[0];

export interface OpenPostgresOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** Most connections the pool opens (default 10, pg's own default). */
  maxConnections?: number;
  /**
   * Told of an error on an idle connection (the server restarted, a network cut). The pool drops that
   * connection and the next query opens another; without a listener, pg's error event would end the
   * process. Default: ignored, since the queries that need the database report their own failures.
   */
  onIdleError?: (error: Error) => void;
}

/**
 * Any number 64 bits wide, the same in every process: the session lock migrations run under, so web and
 * worker processes starting together do not both create the tables (one waits, then finds them made).
 */
const MIGRATION_LOCK = 7_041_987_255_107_514_451n;

/**
 * Settings of every connection of ours, for short queries run very often. JIT compiling pays only for
 * long analytical queries, and it starts by estimated cost: a home timeline page whose plan was costed
 * high (but read 2,000 rows) spent 540 ms compiling 151 functions to run for 1 ms. Prepared queries
 * (db/prepared.ts names each) keep one generic plan per connection instead of being planned again for
 * each run's values: they are written to hold one plan whatever the values (SQLite plans them once,
 * and tests pin those plans), and planning a timeline page cost 7-10 ms of server CPU against 1-2 ms of
 * running it. Unnamed statements (the queue's, raw ones) are still planned with their values.
 */
const SESSION_SETTINGS = "-c jit=off -c plan_cache_mode=force_generic_plan";

/**
 * Connects to the PostgreSQL database at `url` (postgres://…) and brings its schema up to date. The
 * pool connects lazily; a wrong URL or a server that is down shows at the migration (or first query).
 */
export async function openPostgres(
  url: string,
  options: OpenPostgresOptions = {},
): Promise<PostgresDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    options: SESSION_SETTINGS,
  });
  pool.on("error", options.onIdleError ?? (() => {}));
  try {
    if (options.migrate !== false) await migratePostgres(pool);
    return drizzle({ client: pool, schema, casing: "snake_case" }) as PostgresDatabase;
  } catch (error) {
    await pool.end();
    throw error;
  }
}

/** Applies the pending migrations of migrations/postgres, one process at a time. */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const lock = MIGRATION_LOCK.toString();
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [lock]);
    await migrate(drizzle({ client, casing: "snake_case" }), {
      migrationsFolder: postgresMigrationsFolder,
    });
    await client.query("select pg_advisory_unlock($1)", [lock]);
    client.release();
  } catch (error) {
    // Ending the connection (not returning it to the pool) ends its session, and the lock with it.
    client.release(error as Error);
    throw error;
  }
}

/** Checks that the database answers; for /health. */
export async function pingPostgres(db: PostgresDatabase): Promise<boolean> {
  try {
    await db.$client.query("select 1");
    return true;
  } catch {
    return false;
  }
}

/** Ends every connection of the pool, waiting for queries under way. */
export async function closePostgres(db: PostgresDatabase): Promise<void> {
  await db.$client.end();
}
