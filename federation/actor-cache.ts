// Answers repeated fetches of local actor documents and WebFinger lookups from memory. Every remote
// server that sees one of our users fetches both, often, and Fedify builds each answer from scratch
// (JSON-LD compaction, key export): about 5 ms of CPU for an actor, where a cached copy costs one indexed
// read. Fedify stays the source of truth: a miss goes through it and its answer (body and headers) is
// kept as it was; an entry is served only while the account's fingerprint (its row without counters, and
// its keys) is unchanged, so an edit, a suspension, a deletion or new keys show without anyone having to
// invalidate anything: on the next fetch when this process wrote them, within a quarter of a second when
// another one did (the CLI). The fingerprint is read again only after something was written. PostgreSQL
// has no such stamp nor synchronous reads: there every hit reads the fingerprint (one indexed query),
// which sees any process's commit at once and still saves Fedify's work.
import { createHash } from "node:crypto";
import type { Database } from "../src/db/client.ts";
import { isPostgres } from "../src/db/dialect.ts";
import {
  databaseChangeStamp,
  localActorFingerprint,
  localActorFingerprintOnPostgres,
} from "../src/db/queries/fingerprints.ts";
import { API_SECURITY_HEADERS } from "../src/http/security-headers.ts";

/** Enough for every actor of a large single-user-to-small-community instance, in a few MB. */
const MAX_ENTRIES = 1000;
/** An actor with a long bio and many fields is a few KB; anything far larger is not kept. */
const MAX_BODY_BYTES = 64 * 1024;
/** Usernames as the domain allows them; anything else is left to Fedify, uncached. */
const USERNAME = /^[A-Za-z0-9_.-]{1,64}$/;
const ACTOR_PATH = /^\/users\/([^/]+)$/;
const PROFILE_PATH = /^\/(?:@|users\/)([^/]+)$/;

/** A request this cache can answer: its key and the local account it depends on. */
export interface Cacheable {
  key: string;
  username: string;
  /** The database's change stamp, then the account's fingerprint, read before Fedify answered. */
  stamp?: number;
  fingerprint?: string;
}

interface Entry {
  username: string;
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

export class ActorResponseCache {
  readonly #entries = new Map<string, Entry>();
  #clock = 0;
  readonly #db: Database;
  readonly #origin: URL;
  readonly #maxEntries: number;
  /**
   * The change stamp (fingerprints.ts) stands on SQLite's write counter and data_version, read
   * synchronously; on PostgreSQL each hit reads the account's fingerprint instead, asynchronously.
   */
  readonly #onPostgres: boolean;

  constructor(db: Database, origin: string, options: { maxEntries?: number } = {}) {
    this.#db = db;
    this.#onPostgres = isPostgres(db);
    this.#origin = new URL(origin);
    this.#maxEntries = options.maxEntries ?? MAX_ENTRIES;
  }

  /**
   * The cache key of a GET for an actor document or a WebFinger lookup of a local account, or null when
   * the request is something else (or names no local account: Fedify answers those, uncached). The key
   * holds everything Fedify's answer depends on: the path (or WebFinger resource) and the kind of JSON
   * asked for.
   */
  cacheable(
    url: { pathname: string; search: string },
    accept: string | undefined,
  ): Cacheable | null {
    // The key must come from a small set per account: a query string or Accept header of the client's
    // choosing would let anyone fill the cache with copies and push the real entries out.
    if (url.pathname === "/.well-known/webfinger") {
      // Only the plain form (no `rel` filter); the JRD does not depend on Accept.
      const resource = onlyResourceParameter(url.search);
      const username = this.#usernameOfResource(resource);
      if (username === null || !USERNAME.test(username)) return null;
      return { key: `webfinger\n${resource}`, username };
    }
    const m = ACTOR_PATH.exec(url.pathname);
    if (m === null || url.search !== "" || !USERNAME.test(m[1]!)) return null;
    const variant = acceptVariant(accept);
    if (variant === null) return null;
    return { key: `${url.pathname}\n${variant}`, username: m[1]! };
  }

