// Answers repeated fetches of local actors' collections (outbox, followers, following and their pages,
// featured, featured tags: collections.ts, featured.ts) from memory, as object-cache.ts does for
// statuses (response-cache.ts holds the design). Servers read them when they first meet an account
// (Mastodon its featured collection and outbox), and an outbox page embeds twenty Notes: Fedify's
// JSON-LD compaction of those is tens of milliseconds of CPU. An entry is served only while the
// collection's fingerprint (src/db/queries/collection-fingerprints.ts) is unchanged.
//
// Who asks matters only to featured, whose pins a signer may see more or fewer of: its signed answers
// are kept only while every pin is public or unlisted and the author is in no block (the fingerprint
// says so), and are keyed apart from unsigned ones. In secure mode the cache is off (middleware.ts).
//
// Fedify writes a collection's `first`, `next` and `prev` links with the host the request named, so
// only requests naming this instance's own host are answered from here (and the scheme is in the key):
// a Host header of the client's choosing must neither fill the cache nor have its links served to others.
import type { Database } from "../src/db/client.ts";
import {
  type CollectionFingerprintRequest,
  type CollectionKind,
  localCollectionFingerprint,
  localCollectionFingerprintOnPostgres,
} from "../src/db/queries/collection-fingerprints.ts";
import { acceptVariant, type Cacheable, ResponseCache } from "./response-cache.ts";

/** A handful of collections per active actor; a page of twenty Notes is tens of KB. */
const MAX_ENTRIES = 1000;
/** Twenty Notes with long texts and many attachments; anything larger is answered, not kept. */
const MAX_BODY_BYTES = 256 * 1024;
/** Usernames as the domain allows them, and the collections there are; the rest is left to Fedify. */
const COLLECTION_PATH =
  /^\/users\/([A-Za-z0-9_.-]{1,64})\/(outbox|followers|following|featured|featured_tags)$/;
/** A page's cursor: a row id as src/db/ids.ts makes them, or empty for the first page. */
const CURSOR = /^\?cursor=([0-9]{0,24})$/;
const PAGED = new Set<CollectionKind>(["outbox", "followers", "following"]);

export interface CollectionCacheable extends Cacheable, CollectionFingerprintRequest {}

const COLLECTION_FINGERPRINTS = {
  sqlite: (db: Database, request: CollectionCacheable) => localCollectionFingerprint(db, request),
  postgres: (db: Database, request: CollectionCacheable) =>
    localCollectionFingerprintOnPostgres(db, request),
};

export class CollectionResponseCache extends ResponseCache<CollectionCacheable> {
  readonly #host: string;

  constructor(db: Database, origin: string, options: { maxEntries?: number } = {}) {
    super(db, COLLECTION_FINGERPRINTS, {
      maxEntries: options.maxEntries ?? MAX_ENTRIES,
      maxBodyBytes: MAX_BODY_BYTES,
    });
    this.#host = new URL(origin).host;
  }

  /**
   * The cache key of a GET for a local actor's collection or one of its pages, or null for anything
   * else. `origin` is the request URL's scheme and host, which Fedify's links are made of. The key comes
   * from a small set per actor (path, cursor, kind of JSON, signed or not where it matters).
   */
  cacheable(
    origin: string,
    url: { pathname: string; search: string },
    accept: string | undefined,
    signed: boolean,
  ): CollectionCacheable | null {
    const m = COLLECTION_PATH.exec(url.pathname);
    if (m === null || !this.#isOwnHost(origin)) return null;
    const kind = m[2] as CollectionKind;
    let cursor: string | null = null;
    if (url.search !== "") {
      const c = PAGED.has(kind) ? CURSOR.exec(url.search) : null;
      if (c === null) return null; // other parameters (followers' base-url filter): Fedify, uncached
      cursor = c[1]!;
    }
    const variant = acceptVariant(accept);
    if (variant === null) return null;
    const signedMatters = kind === "featured" && signed;
    return {
      key: `${origin}${url.pathname}${url.search}\n${variant}\n${signedMatters ? "signed" : "any"}`,
      subject: m[1]!.toLowerCase(),
      username: m[1]!,
      kind,
      cursor,
      signed: signedMatters,
    };
  }

  #isOwnHost(origin: string): boolean {
    const start = origin.indexOf("//");
    return start !== -1 && origin.slice(start + 2).toLowerCase() === this.#host;
  }
}
