// Lookups prepared once per database handle. Drizzle builds a query's SQL text again on every call, which
// cost more than running it for the inbox's hot lookups (an actor or status by IRI, the block list: a few
// per received activity). A transaction handle gets its own (short-lived) entry.
import type { DatabaseLike } from "./client.ts";

/** Wraps `build` (a query ending in `.prepare()`, with `sql.placeholder`s) to run once per handle. */
export function preparedPerHandle<T>(build: (db: DatabaseLike) => T): (db: DatabaseLike) => T {
  const cache = new WeakMap<DatabaseLike, T>();
  return (db) => {
    let prepared = cache.get(db);
    if (prepared === undefined) {
      prepared = build(db);
      cache.set(db, prepared);
    }
    return prepared;
  };
}
