// Sign-up throttling per client address (behind TRUSTED_PROXIES, an IPv6 /64 as one address), for every
// door: the web form and POST /api/v1/accounts. Mastodon's limits: 25 attempts in 5 minutes (so a
// script cannot probe names and addresses at speed), and 5 accounts made in 30 minutes (so one address
// cannot fill the instance with accounts). Kept in memory, like the sign-in throttle: each web process
// counts its own requests.
import { AppError } from "../errors.ts";
import { addressBucket } from "./client-address.ts";
import { RecentTimes } from "./recent-times.ts";

export interface SignUpLimits {
  attempts: number;
  attemptsWindowMs: number;
  accounts: number;
  accountsWindowMs: number;
}

export const defaultSignUpLimits: SignUpLimits = {
  attempts: 25,
  attemptsWindowMs: 5 * 60_000,
  accounts: 5,
  accountsWindowMs: 30 * 60_000,
};

/** A sign-up refused for its address's recent sign-ups: 429 with the seconds to wait. */
export class SignUpThrottled extends AppError {
  readonly retryAfter: number;
  constructor(retryAfter: number) {
    super("rate_limited", "Too many sign-ups from this address. Try again later.");
    this.name = "SignUpThrottled";
    this.retryAfter = retryAfter;
  }
}

export class SignUpThrottle {
  readonly #limits: SignUpLimits;
  readonly #times: RecentTimes;

  constructor(limits: Partial<SignUpLimits> = {}, now: () => number = Date.now) {
    this.#limits = { ...defaultSignUpLimits, ...limits };
    this.#times = new RecentTimes(now);
  }

  /** Counts an attempt from `address`; throws SignUpThrottled past either limit. */
  attempt(address: string): void {
    const { attempts, attemptsWindowMs, accounts, accountsWindowMs } = this.#limits;
    const bucket = addressBucket(address);
    const wait = Math.max(
      this.#wait(`made:${bucket}`, accounts, accountsWindowMs),
      this.#wait(`try:${bucket}`, attempts, attemptsWindowMs),
    );
    if (wait > 0) throw new SignUpThrottled(wait);
    this.#times.push(`try:${bucket}`, attemptsWindowMs);
  }

  /** Counts an account made from `address`. */
  created(address: string): void {
    this.#times.push(`made:${addressBucket(address)}`, this.#limits.accountsWindowMs);
  }

  #wait(key: string, limit: number, windowMs: number): number {
    return this.#times.waitSeconds(this.#times.recent(key, windowMs), limit, windowMs);
  }
}
