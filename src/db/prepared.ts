// Queries prepared once per database handle. Drizzle builds a query's SQL text again on every call, which
// cost more than running it for the inbox's hot lookups (an actor or status by IRI, the block list: a few
// per received activity) and for a timeline page (about 1 ms of building per request, against 1-2 ms of
// SQLite). Entries are kept per connection: drizzle makes a new handle for every transaction, but all of
// them share the database's session, so a query prepared once serves inside transactions too.
import { createHash } from "node:crypto";
import type { DatabaseLike } from "./client.ts";
import { isPostgres } from "./dialect.ts";

/**
 * On PostgreSQL, a prepared query runs with `execute(values)` (the rows), where the SQLite callers ask
 * `all(values)` and `get(values)`: this gives it those two. It is also named after its SQL text, so that
 * it becomes a server-side prepared statement on each pooled connection: without a name, PostgreSQL
 * parses and plans the text on every run, and planning a home timeline page (its visibility subqueries)
 * took 10-11 ms against under 1 ms of executing it. Named, the server plans it afresh for its first five
 * runs on a connection and then keeps a generic plan when that costs no more.
 */
function portable<T>(db: DatabaseLike, prepared: T): T {
  if (!isPostgres(db)) return prepared;
  const pg = prepared as unknown as {
    execute(values?: Record<string, unknown>): Promise<unknown[]>;
    // drizzle's node-postgres prepared query: what it hands pg's query() on each run.
    queryString?: string;
    rawQueryConfig?: { name?: string };
    queryConfig?: { name?: string };
  };
  if (
    pg.queryString !== undefined &&
    pg.rawQueryConfig !== undefined &&
    pg.queryConfig !== undefined
  ) {
    // The same text gets the same name on every connection; a different text never does.
    const name = `atelier_${createHash("sha256").update(pg.queryString).digest("hex").slice(0, 32)}`;
    pg.rawQueryConfig.name ??= name;
    pg.queryConfig.name ??= name;
  }
  return {
    execute: (values?: Record<string, unknown>) => pg.execute(values),
    all: (values?: Record<string, unknown>) => pg.execute(values),
    get: async (values?: Record<string, unknown>) => (await pg.execute(values))[0],
  } as T;
}

/** What the caches are keyed on: the session every handle of one database shares. */
function connectionOf(db: DatabaseLike): object {
  return (db as unknown as { session: object }).session;
}

/** Wraps `build` (a query ending in `.prepare()`, with `sql.placeholder`s) to run once per handle. */
export function preparedPerHandle<T>(build: (db: DatabaseLike) => T): (db: DatabaseLike) => T {
  const cache = new WeakMap<object, T>();
  return (db) => {
    let prepared = cache.get(connectionOf(db));
    if (prepared === undefined) {
      prepared = portable(db, build(db));
      cache.set(connectionOf(db), prepared);
    }
    return prepared;
  };
}

/**
 * Like preparedPerHandle, for a query whose SQL text takes one of a few shapes (which page bounds are
 * set, which filters are on): `shape` names the one wanted and must come from a small, fixed set of
 * values, never from a request's data; `build` prepares it the first time that shape is asked for.
 */
export function preparedPerShape<T>(): (db: DatabaseLike, shape: string, build: () => T) => T {
  const cache = new WeakMap<object, Map<string, T>>();
  return (db, shape, build) => {
    let shapes = cache.get(connectionOf(db));
    if (shapes === undefined) {
      shapes = new Map();
      cache.set(connectionOf(db), shapes);
    }
    let prepared = shapes.get(shape);
    if (prepared === undefined) {
      prepared = portable(db, build());
      shapes.set(shape, prepared);
    }
    return prepared;
  };
}

// The JSON-list condition differs per dialect; its home is db/dialect.ts.
export { inJsonList } from "./dialect.ts";

export function jsonList(values: readonly string[]): string {
  return JSON.stringify(values);
}
