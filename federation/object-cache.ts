// Answers repeated fetches of local status documents (the Note or Question at /statuses/:id, a boost's
// Announce there, a status's Create at /statuses/:id/activity) from memory, as actor-cache.ts does for
// actors (response-cache.ts holds the design). Every server that sees one of our posts boosted, replied
// to or quoted fetches it, and Fedify compacts its JSON-LD each time: milliseconds of CPU where a cached copy costs one indexed read at most. An entry is served
// only while the status's fingerprint (src/db/queries/status-fingerprint.ts: the row without its
// counters, its author's addressing and suspension, attachments, mentions, tags and emojis, a boost's
// target) is unchanged: the Create is made of the same rows as its Note.
//
// Who may see the status is decided before the cache answers, by keeping only answers that do not
// depend on who asks: public and unlisted statuses (the fingerprint is undefined for the others, so
// a followers-only or direct status always goes through Fedify's authorize check), and, for a signed
// request (a block hides a status from its signer, visibility.ts), only while the author blocks no one
// and nobody blocks the author. The signature is not checked here: a request claiming some signer gets
// no more than an unsigned one would. In secure mode (AUTHORIZED_FETCH) the cache is not used at all
// (middleware.ts): every fetch must have its signature verified and its server checked, which is most
// of what a cached answer would save; keying entries by a verified signer is left for later.
import type { Database } from "../src/db/client.ts";
import {
  localStatusFingerprint,
  localStatusFingerprintOnPostgres,
} from "../src/db/queries/status-fingerprint.ts";
import { acceptVariant, type Cacheable, ResponseCache } from "./response-cache.ts";

/** The statuses being boosted and replied to at any one time are a small set; each is a few KB. */
const MAX_ENTRIES = 2000;
/** A Note with a long text and sixteen attachments is below this; anything larger is not kept. */
const MAX_BODY_BYTES = 32 * 1024;
/** Status ids as src/db/ids.ts makes them; anything else is left to Fedify, uncached. */
const STATUS_PATH = /^\/statuses\/([0-9]{1,24})(?:\/activity)?$/;

export interface StatusCacheable extends Cacheable {
  statusId: string;
  /** Whether the request carries a signature (checked or not): see above. */
  signed: boolean;
}

const STATUS_FINGERPRINTS = {
  sqlite: (db: Database, request: StatusCacheable) => localStatusFingerprint(db, request),
  postgres: (db: Database, request: StatusCacheable) =>
    localStatusFingerprintOnPostgres(db, request),
};

export class ObjectResponseCache extends ResponseCache<StatusCacheable> {
  constructor(db: Database, options: { maxEntries?: number; maxBodyBytes?: number } = {}) {
    super(db, STATUS_FINGERPRINTS, {
      maxEntries: options.maxEntries ?? MAX_ENTRIES,
      maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
    });
  }

  /**
   * The cache key of a GET for a status document (or its Create), or null for anything else. As for actors, the key
   * comes from a small set per status (path, kind of JSON, signed or not): a query string or Accept of
   * the client's choosing must not fill the cache with copies.
   */
  cacheable(
    url: { pathname: string; search: string },
    accept: string | undefined,
    signed: boolean,
  ): StatusCacheable | null {
    const m = STATUS_PATH.exec(url.pathname);
    if (m === null || url.search !== "") return null;
    const variant = acceptVariant(accept);
    if (variant === null) return null;
    const statusId = m[1]!;
    return {
      key: `${url.pathname}\n${variant}\n${signed ? "signed" : "unsigned"}`,
      subject: statusId,
      statusId,
      signed,
    };
  }
}