  /**
   * The cached answer, if it is still current; a 304 when the client already has it. While nothing
   * was written to the database since the entry was last checked (databaseChangeStamp), it is served
   * as it is; otherwise the account's fingerprint is read again and compared. On PostgreSQL the
   * answer is a promise (see #getOnPostgres).
   */
  get(
    request: Cacheable,
    ifNoneMatch: string | undefined,
  ): Response | null | Promise<Response | null> {
    if (this.#onPostgres) return this.#getOnPostgres(request, ifNoneMatch);
    // The stamp is read before the fingerprint: a write between the two changes the stamp, so the
    // entry is checked again next time rather than trusted.
    const stamp = databaseChangeStamp(this.#db);
    const entry = this.#entries.get(request.key);
    if (entry !== undefined && entry.stamp !== stamp) {
      const fingerprint = localActorFingerprint(this.#db, entry.username);
      if (fingerprint === entry.fingerprint) entry.stamp = stamp;
      else this.#entries.delete(request.key);
    }
    if (entry === undefined || entry.stamp !== stamp) {
      // A miss: what Fedify is about to read is fingerprinted first, so that a change made while it
      // answers leaves an entry that fails its next check instead of a stale one that passes.
      request.stamp = stamp;
      request.fingerprint = localActorFingerprint(this.#db, request.username);
      return null;
    }
    entry.usedAt = ++this.#clock;
    return respond(entry, ifNoneMatch);
  }

  /** get on PostgreSQL: the entry is served only while the fingerprint read now matches it. */
  async #getOnPostgres(
    request: Cacheable,
    ifNoneMatch: string | undefined,
  ): Promise<Response | null> {
    const fingerprint = await localActorFingerprintOnPostgres(this.#db, request.username);
    const entry = this.#entries.get(request.key);
    if (entry !== undefined && fingerprint !== undefined && entry.fingerprint === fingerprint) {
      entry.usedAt = ++this.#clock;
      return respond(entry, ifNoneMatch);
    }
    if (entry !== undefined) this.#entries.delete(request.key);
    // A miss: as on SQLite, the fingerprint was read before Fedify reads the account. No stamp here.
    request.stamp = 0;
    request.fingerprint = fingerprint;
    return null;
  }

  /** Keeps Fedify's 200 answer and returns it (with its ETag); other answers pass through untouched. */
  async store(
    request: Cacheable,
    response: Response,
    ifNoneMatch: string | undefined,
  ): Promise<Response> {
    const { stamp, fingerprint } = request;
    if (stamp === undefined || fingerprint === undefined) return response; // no such local account
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
    const entry: Entry = {
      username: request.username,
      fingerprint,
      stamp,
      usedAt: ++this.#clock,
      status: 200,
      headers,
      body,
      etag,
    };
    if (body.byteLength <= MAX_BODY_BYTES) {
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
   * Forgets every answer about `username` (actor documents and WebFinger), when another process says
   * the account changed: the database stamp notices writes to a shared SQLite file, not to every store.
   */
  invalidate(username: string): void {
    for (const [key, entry] of this.#entries) {
      if (entry.username === username) this.#entries.delete(key);
    }
  }

  /** How many answers are kept (for tests). */
  get size(): number {
    return this.#entries.size;
  }

  /** The username an `acct:` or profile/actor URL resource names on this instance, or null. */
  #usernameOfResource(resource: string | null): string | null {
    if (resource === null) return null;
    if (resource.startsWith("acct:")) {
      const at = resource.lastIndexOf("@");
      if (at <= 5) return null;
      const host = resource.slice(at + 1).toLowerCase();
      return host === this.#origin.host ? resource.slice(5, at) : null;
    }
    let url: URL;
    try {
      url = new URL(resource);
    } catch {
      return null;
    }
    if (url.origin !== this.#origin.origin || url.search !== "" || url.hash !== "") return null;
    return PROFILE_PATH.exec(url.pathname)?.[1] ?? null;
  }
}

/**
 * The `resource` of a WebFinger query that has no other parameter, or null. The usual query (nothing
 * escaped) is read as it is; URLSearchParams, which decodes the rest, costs more than the cached answer.
 */
function onlyResourceParameter(search: string): string | null {
  if (search.startsWith("?resource=") && !/[&%+]/.test(search)) return search.slice(10);
  const params = new URLSearchParams(search);
  return params.size === 1 ? params.get("resource") : null;
}

function respond(entry: Entry, ifNoneMatch: string | undefined): Response {
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
function acceptVariant(accept: string | undefined): "ld" | "as" | null {
  if (accept === undefined || accept.length > 512 || accept.includes("text/html")) return null;
  if (accept.includes("application/ld+json")) return "ld";
  if (accept.includes("application/activity+json")) return "as";
  return null;
}
