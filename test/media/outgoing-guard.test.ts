// The address guard under Fedify's fetch: inside withOutgoingGuard no request reaches a loopback server,
// whichever spelling of its address is used; outside it, or with private addresses allowed, fetch is as before.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withOutgoingGuard } from "../../src/media/outgoing-guard.ts";
import { isReservedAddress } from "../../src/media/remote-fetch.ts";

let server: Server;
let port: number;
let hits = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    hits++;
    res.end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("withOutgoingGuard", () => {
  it("refuses loopback by name, literal, IPv4-mapped IPv6, decimal and hex spellings", async () => {
    const before = hits;
    for (const host of [
      "127.0.0.1",
      "localhost",
      "[::ffff:127.0.0.1]",
      "[::ffff:7f00:1]",
      "2130706433",
      "0x7f000001",
      "127.1",
    ]) {
      const url = `http://${host}:${port}/`;
      const outcome = await withOutgoingGuard(false, () => fetch(url)).then(
        (r) => `fetched ${r.status}`,
        () => "refused",
      );
      expect([host, outcome]).toEqual([host, "refused"]);
    }
    expect(hits).toBe(before);
  });

  it("lets the request through outside the guard and when private addresses are allowed", async () => {
    const before = hits;
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    expect((await withOutgoingGuard(true, () => fetch(`http://localhost:${port}/`))).status).toBe(
      200,
    );
    expect(hits).toBe(before + 2);
  });
});

describe("isReservedAddress", () => {
  it("covers private, link-local, unique-local, CGNAT, unspecified and multicast, v4 and v6", () => {
    for (const a of [
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "::",
      "::1",
      "fc00::1",
      "fd12::1",
      "fe80::1",
      "ff02::1",
      "::ffff:10.0.0.1",
      "::ffff:a00:1",
    ]) {
      expect([a, isReservedAddress(a)]).toEqual([a, true]);
    }
    expect(isReservedAddress("93.184.215.14")).toBe(false);
    expect(isReservedAddress("2606:4700::1")).toBe(false);
  });
});
