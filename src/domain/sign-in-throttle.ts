// Sign-in throttling (the web sign-in form, password re-entry on the settings page, and the OAuth
// authorize form), in memory (one process serves the instance). Past a limit, sign-in answers 429 with
// Retry-After instead of checking the password, which also keeps argon2 from being used to exhaust the CPU.
//
// Failures are counted three ways, each against a different attacker, so that none of them lets a
// stranger lock the owner out:
// - per (account, address): 5 in 15 minutes, then that address may not try that account. One guesser is
//   stopped; the owner, from any other address, still signs in.
// - per address, whatever the account: 20 in 15 minutes, against one address trying many accounts.
// - per account, from every address (distributed guessing): once an account has had 10 failures in the
//   last hour, it is guarded: an address that already failed on it must wait a delay after its last
//   failure that doubles with every further failure on the account (1 minute, 2, 4… up to an hour).
//   Each address of a botnet gets about one guess an hour instead of twenty, while an address with no
//   failure on the account (the owner's, as long as they typed the password right) is never held.
// Addresses are counted by addressBucket: an IPv6 /64 is one address.
import { addressBucket } from "./client-address.ts";
import { RecentTimes } from "./recent-times.ts";

export interface ThrottleLimits {
  /** Failed attempts allowed per IP address (bucket) in the window, whatever the account. */
  perIp: number;
  /** Failed attempts allowed per account from one address in the window. */
  perAccount: number;
  windowMs: number;
  /** Failures on one account from all addresses, within accountWindowMs, before it is guarded. */
  accountGuard: number;
  accountWindowMs: number;
  /** The first delay of a guarded account; it doubles with each failure past the guard. */
  guardDelayMs: number;
}

export const defaultThrottleLimits: ThrottleLimits = {
  perIp: 20,
  perAccount: 5,
  windowMs: 15 * 60 * 1000,
  accountGuard: 10,
  accountWindowMs: 60 * 60 * 1000,
  guardDelayMs: 60 * 1000,
};

export class LoginThrottle {
  readonly #limits: ThrottleLimits;
  readonly #failures: RecentTimes;

  constructor(limits: Partial<ThrottleLimits> = {}, now: () => number = Date.now) {
    this.#limits = { ...defaultThrottleLimits, ...limits };
    this.#failures = new RecentTimes(now);
  }

  /** Seconds to wait before this address may try this account again, or 0 if it may now. */
  retryAfter(ip: string, username: string): number {
    const { perIp, perAccount, windowMs } = this.#limits;
    const failures = this.#failures;
    const ipWait = failures.waitSeconds(failures.recent(ipKey(ip), windowMs), perIp, windowMs);
    const pair = failures.recent(pairKey(ip, username), this.#retention());
    const since = failures.now() - windowMs;
    const pairWait = failures.waitSeconds(
      pair.filter((t) => t > since),
      perAccount,
      windowMs,
    );
    return Math.max(ipWait, pairWait, this.#guardWait(pair, username));
  }

  recordFailure(ip: string, username: string): void {
    this.#failures.push(ipKey(ip), this.#limits.windowMs);
    this.#failures.push(pairKey(ip, username), this.#retention());
    this.#failures.push(accountKey(username), this.#limits.accountWindowMs);
  }

  /**
   * A successful sign-in clears this address's failures on the account, not the account's count from
   * everywhere: the owner signing in does not end a guessing campaign's guard.
   */
  recordSuccess(ip: string, username: string): void {
    this.#failures.delete(pairKey(ip, username));
  }

  #retention(): number {
    return Math.max(this.#limits.windowMs, this.#limits.accountWindowMs);
  }

  #guardWait(pair: number[], username: string): number {
    const { accountGuard, accountWindowMs, guardDelayMs } = this.#limits;
    const lastOwn = pair.at(-1);
    if (lastOwn === undefined) return 0; // no failure from here: never held by the guard
    const account = this.#failures.recent(accountKey(username), accountWindowMs);
    if (account.length < accountGuard) return 0;
    const delay = Math.min(guardDelayMs * 2 ** (account.length - accountGuard), accountWindowMs);
    const left = lastOwn + delay - this.#failures.now();
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }
}

const ipKey = (ip: string) => `ip:${addressBucket(ip)}`;
const accountKey = (username: string) => `acct:${username.toLowerCase()}`;
const pairKey = (ip: string, username: string) =>
  `pair:${username.toLowerCase()} ${addressBucket(ip)}`;
