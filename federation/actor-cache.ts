// Answers repeated fetches of local actor documents and WebFinger lookups from memory (response-cache.ts
// holds the design). Every remote server that sees one of our users fetches both, often, and Fedify
// builds each answer from scratch (JSON-LD compaction, key export): about 5 ms of CPU for an actor, where
// a cached copy costs one indexed read. An entry is served only while the account's fingerprint (its row
// without counters, its keys and its owner's dataset consent) is unchanged.
import type { Database } from "../src/db/client.ts";
import {
  localActorFingerprint,
  localActorFingerprintOnPostgres,
} from "../src/db/queries/fingerprints.ts";
import { acceptVariant, type Cacheable, ResponseCache } from "./response-cache.ts";

/** Enough for every actor of a large single-user-to-small-community instance, in a few MB. */
const MAX_ENTRIES = 1000;
/** An actor with a long bio and many fields is a few KB; anything far larger is not kept. */
const MAX_BODY_BYTES = 64 * 1024;
/** Usernames as the domain allows them; anything else is left to Fedify, uncached. */
const USERNAME = /^[A-Za-z0-9_.-]{1,64}$/;
const ACTOR_PATH = /^\/users\/([^/]+)$/;
const PROFILE_PATH = /^\/(?:@|users\/)([^/]+)$/;

/** Cache entries by username: the account row is what their fingerprint reads. */
const ACTOR_FINGERPRINTS = {
  sqlite: (db: Database, request: Cacheable) => localActorFingerprint(db, request.subject),
  postgres: (db: Database, request: Cacheable) =>
    localActorFingerprintOnPostgres(db, request.subject),
};

export class ActorResponseCache extends ResponseCache<Cacheable> {
  readonly #origin: URL;

  constructor(db: Database, origin: string, options: { maxEntries?: number } = {}) {
    super(db, ACTOR_FINGERPRINTS, {
      maxEntries: options.maxEntries ?? MAX_ENTRIES,
      maxBodyBytes: MAX_BODY_BYTES,
    });
    this.#origin = new URL(origin);
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
      return { key: `webfinger\n${resource}`, subject: username };
    }
    const m = ACTOR_PATH.exec(url.pathname);
    if (m === null || url.search !== "" || !USERNAME.test(m[1]!)) return null;
    const variant = acceptVariant(accept);
    if (variant === null) return null;
    return { key: `${url.pathname}\n${variant}`, subject: m[1]! };
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
