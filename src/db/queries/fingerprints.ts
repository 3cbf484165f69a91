// Fingerprints of local accounts: short strings that change whenever what a cached response was made of
// changes, so a cache can check an entry with one indexed read instead of trusting that every writer
// (the services, the inbox, the CLI in another process) remembered to invalidate it.
import type Sqlite from "better-sqlite3";
import { type Database, writeCount } from "../client.ts";
import { postgresPool } from "../dialect.ts";

// Raw prepared statements returning arrays: these run on every request a cache answers, where building
// the query with drizzle (or objects for its rows) would cost more than the cached answer saves. The
// keys count by algorithm and creation time: a new key is a new row. The owner's dataset consent is in
// the actor (aiDatasetConsent, which the licence decides too) but in the users row. Reads the local-username index.
const ACTOR_SQL = `SELECT a.*,
  (SELECT group_concat(k.algorithm || ' ' || k.created_at, ';') FROM actor_keys AS k
     WHERE k.account_id = a.id) AS actor_keys,
  (SELECT u.ai_data_consent || ' ' || u.dataset_license FROM users AS u WHERE u.account_id = a.id) AS ai_data_consent
  FROM accounts AS a
  WHERE a.domain IS NULL AND lower(a.username) = lower(?)`;

/** Columns that change with activity, not with the actor itself: they must not invalidate it. */
const ACTIVITY_COLUMNS = new Set([
  "followers_count",
  "following_count",
  "statuses_count",
  "last_status_at",
  "fetched_at",
]);

interface Prepared {
  statement: Sqlite.Statement<[string], unknown[]>;
  dataVersion: Sqlite.Statement<[], unknown>;
  /** Positions of the columns that make up an actor's fingerprint. */
  actorColumns: number[];
}

const prepared = new WeakMap<Database, Prepared>();

function prepare(db: Database): Prepared {
  let p = prepared.get(db);
  if (p === undefined) {
    // Raw mode is set once: no other query uses this text, so the shared statement cache never hands
    // this statement to anyone else.
    const statement = db.$client.prepare<[string], unknown[]>(ACTOR_SQL).raw(true);
    const actorColumns = statement
      .columns()
      .flatMap((c, i) => (ACTIVITY_COLUMNS.has(c.name) ? [] : [i]));
    const dataVersion = db.$client.prepare<[], unknown>("PRAGMA data_version").pluck(true);
    p = { statement, actorColumns, dataVersion };
    prepared.set(db, p);
  }
  return p;
}

/**
 * What a local actor's published documents (the actor, its WebFinger answer) are made of: the account
 * row without its counters, its keys and its owner's dataset consent. Undefined when no local account has this username
 * (case-insensitively).
 */
export function localActorFingerprint(db: Database, username: string): string | undefined {
  const { statement, actorColumns } = prepare(db);
  const row = statement.get(username);
  if (row === undefined) return undefined;
  let fingerprint = "";
  for (const i of actorColumns) fingerprint += `${row[i]}\u0000`;
  return fingerprint;
}

// The same read on PostgreSQL, as a named statement: the server plans it once per connection.
const POSTGRES_ACTOR_QUERY = {
  name: "local-actor-fingerprint",
  text: `SELECT a.*,
  (SELECT string_agg(k.algorithm || ' ' || k.created_at::text, ';' ORDER BY k.created_at, k.algorithm)
     FROM actor_keys AS k WHERE k.account_id = a.id) AS actor_keys,
  (SELECT u.ai_data_consent::text || ' ' || u.dataset_license FROM users AS u WHERE u.account_id = a.id) AS ai_data_consent
  FROM accounts AS a
  WHERE a.domain IS NULL AND lower(a.username) = lower($1)`,
  rowMode: "array",
  // Every value as the server's text: a Date would print to the second, hiding a change within one.
  types: { getTypeParser: () => (value: string) => value },
} as const;

/**
 * localActorFingerprint on PostgreSQL, where no read is synchronous: one indexed query, so a cached
 * answer checked with it still saves Fedify's milliseconds of JSON-LD work. Needs a PostgreSQL store.
 */
export async function localActorFingerprintOnPostgres(
  db: Database,
  username: string,
): Promise<string | undefined> {
  const pool = postgresPool(db);
  if (pool === undefined) throw new Error("localActorFingerprintOnPostgres needs PostgreSQL");
  const result = await pool.query({ ...POSTGRES_ACTOR_QUERY, values: [username] });
  const row = result.rows[0] as unknown[] | undefined;
  if (row === undefined) return undefined;
  let fingerprint = "";
  result.fields.forEach((field, i) => {
    if (!ACTIVITY_COLUMNS.has(field.name)) fingerprint += `${row[i]}\u0000`;
  });
  return fingerprint;
}

/** How often commits by other connections (the CLI) are looked for. */
const OTHER_CONNECTIONS_CHECK_MS = 250;

interface ChangeWatch {
  writes: number;
  version: unknown;
  checkedAt: number;
  stamp: number;
}
const watches = new WeakMap<Database, ChangeWatch>();

/**
 * A number that grows whenever the database may have changed: at once for anything this process
 * writes (see writeCount), and within OTHER_CONNECTIONS_CHECK_MS for a commit by another process
 * (SQLite's data_version). A cache reads it before a fingerprint and reads the fingerprint again only
 * when it moved: while nothing is written, a cached answer costs no query at all (a fingerprint read
 * costs about ten times a whole cached answer's own work). `now` is monotonic (performance.now()): a
 * wall clock set back would otherwise stop the checks for other processes' commits until it caught up.
 */
export function databaseChangeStamp(db: Database, now = performance.now()): number {
  let watch = watches.get(db);
  if (watch === undefined) {
    watch = {
      writes: writeCount(db),
      version: prepare(db).dataVersion.get(),
      checkedAt: now,
      stamp: 0,
    };
    watches.set(db, watch);
    return watch.stamp;
  }
  if (now - watch.checkedAt >= OTHER_CONNECTIONS_CHECK_MS) {
    watch.checkedAt = now;
    const version = prepare(db).dataVersion.get();
    if (version !== watch.version) {
      watch.version = version;
      watch.stamp++;
    }
  }
  const writes = writeCount(db);
  if (writes !== watch.writes) {
    watch.writes = writes;
    watch.stamp++;
  }
  return watch.stamp;
}
