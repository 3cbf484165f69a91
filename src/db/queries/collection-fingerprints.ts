// Fingerprints of a local actor's collections (federation/collections.ts and featured.ts: outbox,
// followers, following, featured, featured tags), as status-fingerprint.ts has them for statuses: a
// string that changes whenever the collection's document could, read with two indexed queries (the
// account, then what the document lists), so the collection cache (federation/collection-cache.ts)
// serves an entry only while it holds.
//
// What each document is made of: every one names the account (its row, counters included: they are the
// collections' totalItems, and a suspension empties the outbox and the featured collection). The
// collection itself (no cursor) adds its total only; a page adds its rows, one more than a page holds
// (whether there is a next page); the outbox's and featured's rows are status fingerprint rows, since
// they embed each Note. Superset where it is cheaper: all pins are read, whatever their visibility, so
// a pin turning private changes the fingerprint too.
//
// Undefined where the answer may not be kept: no such account; an open poll with an end in the outbox
// or featured (its Note changes when it ends, with no write to notice); for a signed request to
// featured, any pin that is neither public nor unlisted or an author in any block (the signer's view
// may differ from an anonymous one's there: visibleOnItsOwn). The other collections do not depend on
// who asks (only secure mode checks the signer, and the cache is off then).
import type Sqlite from "better-sqlite3";
import type { Database } from "../client.ts";
import { postgresPool } from "../dialect.ts";
import {
  type Aggregate,
  fingerprintOf,
  POSTGRES_AGGREGATE,
  SQLITE_AGGREGATE,
  statusFingerprintColumns,
} from "./status-fingerprint.ts";

export type CollectionKind = "outbox" | "followers" | "following" | "featured" | "featured_tags";

export interface CollectionFingerprintRequest {
  username: string;
  kind: CollectionKind;
  /** null: the collection itself; a string (possibly empty, the first page): a page. */
  cursor: string | null;
  /** Whether the request carries a signature (checked or not): see above. */
  signed: boolean;
}

/** As the dispatchers (federation/collections.ts) page: this many items, and one more to know the next. */
const PAGE_ROWS = 21;

const ACCOUNT_SQL = `SELECT a.* FROM accounts AS a
  WHERE a.domain IS NULL AND lower(a.username) = lower(@username)`;

const PUBLIC_OWN = `s.account_id = @account AND s.reblog_of_id IS NULL
  AND s.visibility IN ('public', 'unlisted')`;

const followPage = (
  mine: string,
  other: string,
) => `SELECT f.id, o.iri, o.inbox_url, o.shared_inbox_url
  FROM follows AS f JOIN accounts AS o ON o.id = f.${other}
  WHERE f.${mine} = @account AND f.state = 'accepted' AND (@cursor = '' OR f.id < @cursor)
  ORDER BY f.id DESC LIMIT ${PAGE_ROWS}`;

/** What a document lists besides the account, by kind and whether it is a page; null: nothing more. */
function itemsSql(kind: CollectionKind, page: boolean, agg: Aggregate): string | null {
  switch (kind) {
    case "outbox":
      return page
        ? `SELECT ${statusFingerprintColumns(agg)} WHERE ${PUBLIC_OWN}
             AND (@cursor = '' OR s.id < @cursor) ORDER BY s.id DESC LIMIT ${PAGE_ROWS}`
        : `SELECT count(*) FROM statuses AS s WHERE ${PUBLIC_OWN}`;
    case "followers":
      return page ? followPage("target_account_id", "account_id") : null;
    case "following":
      return page ? followPage("account_id", "target_account_id") : null;
    case "featured":
      return `SELECT ${statusFingerprintColumns(agg)}
        JOIN status_pins AS sp ON sp.status_id = s.id
        WHERE sp.account_id = @account ORDER BY sp.id DESC`;
    case "featured_tags":
      return `SELECT ft.id, ft.tag_name, t.display_name FROM featured_tags AS ft
        JOIN tags AS t ON t.name = ft.tag_name WHERE ft.account_id = @account ORDER BY ft.id`;
  }
}

/** Whether the kind's rows are status fingerprint rows (read with fingerprintOf). */
const holdsStatuses = (kind: CollectionKind) => kind === "outbox" || kind === "featured";

