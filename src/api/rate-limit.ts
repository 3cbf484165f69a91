// Request rate limits with Mastodon's headers (X-RateLimit-Limit/Remaining/Reset) and its 429 answer:
// a fixed window per caller (token, or address when anonymous), kept in memory. Also the throttle on
// failed sign-ins that keeps passwords from being guessed through the authorize page.
import type { MiddlewareHandler } from "hono";
import { AppError } from "../errors.ts";
import type { ApiEnv } from "./types.ts";

export interface RateLimitOptions {
  limit: number;
  windowMs: number;
  /** At most this many callers are tracked; the oldest windows are dropped first. */
  maxKeys?: number;
}

/** Counts hits per key in fixed windows. */
export class FixedWindowLimiter {
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

  /** Hits counted in the key's current window, without counting one more. */
  peek(key: string, now = Date.now()): number {
    const window = this.#windows.get(key);
    return window === undefined || window.resetAt <= now ? 0 : window.count;
  }

  /** Forgets a key (a successful sign-in clears its failures). */
  reset(key: string): void {
    this.#windows.delete(key);
  }
}

/** The address of the TCP peer when served by @hono/node-server (undefined in-process). */
export function peerAddress(env: unknown): string {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming;
  return incoming?.socket?.remoteAddress ?? "local";
}

/** Mastodon's default: 300 requests per 5 minutes per token (or address). */
export function rateLimit(limiter: FixedWindowLimiter): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const auth = c.get("auth");
    const key = auth ? `token:${auth.token.id}` : `ip:${peerAddress(c.env)}`;
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
