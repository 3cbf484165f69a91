import { describe, expect, it } from "vitest";
import { LoginThrottle } from "../../src/domain/sign-in-throttle.ts";

describe("sign-in throttle", () => {
  it("stops one address after its failures on an account, and lets it try again once the window passed", () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle({ perIp: 100, perAccount: 3, windowMs: 60_000 }, () => now);
    for (let n = 0; n < 3; n++) {
      expect(throttle.retryAfter("10.0.0.1", "alice")).toBe(0);
      throttle.recordFailure("10.0.0.1", "alice");
      now += 1000;
    }
    // The oldest failure leaves the window 60 s after it happened, 57 s from now.
    expect(throttle.retryAfter("10.0.0.1", "ALICE")).toBe(57);
    // Another address (the owner's) may still try the account, and this address another account.
    expect(throttle.retryAfter("10.0.0.2", "alice")).toBe(0);
    expect(throttle.retryAfter("10.0.0.1", "bob")).toBe(0);
    now += 57_000;
    expect(throttle.retryAfter("10.0.0.1", "alice")).toBe(0);
  });

  it("blocks an address across names, counting an IPv6 /64 as one address", () => {
    const now = 5_000;
    const throttle = new LoginThrottle({ perIp: 2, perAccount: 5, windowMs: 10_000 }, () => now);
    throttle.recordFailure("2001:db8:1:2::1", "alice");
    throttle.recordFailure("2001:db8:1:2:ffff::9", "bob");
    expect(throttle.retryAfter("2001:db8:1:2::77", "carol")).toBe(10);
    expect(throttle.retryAfter("2001:db8:1:3::1", "carol")).toBe(0);
  });

  it("guards an account guessed at from many addresses without holding an address that never failed", () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle(
      { accountGuard: 4, accountWindowMs: 3_600_000, guardDelayMs: 60_000 },
      () => now,
    );
    // A botnet: each address guesses once.
    for (let n = 1; n <= 4; n++) throttle.recordFailure(`198.51.100.${n}`, "alice");
    // Guarded: an address that failed waits the first delay (1 minute) after its failure…
    expect(throttle.retryAfter("198.51.100.4", "alice")).toBe(60);
    // …the owner's address, with no failure, is never held…
    expect(throttle.retryAfter("203.0.113.9", "alice")).toBe(0);
    // …and each further failure doubles the delay.
    throttle.recordFailure("198.51.100.5", "alice");
    throttle.recordFailure("198.51.100.6", "alice");
    expect(throttle.retryAfter("198.51.100.6", "alice")).toBe(240);
    now += 240_000;
    expect(throttle.retryAfter("198.51.100.6", "alice")).toBe(0);
    // A success clears the owner's own failures, not the account's guard.
    throttle.recordFailure("203.0.113.9", "alice");
    expect(throttle.retryAfter("203.0.113.9", "alice")).toBeGreaterThan(0);
    throttle.recordSuccess("203.0.113.9", "alice");
    expect(throttle.retryAfter("203.0.113.9", "alice")).toBe(0);
    expect(throttle.retryAfter("198.51.100.5", "alice")).toBeGreaterThan(0);
  });
});
