// The sliding-window bookkeeping both in-memory throttles (sign-in and sign-up) count with: for each key,
// the times of its recent events, with a bound on how many keys are kept so that a flood of distinct names
// or addresses cannot grow memory (the least recently touched key goes first).

const DEFAULT_MAX_KEYS = 10_000;

export class RecentTimes {
  readonly #now: () => number;
  readonly #maxKeys: number;
  readonly #times = new Map<string, number[]>();

  constructor(now: () => number = Date.now, maxKeys = DEFAULT_MAX_KEYS) {
    this.#now = now;
    this.#maxKeys = maxKeys;
  }

  now(): number {
    return this.#now();
  }

  /** The key's events within the last `windowMs`, oldest first; older ones are forgotten. */
  recent(key: string, windowMs: number): number[] {
    const since = this.#now() - windowMs;
    const list = (this.#times.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.#times.delete(key);
    else this.#times.set(key, list);
    return list;
  }

  /** Records an event for `key` now, keeping the events of the last `windowMs`. */
  push(key: string, windowMs: number): void {
    const list = this.recent(key, windowMs);
    list.push(this.#now());
    // Re-inserted so that the map's order is least recently touched first.
    this.#times.delete(key);
    this.#times.set(key, list);
    if (this.#times.size > this.#maxKeys) {
      const first = this.#times.keys().next().value;
      if (first !== undefined) this.#times.delete(first);
    }
  }

  delete(key: string): void {
    this.#times.delete(key);
  }

  /**
   * Seconds until one more event is allowed when `limit` events are allowed per `windowMs`, given the
   * window's events `list` (from `recent`); 0 when one is allowed now.
   */
  waitSeconds(list: readonly number[], limit: number, windowMs: number): number {
    if (list.length < limit) return 0;
    const oldest = list[list.length - limit]!;
    return Math.max(1, Math.ceil((oldest + windowMs - this.#now()) / 1000));
  }
}
