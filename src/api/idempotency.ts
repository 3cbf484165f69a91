// The `Idempotency-Key` header of POST /api/v1/statuses: a client that retries a post (a flaky network, a
// double tap) with the same key within an hour gets the first status back instead of a duplicate. Kept in
// memory, as Mastodon keeps it in Redis with an expiry: a restart forgets the keys, never the statuses.

const TTL_MS = 60 * 60_000;
// Bounded so a client sending a fresh key per request cannot grow the map without end.
const MAX_ENTRIES = 10_000;

export class IdempotencyCache {
  readonly #entries = new Map<string, { value: string; expires: number }>();
  readonly #ttlMs: number;

  constructor(ttlMs = TTL_MS) {
    this.#ttlMs = ttlMs;
  }

  /** The value stored for this account and key, if it is younger than the TTL. */
  get(accountId: string, key: string, now = Date.now()): string | undefined {
    const entry = this.#entries.get(`${accountId}\n${key}`);
    if (entry === undefined) return undefined;
    if (entry.expires <= now) {
      this.#entries.delete(`${accountId}\n${key}`);
      return undefined;
    }
    return entry.value;
  }

  set(accountId: string, key: string, value: string, now = Date.now()): void {
    if (this.#entries.size >= MAX_ENTRIES) {
      for (const [k, e] of this.#entries) if (e.expires <= now) this.#entries.delete(k);
      // Still full: drop the oldest (Map keeps insertion order).
      while (this.#entries.size >= MAX_ENTRIES) {
        const oldest = this.#entries.keys().next().value;
        if (oldest === undefined) break;
        this.#entries.delete(oldest);
      }
    }
    this.#entries.set(`${accountId}\n${key}`, { value, expires: now + this.#ttlMs });
  }
}
