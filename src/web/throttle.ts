// Sign-in throttling: failed attempts counted per client address and per account name in a sliding window,
// in memory (one process serves the instance). Past the limit, sign-in answers 429 with Retry-After
// instead of checking the password, which also keeps argon2 from being used to exhaust the CPU.

export interface ThrottleLimits {
  /** Failed attempts allowed per IP address in the window. */
  perIp: number;
  /** Failed attempts allowed per account name in the window. */
  perAccount: number;
  windowMs: number;
}

export const defaultThrottleLimits: ThrottleLimits = {
  perIp: 20,
  perAccount: 5,
  windowMs: 15 * 60 * 1000,
};

// Bounds memory under a flood of distinct names or addresses; the oldest keys go first.
const MAX_KEYS = 10_000;

export class LoginThrottle {
  readonly #limits: ThrottleLimits;
  readonly #now: () => number;
  readonly #failures = new Map<string, number[]>();

  constructor(limits: ThrottleLimits = defaultThrottleLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
  }

  /** Seconds to wait before another attempt for this IP or account, or 0 if one is allowed now. */
  retryAfter(ip: string, username: string): number {
    const ipWait = this.#wait(`ip:${ip}`, this.#limits.perIp);
    const accountWait = this.#wait(`acct:${username.toLowerCase()}`, this.#limits.perAccount);
    return Math.max(ipWait, accountWait);
  }

  recordFailure(ip: string, username: string): void {
    this.#push(`ip:${ip}`);
    this.#push(`acct:${username.toLowerCase()}`);
  }

  /** A successful sign-in clears the account's failures (not the address's). */
  recordSuccess(username: string): void {
    this.#failures.delete(`acct:${username.toLowerCase()}`);
  }

  #recent(key: string): number[] {
    const since = this.#now() - this.#limits.windowMs;
    const list = (this.#failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, list);
    return list;
  }

  #wait(key: string, limit: number): number {
    const list = this.#recent(key);
    if (list.length < limit) return 0;
    const oldest = list[list.length - limit]!;
    return Math.max(1, Math.ceil((oldest + this.#limits.windowMs - this.#now()) / 1000));
  }

  #push(key: string): void {
    const list = this.#recent(key);
    list.push(this.#now());
    this.#failures.delete(key);
    this.#failures.set(key, list);
    if (this.#failures.size > MAX_KEYS) {
      const first = this.#failures.keys().next().value;
      if (first !== undefined) this.#failures.delete(first);
    }
  }
}
