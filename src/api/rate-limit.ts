// Request rate limits with Mastodon's headers (X-RateLimit-Limit/Remaining/Reset) and its 429 answer:
// a fixed window per caller (token, or address when anonymous: the client address behind trusted
// proxies, an IPv6 /64 as one), kept in memory.
import type { MiddlewareHandler } from "hono";
import type { Config } from "../config.ts";
import { addressBucket } from "../domain/client-address.ts";
import { AppError } from "../errors.ts";
import { clientAddress } from "./client-address.ts";
import type { ApiEnv, RequestWindows } from "./types.ts";

export interface RateLimitOptions {
  limit: number;
  windowMs: number;
  /** At most this many callers are tracked; the oldest windows are dropped first. */
  maxKeys?: number;
}

/** Counts hits per key in fixed windows. */
export class FixedWindowLimiter implements RequestWindows {
  readonly #options: Required<RateLimitOptions>;
  readonly #windows = new Map<string, { count: number; resetAt: number }>();

  constructor(options: RateLimitOptions) {
    this.#options = { maxKeys: 10_000, ...options };
  }

  get limit(): number {
    return this.#options.limit;
  }

  /** Records a hit; returns whether it is allowed, what remains and when the window resets. */
  hit(key: string, now = Date.now()): { allowed: boolean; remaining: number; resetAt: number } {
    let window = this.#windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      this.#windows.delete(key);
      if (this.#windows.size >= this.#options.maxKeys) {
        const oldest = this.#windows.keys().next().value;
        if (oldest !== undefined) this.#windows.delete(oldest);
      }
      window = { count: 0, resetAt: now + this.#options.windowMs };
      this.#windows.set(key, window);
    }
    window.count++;
    return {
      allowed: window.count <= this.#options.limit,
      remaining: Math.max(0, this.#options.limit - window.count),
      resetAt: window.resetAt,
    };
  }
}

/** The API's windows: API_RATE_LIMIT requests (Mastodon's default: 300) per 5 minutes per caller. */
export function apiRateLimiter(config: Config): FixedWindowLimiter {
  return new FixedWindowLimiter({ limit: config.apiRateLimit, windowMs: 5 * 60_000 });
}

/** Whose window a request counts in: its token's, or, anonymous, its client address's. */
export function rateLimitKey(tokenId: string | null, address: string): string {
  return tokenId !== null ? `token:${tokenId}` : `ip:${addressBucket(address)}`;
}

export function rateLimit(
  limiter: RequestWindows,
  trustedProxies: readonly string[],
): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const auth = c.get("auth");
    const key = rateLimitKey(auth?.token.id ?? null, clientAddress(c, trustedProxies));
    const { allowed, remaining, resetAt } = limiter.hit(key);
    c.header("X-RateLimit-Limit", String(limiter.limit));
    c.header("X-RateLimit-Remaining", String(remaining));
    c.header("X-RateLimit-Reset", new Date(resetAt).toISOString());
    if (!allowed) {
      c.header("Retry-After", String(Math.ceil((resetAt - Date.now()) / 1000)));
      throw new AppError("rate_limited", "Too many requests");
    }
    return next();
  };
}
