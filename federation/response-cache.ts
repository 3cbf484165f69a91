// Answers repeated fetches of documents Fedify would build again from scratch (JSON-LD compaction, key
// export: milliseconds of CPU each) from memory, for the actor cache (actor-cache.ts) and the object
// cache (object-cache.ts) alike. Fedify stays the source of truth: a miss goes through it and its answer
// (body and headers) is kept as it was; an entry is served only while its subject's fingerprint (a
// short string read with one indexed query, src/db/queries/) is unchanged, so an edit, a suspension, a
// deletion show without anyone having to invalidate anything: on the next fetch when this process wrote
// them, within a quarter of a second when another one did (the CLI). On SQLite the fingerprint is read
// again only after something was written (databaseChangeStamp). PostgreSQL has no such stamp nor
// synchronous reads: there every hit reads the fingerprint, which sees any process's commit at once and
// still saves Fedify's work.
import { createHash } from "node:crypto";
import type { Database } from "../src/db/client.ts";
import { isPostgres } from "../src/db/dialect.ts";
import { databaseChangeStamp } from "../src/db/queries/fingerprints.ts";
import { API_SECURITY_HEADERS } from "../src/http/security-headers.ts";

/** A request a cache can answer: its key and the subject (an account, a status) it depends on. */
export interface Cacheable {
  key: string;
  /** What invalidate() names: a username, a status id. */
  subject: string;
  /** The database's change stamp, then the subject's fingerprint, read before Fedify answered. */
  stamp?: number;
  fingerprint?: string;
}

/**
 * How a cache reads the fingerprint of a request's subject on each store; undefined when the subject
 * does not exist or its answer may not be kept.
 */
export interface Fingerprints<R extends Cacheable> {
  sqlite(db: Database, request: R): string | undefined;
  postgres(db: Database, request: R): Promise<string | undefined>;
}

export interface ResponseCacheOptions {
  maxEntries: number;
  /** Anything larger is answered but not kept. */
  maxBodyBytes: number;
}

interface Entry<R> {
  /** The request that made it: what its fingerprint is read again for. */
  request: R;
  fingerprint: string;
  /** The change stamp at which the fingerprint was last found unchanged. */
  stamp: number;
  /** When it was last served, on the cache's own clock: the least recently used is evicted. */
  usedAt: number;
  status: number;
  /** A plain record: @hono/node-server writes those without building a Headers object. */
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

export class ResponseCache<R extends Cacheable> {
  readonly #entries = new Map<string, Entry<R>>();
  #clock = 0;
  readonly #db: Database;
  readonly #fingerprints: Fingerprints<R>;
  readonly #maxEntries: number;
  readonly #maxBodyBytes: number;
  /**
   * The change stamp (fingerprints.ts) stands on SQLite's write counter and data_version, read
   * synchronously; on PostgreSQL each hit reads the subject's fingerprint instead, asynchronously.
   */
  readonly #onPostgres: boolean;

  constructor(db: Database, fingerprints: Fingerprints<R>, options: ResponseCacheOptions) {
    this.#db = db;
    this.#fingerprints = fingerprints;
    this.#onPostgres = isPostgres(db);
    this.#maxEntries = options.maxEntries;
    this.#maxBodyBytes = options.maxBodyBytes;
  }

