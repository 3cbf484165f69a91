import { describe, expect, it } from "vitest";
import { LoginThrottle } from "../../src/web/throttle.ts";

describe("sign-in throttle", () => {
  it("blocks an account after its limit and lets it try again once the window has passed", () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle({ perIp: 100, perAccount: 3, windowMs: 60_000 }, () => now);
    for (let n = 0; n < 3; n++) {
      expect(throttle.retryAfter("10.0.0.1", "alice")).toBe(0);
      throttle.recordFailure("10.0.0.1", "alice");
      now += 1000;
    }
    // The oldest failure leaves the window 60 s after it happened, 57 s from now.
    expect(throttle.retryAfter("10.0.0.2", "ALICE")).toBe(57);
    expect(throttle.retryAfter("10.0.0.1", "bob")).toBe(0);
    now += 57_000;
    expect(throttle.retryAfter("10.0.0.1", "alice")).toBe(0);
  });

  it("blocks an address across names, and a success clears only the account's failures", () => {
    const now = 5_000;
    const throttle = new LoginThrottle({ perIp: 2, perAccount: 2, windowMs: 10_000 }, () => now);
    throttle.recordFailure("10.0.0.1", "alice");
    throttle.recordFailure("10.0.0.1", "bob");
    expect(throttle.retryAfter("10.0.0.1", "carol")).toBe(10);
    expect(throttle.retryAfter("10.0.0.9", "carol")).toBe(0);
    throttle.recordFailure("10.0.0.9", "dave");
    throttle.recordFailure("10.0.0.8", "dave");
    expect(throttle.retryAfter("10.0.0.7", "dave")).toBe(10);
    throttle.recordSuccess("dave");
    expect(throttle.retryAfter("10.0.0.7", "dave")).toBe(0);
  });
});
