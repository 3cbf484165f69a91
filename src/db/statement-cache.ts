// Keeps every prepared statement alive and reuses it by SQL text. Why: with Node 24.21's headers,
// better-sqlite3's statements (node::ObjectWrap) remove a cleanup hook in their destructor, and Node
// aborts the process (`RemoveEnvironmentCleanupHook … Assertion failed: (env) != nullptr`) when V8
// collects one during a GC that runs outside a JavaScript context (seen during microtask checkpoints of
// stream reads and in idle GCs). A statement that is never garbage is never destroyed by the GC.
// Reuse also saves the prepare step: drizzle prepares a statement for every query it runs.
import type Sqlite from "better-sqlite3";

type NativePrepare = (sql: string, db: Sqlite.Database, pragmaMode: boolean) => Sqlite.Statement;

// Process-wide: statements of closed databases must stay referenced too, or they would be collected.
const retained: Sqlite.Statement[] = [];
// Past this many distinct statements per database, new ones are kept alive but no longer looked up.
const MAX_CACHED = 5000;

/** Routes every statement `sqlite` prepares (its own, pragmas, transactions) through the cache. */
export function retainStatements(sqlite: Sqlite.Database): void {
  // better-sqlite3 keeps its native handle under a private symbol; every prepare goes through it.
  const native = Object.getOwnPropertySymbols(sqlite)
    .map((s) => (sqlite as unknown as Record<symbol, unknown>)[s])
    .find(
      (v): v is { prepare: NativePrepare } =>
        typeof v === "object" &&
        v !== null &&
        typeof (v as { prepare?: unknown }).prepare === "function",
    );
  if (native === undefined) return; // a better-sqlite3 without the handle: nothing to wrap
  const prepare = native.prepare.bind(native);
  const cache = new Map<string, Sqlite.Statement>();
  native.prepare = (sql, db, pragmaMode) => {
    const key = `${pragmaMode ? "p" : "s"}:${sql}`;
    const cached = cache.get(key);
    if (cached !== undefined && !cached.busy) {
      if (cached.reader) {
        // Callers (drizzle, pragma()) set these per use; start every reuse from the defaults.
        cached.raw(false);
        cached.pluck(false);
        cached.expand(false);
      }
      return cached;
    }
    const statement = prepare(sql, db, pragmaMode);
    retained.push(statement);
    if (cached === undefined && cache.size < MAX_CACHED) cache.set(key, statement);
    return statement;
  };
}
