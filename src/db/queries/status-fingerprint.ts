// The fingerprint of a local status's ActivityStreams documents (its Note or Question, its Create, a
// boost's Announce): a short string that changes whenever the document could, so the object cache
// (federation/object-cache.ts) checks an entry with one indexed read, whoever wrote the change (the
// services, the inbox, the CLI). Same design as fingerprints.ts for actors: raw prepared statements
// returning arrays, read on every hit on PostgreSQL and after any write on SQLite.
import type Sqlite from "better-sqlite3";
import type { Database } from "../client.ts";
import { postgresPool } from "../dialect.ts";

// What the Note is made of (federation/mappers/to-ap.ts statusToNote, federation/loaders.ts): the status
// row; its author's IRI, followers URL and username (the addressing), suspension and deletion (a
// suspended author's statuses are hidden); its attachments (URL keys, alt text, size, blurhash, focus,
// AI provenance, readiness); its mentions (IRI and handle), hashtags and enabled custom emojis; the IRIs
// of the statuses it replies to or quotes when known by id. No dataset-consent term is in a Note. Its
// Create (/statuses/:id/activity) adds only the author's IRI. A boost's Announce is made of the boost
// row, its author's addressing and the boosted status's IRI and author's IRI (reblog_target).
//
// Only statuses whose document is the same for every requester are fingerprinted (undefined otherwise):
// local, public or unlisted (a followers-only or direct status answers differently by signer, and must
// never be served to one Fedify did not check), and not an open poll with an end (its document changes when the poll ends, with no
// write to notice; once ended it is cached). `author_blocks` tells whether the author is in any block:
// then a signed request may be refused by Fedify (visibility.ts: blocks hide in both directions), so
// only unsigned requests, which no block concerns, are answered from the cache.
/** One subselect's rows as one value, in a stable order: how each dialect aggregates them. */
export type Aggregate = (expr: string, fromWhere: string, order: string) => string;

/**
 * The select list and FROM of status fingerprint rows, for this file and the collections made of Notes
 * (collection-fingerprints.ts): whoever adds a WHERE gets rows fingerprintOf reads.
 */
export const statusFingerprintColumns = (agg: Aggregate) => `s.*,
  ${agg("a.iri, a.followers_url, a.username, a.suspended_at, a.deleted_at", "FROM accounts AS a WHERE a.id = s.account_id", "a.id")} AS author,
  ${agg(
    `m.id, m.position, m.state, m.type, m.media_type, m.remote_url, m.original_key, m.display_key,
       m.description, m.width, m.height, m.blurhash, m.has_focus, m.focus_x, m.focus_y, m.provenance`,
    "FROM media_attachments AS m WHERE m.status_id = s.id",
    "m.position, m.id",
  )} AS media,
  ${agg(
    "ma.id, ma.iri, ma.username, ma.domain",
    "FROM status_mentions AS sm JOIN accounts AS ma ON ma.id = sm.account_id WHERE sm.status_id = s.id",
    "ma.id",
  )} AS mentions,
  ${agg(
    "t.name, t.display_name",
    "FROM status_tags AS st JOIN tags AS t ON t.name = st.tag_name WHERE st.status_id = s.id",
    "t.name",
  )} AS tags,
  ${agg(
    "e.id, e.shortcode, e.domain, e.image_key, e.disabled, e.created_at, e.updated_at",
    "FROM status_emojis AS se JOIN custom_emojis AS e ON e.id = se.emoji_id WHERE se.status_id = s.id",
    "e.id",
  )} AS emojis,
  (SELECT p.iri FROM statuses AS p WHERE p.id = s.in_reply_to_id) AS parent_iri,
  (SELECT q.iri FROM statuses AS q WHERE q.id = s.quote_of_id) AS quoted_iri,
  (SELECT o.iri || ' ' || oa.iri FROM statuses AS o JOIN accounts AS oa ON oa.id = o.account_id
     WHERE o.id = s.reblog_of_id) AS reblog_target,
  CASE WHEN EXISTS (SELECT 1 FROM blocks AS b WHERE b.account_id = s.account_id)
    OR EXISTS (SELECT 1 FROM blocks AS b WHERE b.target_account_id = s.account_id)
    THEN 1 ELSE 0 END AS author_blocks
  FROM statuses AS s`;