  /**
   * The cached answer, if it is still current; a 304 when the client already has it. While nothing
   * was written to the database since the entry was last checked (databaseChangeStamp), it is served
   * as it is; otherwise the subject's fingerprint is read again and compared. On PostgreSQL the
   * answer is a promise (see #getOnPostgres).
   */
  get(request: R, ifNoneMatch: string | undefined): Response | null | Promise<Response | null> {
    if (this.#onPostgres) return this.#getOnPostgres(request, ifNoneMatch);
    // The stamp is read before the fingerprint: a write between the two changes the stamp, so the
    // entry is checked again next time rather than trusted.
    const stamp = databaseChangeStamp(this.#db);
    const entry = this.#entries.get(request.key);
    if (entry !== undefined && entry.stamp !== stamp) {
      const fingerprint = this.#fingerprints.sqlite(this.#db, entry.request);
      if (fingerprint === entry.fingerprint) entry.stamp = stamp;
      else this.#entries.delete(request.key);
    }
    if (entry === undefined || entry.stamp !== stamp) {
      // A miss: what Fedify is about to read is fingerprinted first, so that a change made while it
      // answers leaves an entry that fails its next check instead of a stale one that passes.
      request.stamp = stamp;
      request.fingerprint = this.#fingerprints.sqlite(this.#db, request);
      return null;
    }
    entry.usedAt = ++this.#clock;
    return respond(entry, ifNoneMatch);
  }

  /** get on PostgreSQL: the entry is served only while the fingerprint read now matches it. */
  async #getOnPostgres(request: R, ifNoneMatch: string | undefined): Promise<Response | null> {
    const fingerprint = await this.#fingerprints.postgres(this.#db, request);
    const entry = this.#entries.get(request.key);
    if (entry !== undefined && fingerprint !== undefined && entry.fingerprint === fingerprint) {
      entry.usedAt = ++this.#clock;
      return respond(entry, ifNoneMatch);
    }
    if (entry !== undefined) this.#entries.delete(request.key);
    // A miss: as on SQLite, the fingerprint was read before Fedify reads the subject. No stamp here.
    request.stamp = 0;
    request.fingerprint = fingerprint;
    return null;
  }

  /** Keeps Fedify's 200 answer and returns it (with its ETag); other answers pass through untouched. */
  async store(request: R, response: Response, ifNoneMatch: string | undefined): Promise<Response> {
    const { stamp, fingerprint } = request;
    if (stamp === undefined || fingerprint === undefined) return response; // not one to keep
    if (response.status !== 200 || response.headers.has("set-cookie")) return response;
    const body = new Uint8Array(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    for (const [name, value] of response.headers) if (name !== "date") headers[name] = value;
    // The key holds the Accept header, so shared caches in front of us must tell variants apart too.
    const vary = headers.vary;
    if (vary === undefined) headers.vary = "Accept";
    else if (!/\baccept\b/i.test(vary)) headers.vary = `${vary}, Accept`;
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    headers.etag = etag;
    const entry: Entry<R> = {
      request,
      fingerprint,
      stamp,
      usedAt: ++this.#clock,
      status: 200,
      headers,
      body,
      etag,
    };
    if (body.byteLength <= this.#maxBodyBytes) {
      this.#entries.set(request.key, entry);
      // Looked for only when full, on a miss: a miss costs Fedify milliseconds, the scan microseconds.
      if (this.#entries.size > this.#maxEntries) this.#evictLeastRecentlyUsed();
    }
    return respond(entry, ifNoneMatch);
  }

  #evictLeastRecentlyUsed(): void {
    let coldest: string | undefined;
    let coldestUse = Number.POSITIVE_INFINITY;
    for (const [key, entry] of this.#entries) {
      if (entry.usedAt < coldestUse) {
        coldest = key;
        coldestUse = entry.usedAt;
      }
    }
    if (coldest !== undefined) this.#entries.delete(coldest);
  }

  /**
   * Forgets every answer about `subject`, when another process says it changed: the database stamp
   * notices writes to a shared SQLite file, not to every store.
   */
  invalidate(subject: string): void {
    for (const [key, entry] of this.#entries) {
      if (entry.request.subject === subject) this.#entries.delete(key);
    }
  }

  /** How many answers are kept (for tests). */
  get size(): number {
    return this.#entries.size;
  }
}

function respond<R>(entry: Entry<R>, ifNoneMatch: string | undefined): Response {
  const tags = ifNoneMatch?.split(",").map((t) => t.trim().replace(/^W\//, "")) ?? [];
  if (tags.includes(entry.etag) || tags.includes("*")) {
    return new Response(null, {
      status: 304,
      headers: { etag: entry.etag, vary: entry.headers.vary ?? "Accept", ...API_SECURITY_HEADERS },
    });
  }
  return new Response(entry.body, { status: entry.status, headers: entry.headers });
}

/**
 * Which ActivityStreams form an Accept header asks for; null when it might prefer HTML or names
 * neither (Fedify decides those, uncached), so a cached JSON body never answers a browser.
 */
export function acceptVariant(accept: string | undefined): "ld" | "as" | null {
  if (accept === undefined || accept.length > 512 || accept.includes("text/html")) return null;
  if (accept.includes("application/ld+json")) return "ld";
  if (accept.includes("application/activity+json")) return "as";
  return null;
}
