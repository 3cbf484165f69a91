// Rendered pages kept for anonymous visitors, who all see the same page but for two per-response values:
// the CSP nonce (which must never be reused: a cached nonce would let an injected script run) and the
// anonymous CSRF token (tied to the visitor's own cookie). A page is rendered once with random markers in
// their place, and each response gets its own values put in. Signed-in visitors are never served from
// here: their pages show their relationships, notifications and forms.
import { randomBytes } from "node:crypto";

/** A profile changes rarely, but its counts and images do: a few seconds spares a burst of visitors. */
const DEFAULT_TTL_MS = 5000;
const DEFAULT_MAX_ENTRIES = 500;

interface Entry {
  fingerprint: string;
  storedAt: number;
  html: string;
}

export interface PagePlaceholders {
  nonce: string;
  csrf: string;
}

export class AnonymousPageCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** Letters and digits only, so that HTML escaping leaves them as they are. */
  readonly placeholders: PagePlaceholders = {
    nonce: `nonce${randomBytes(16).toString("hex")}`,
    csrf: `csrf${randomBytes(16).toString("hex")}`,
  };

  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The page for `key`, with this response's values, when one was rendered less than the TTL ago from
   * data with the same `fingerprint`; otherwise `render` is called (with the placeholders) and kept.
   */
  async page(
    key: string,
    fingerprint: string,
    values: PagePlaceholders,
    render: (placeholders: PagePlaceholders) => Promise<string>,
  ): Promise<string> {
    const now = this.#now();
    let entry = this.#entries.get(key);
    if (
      entry === undefined ||
      entry.fingerprint !== fingerprint ||
      now - entry.storedAt > this.#ttlMs
    ) {
      entry = { fingerprint, storedAt: now, html: await render(this.placeholders) };
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      if (this.#entries.size > this.#maxEntries) {
        const oldest = this.#entries.keys().next().value;
        if (oldest !== undefined) this.#entries.delete(oldest);
      }
    }
    return entry.html
      .replaceAll(this.placeholders.nonce, values.nonce)
      .replaceAll(this.placeholders.csrf, values.csrf);
  }
}