// SQLite's json_group_array keeps the order of the rows it is given; PostgreSQL orders inside json_agg.
export const SQLITE_AGGREGATE: Aggregate = (expr, fromWhere, order) =>
  `(SELECT json_group_array(x) FROM (SELECT json_array(${expr}) AS x ${fromWhere} ORDER BY ${order}))`;
export const POSTGRES_AGGREGATE: Aggregate = (expr, fromWhere, order) =>
  `(SELECT json_agg(json_build_array(${expr}) ORDER BY ${order}) ${fromWhere})`;

const WHERE = "WHERE s.id = $1 AND s.local AND s.visibility IN ('public', 'unlisted')";
const SQLITE_SQL = `SELECT ${statusFingerprintColumns(SQLITE_AGGREGATE)} ${WHERE}`.replace(
  "$1",
  "?",
);

const POSTGRES_QUERY = {
  name: "local-status-fingerprint",
  text: `SELECT ${statusFingerprintColumns(POSTGRES_AGGREGATE)} ${WHERE}`,
  rowMode: "array",
  // Every value as the server's text: a Date would print to the second, hiding a change within one.
  types: { getTypeParser: () => (value: string) => value },
} as const;

/** Columns that change with activity, not with the document: they must not invalidate it. */
const ACTIVITY_COLUMNS = new Set([
  "replies_count",
  "reblogs_count",
  "favourites_count",
  "fetched_at",
]);

/** Whether the request is signed (whatever the signature is worth): see author_blocks above. */
export interface StatusFingerprintRequest {
  statusId: string;
  signed: boolean;
}

/**
 * One status row's fingerprint (columns as statusFingerprintColumns selects them), or undefined when its
 * document may not be kept for this kind of request.
 */
export function fingerprintOf(
  names: readonly string[],
  row: readonly unknown[],
  signed: boolean,
  now: number,
): string | undefined {
  let fingerprint = "";
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = row[i];
    if (ACTIVITY_COLUMNS.has(name)) continue;
    if (name === "author_blocks" && signed && String(value) === "1") return undefined;
    if (name === "poll" && value !== null && pollStillOpen(String(value), now)) return undefined;
    fingerprint += `${value}\u0000`;
  }
  return fingerprint;
}

function pollStillOpen(poll: string, now: number): boolean {
  const expiresAt = (JSON.parse(poll) as { expiresAt?: string | null }).expiresAt;
  return typeof expiresAt === "string" && Date.parse(expiresAt) > now;
}

interface Prepared {
  statement: Sqlite.Statement<[string], unknown[]>;
  names: string[];
}
const prepared = new WeakMap<Database, Prepared>();

/**
 * The fingerprint of a local status's document for this kind of request, or undefined when it is not
 * one the cache may keep (see above) or no longer exists.
 */
export function localStatusFingerprint(
  db: Database,
  request: StatusFingerprintRequest,
  now = Date.now(),
): string | undefined {
  let p = prepared.get(db);
  if (p === undefined) {
    // Raw mode is set once: no other query uses this text, so the shared statement cache never hands
    // this statement to anyone else.
    const statement = db.$client.prepare<[string], unknown[]>(SQLITE_SQL).raw(true);
    p = { statement, names: statement.columns().map((c) => c.name) };
    prepared.set(db, p);
  }
  const row = p.statement.get(request.statusId);
  return row === undefined ? undefined : fingerprintOf(p.names, row, request.signed, now);
}

/** localStatusFingerprint on PostgreSQL (one indexed query, a named statement). */
export async function localStatusFingerprintOnPostgres(
  db: Database,
  request: StatusFingerprintRequest,
  now = Date.now(),
): Promise<string | undefined> {
  const pool = postgresPool(db);
  if (pool === undefined) throw new Error("localStatusFingerprintOnPostgres needs PostgreSQL");
  const result = await pool.query({ ...POSTGRES_QUERY, values: [request.statusId] });
  const row = result.rows[0] as unknown[] | undefined;
  if (row === undefined) return undefined;
  return fingerprintOf(
    result.fields.map((f) => f.name),
    row,
    request.signed,
    now,
  );
}
