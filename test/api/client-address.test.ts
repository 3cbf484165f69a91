// Per-address limits behind a reverse proxy, through a real listener on 127.0.0.1 (the loopback peer is
// what a proxy on the same machine looks like): X-Forwarded-For is believed from trusted proxies only.
import type { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { proxyMatcher, resolveClientAddress } from "../../src/domain/client-address.ts";
import { localUser } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let instance: ServedInstance | undefined;
afterEach(async () => {
  await instance?.close();
  instance = undefined;
});

const publicTimeline = (forwardedFor: string) =>
  fetch(`${instance!.url}/api/v1/timelines/public`, {
    headers: { "x-forwarded-for": forwardedFor },
  }).then((r) => r.status);

/** A browser-like client of the served instance whose every request carries X-Forwarded-For. */
function browserBehind(forwardedFor: string): PageClient {
  const server = {
    request: (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set("x-forwarded-for", forwardedFor);
      return fetch(`${instance!.url}${path}`, { ...init, headers });
    },
  };
  return new PageClient(server as unknown as Hono);
}

describe("client address", () => {
  it("gives visitors behind a trusted proxy buckets of their own", async () => {
    instance = await serveTestInstance({ API_RATE_LIMIT: "2" });
    expect(await publicTimeline("203.0.113.1")).toBe(200);
    expect(await publicTimeline("203.0.113.1")).toBe(200);
    expect(await publicTimeline("203.0.113.1")).toBe(429);
    expect(await publicTimeline("203.0.113.2")).toBe(200);
    // The client is the rightmost untrusted entry: a spoofed one on its left changes nothing.
    expect(await publicTimeline("198.51.100.7, 203.0.113.1")).toBe(429);
    // An IPv6 client counts by its /64.
    expect(await publicTimeline("2001:db8:1:2::1")).toBe(200);
    expect(await publicTimeline("2001:db8:1:2::2")).toBe(200);
    expect(await publicTimeline("2001:db8:1:2::3")).toBe(429);
  });

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", async () => {
    instance = await serveTestInstance({ API_RATE_LIMIT: "2", TRUSTED_PROXIES: "10.0.0.0/8" });
    expect(await publicTimeline("203.0.113.1")).toBe(200);
    expect(await publicTimeline("203.0.113.2")).toBe(200);
    expect(await publicTimeline("203.0.113.3")).toBe(429);
  });

  it("does not let five wrong passwords from one address lock out the right one from another", async () => {
    instance = await serveTestInstance();
    await localUser(instance, "alice");
    const guesser = browserBehind("203.0.113.66");
    for (let i = 0; i < 5; i++) {
      expect((await guesser.signIn("alice", `wrong-${i}`)).status).toBe(401);
    }
    // The guesser is stopped, even with the right password…
    expect((await guesser.signIn("alice")).status).toBe(429);
    // …and the owner, from their own address, signs in.
    const owner = browserBehind("198.51.100.20");
    const signedIn = await owner.signIn("alice");
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toBe("/home");
  });
});

describe("resolveClientAddress", () => {
  const proxies = proxyMatcher(["127.0.0.0/8", "::1/128", "10.0.0.0/8"]);

  it("walks X-Forwarded-For from the right past trusted proxies", () => {
    expect(resolveClientAddress("127.0.0.1", "203.0.113.5, 10.0.0.2", proxies)).toBe("203.0.113.5");
    expect(resolveClientAddress("::ffff:127.0.0.1", "1.1.1.1, 203.0.113.5", proxies)).toBe(
      "203.0.113.5",
    );
    expect(resolveClientAddress("::1", "[2001:DB8::1]:443", proxies)).toBe("2001:db8::1");
    expect(resolveClientAddress("127.0.0.1", "203.0.113.5:5555", proxies)).toBe("203.0.113.5");
    // Every entry trusted: the leftmost is the client.
    expect(resolveClientAddress("127.0.0.1", "10.0.0.3, 10.0.0.2", proxies)).toBe("10.0.0.3");
  });

  it("falls back to the peer for a malformed entry, and ignores the header from untrusted peers", () => {
    expect(resolveClientAddress("127.0.0.1", "203.0.113.5, not-an-ip", proxies)).toBe("127.0.0.1");
    expect(resolveClientAddress("127.0.0.1", "", proxies)).toBe("127.0.0.1");
    expect(resolveClientAddress("127.0.0.1", "unknown, 10.0.0.2", proxies)).toBe("127.0.0.1");
    expect(resolveClientAddress("192.0.2.1", "203.0.113.5", proxies)).toBe("192.0.2.1");
    expect(resolveClientAddress("local", "203.0.113.5", proxies)).toBe("local");
  });
});