function fingerprintOfRows(
  request: CollectionFingerprintRequest,
  account: readonly unknown[],
  names: readonly string[],
  rows: readonly (readonly unknown[])[],
  now: number,
): string | undefined {
  let fingerprint = "";
  for (const value of account) fingerprint += `${value}\u0000`;
  const visibility = names.indexOf("visibility");
  for (const row of rows) {
    fingerprint += "\u0001";
    if (!holdsStatuses(request.kind)) {
      for (const value of row) fingerprint += `${value}\u0000`;
      continue;
    }
    const signedFeatured = request.kind === "featured" && request.signed;
    if (signedFeatured && row[visibility] !== "public" && row[visibility] !== "unlisted") {
      return undefined;
    }
    const status = fingerprintOf(names, row, signedFeatured, now);
    if (status === undefined) return undefined;
    fingerprint += status;
  }
  return fingerprint;
}

interface Prepared {
  account: Sqlite.Statement<[{ username: string }], unknown[]>;
  /** Where the account's id is in its row. */
  idColumn: number;
  items: Map<
    string,
    { statement: Sqlite.Statement<[Record<string, string>], unknown[]>; names: string[] }
  >;
}
const prepared = new WeakMap<Database, Prepared>();

/**
 * The fingerprint of a local actor's collection document for this request, or undefined when it may not
 * be kept (see above). Synchronous, on SQLite.
 */
export function localCollectionFingerprint(
  db: Database,
  request: CollectionFingerprintRequest,
  now = Date.now(),
): string | undefined {
  let p = prepared.get(db);
  if (p === undefined) {
    // Raw mode is set once: no other query uses these texts, so the shared statement cache never
    // hands them to anyone else.
    const account = db.$client.prepare<[{ username: string }], unknown[]>(ACCOUNT_SQL).raw(true);
    const idColumn = account.columns().findIndex((c) => c.name === "id");
    p = { account, idColumn, items: new Map() };
    prepared.set(db, p);
  }
  const account = p.account.get({ username: request.username });
  if (account === undefined) return undefined;
  const page = request.cursor !== null;
  const sql = itemsSql(request.kind, page, SQLITE_AGGREGATE);
  if (sql === null) return fingerprintOfRows(request, account, [], [], now);
  const key = `${request.kind}\n${page}`;
  let items = p.items.get(key);
  if (items === undefined) {
    const statement = db.$client.prepare<[Record<string, string>], unknown[]>(sql).raw(true);
    items = { statement, names: statement.columns().map((c) => c.name) };
    p.items.set(key, items);
  }
  const params: Record<string, string> = { account: String(account[p.idColumn]) };
  if (page && sql.includes("@cursor")) params.cursor = request.cursor!;
  return fingerprintOfRows(request, account, items.names, items.statement.all(params), now);
}

/** SQLite's named parameters as PostgreSQL's numbered ones, in the order `names` gives. */
function numbered(sql: string, names: readonly string[]): string {
  return names.reduce((text, name, i) => text.replaceAll(`@${name}`, `$${i + 1}`), sql);
}

// Every value as the server's text: a Date would print to the second, hiding a change within one.
const AS_TEXT = { getTypeParser: () => (value: string) => value };

/** localCollectionFingerprint on PostgreSQL: two named statements, planned once per connection. */
export async function localCollectionFingerprintOnPostgres(
  db: Database,
  request: CollectionFingerprintRequest,
  now = Date.now(),
): Promise<string | undefined> {
  const pool = postgresPool(db);
  if (pool === undefined) throw new Error("localCollectionFingerprintOnPostgres needs PostgreSQL");
  const accountResult = await pool.query({
    name: "local-collection-account",
    text: numbered(ACCOUNT_SQL, ["username"]),
    values: [request.username],
    rowMode: "array",
    types: AS_TEXT,
  });
  const account = accountResult.rows[0] as unknown[] | undefined;
  if (account === undefined) return undefined;
  const page = request.cursor !== null;
  const sql = itemsSql(request.kind, page, POSTGRES_AGGREGATE);
  if (sql === null) return fingerprintOfRows(request, account, [], [], now);
  const accountId = String(account[accountResult.fields.findIndex((f) => f.name === "id")]);
  const withCursor = page && sql.includes("@cursor");
  const result = await pool.query({
    name: `local-collection-${request.kind}-${page ? "page" : "whole"}`,
    text: numbered(sql, withCursor ? ["account", "cursor"] : ["account"]),
    values: withCursor ? [accountId, request.cursor] : [accountId],
    rowMode: "array",
    types: AS_TEXT,
  });
  return fingerprintOfRows(
    request,
    account,
    result.fields.map((f) => f.name),
    result.rows as unknown[][],
    now,
  );
}
