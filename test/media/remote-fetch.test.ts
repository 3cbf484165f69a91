// Downloading remote images: bounded in bytes (declared and streamed), time and redirects, images only,
// and never to a private address unless FEDERATION_ALLOW_PRIVATE_ADDRESS allows it (tests on loopback).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isBlurhashValid } from "blurhash";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { summarizeImage } from "../../src/media/pipeline.ts";
import {
  fetchRemoteImage,
  isReservedAddress,
  type RemoteFetchOptions,
} from "../../src/media/remote-fetch.ts";

let server: Server;
let origin: string;
let png: Buffer;
const hits: string[] = [];

beforeAll(async () => {
  png = await sharp({ create: { width: 60, height: 40, channels: 3, background: "#2266aa" } })
    .png()
    .toBuffer();
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    switch (req.url) {
      case "/a.png":
        res.writeHead(200, { "Content-Type": "image/png" }).end(png);
        return;
      case "/declared-huge.png":
        res.writeHead(200, { "Content-Type": "image/png", "Content-Length": "999999999" });
        res.write(png);
        // Never finishes on its own: the client must stop reading.
        return;
      case "/streamed-huge.png": {
        // No Content-Length: the cap must hold on the bytes themselves.
        res.writeHead(200, { "Content-Type": "image/png" });
        const chunk = Buffer.alloc(64 * 1024);
        let sent = 0;
        const push = () => {
          if (res.destroyed || sent > 4 * 1024 * 1024) return res.end();
          sent += chunk.byteLength;
          res.write(chunk, () => setImmediate(push));
        };
        push();
        return;
      }
      case "/page.html":
        res.writeHead(200, { "Content-Type": "text/html" }).end("<html></html>");
        return;
      case "/slow.png":
        res.writeHead(200, { "Content-Type": "image/png" });
        res.write(png.subarray(0, 10));
        return;
      case "/moved.png":
        res.writeHead(302, { Location: "/a.png" }).end();
        return;
      case "/loop.png":
        res.writeHead(302, { Location: "/loop.png" }).end();
        return;
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const options: RemoteFetchOptions = {
  maxBytes: 1024 * 1024,
  timeoutMs: 2000,
  allowPrivateAddress: true,
  userAgent: "Atelier/test",
};
const reasonOf = (url: string, extra: Partial<RemoteFetchOptions> = {}) =>
  fetchRemoteImage(url, { ...options, ...extra }).then(
    () => "fetched",
    (error: { reason?: string }) => error.reason ?? String(error),
  );

describe("remote image download", () => {
  it("downloads an image, following a redirect, and the pipeline measures it", async () => {
    const got = await fetchRemoteImage(`${origin}/moved.png`, options);
    expect(got.contentType).toBe("image/png");
    expect(got.url).toBe(`${origin}/a.png`);
    expect(got.bytes.equals(png)).toBe(true);
    const summary = await summarizeImage(got.bytes, { maxBytes: 1 << 20, maxPixels: 1e6 });
    expect(summary).toMatchObject({ width: 60, height: 40 });
    expect(isBlurhashValid(summary.blurhash).result).toBe(true);
  });

  it("refuses a 404, a page that is not an image, and too many redirects", async () => {
    expect(await reasonOf(`${origin}/missing.png`)).toBe("HTTP 404");
    expect(await reasonOf(`${origin}/page.html`)).toBe("content type text/html is not an image");
    expect(await reasonOf(`${origin}/loop.png`)).toBe("too many redirects");
  });

  it("stops at the byte cap, whether the size is declared or only streamed", async () => {
    expect(await reasonOf(`${origin}/declared-huge.png`)).toMatch(/^declares 999999999 bytes/);
    expect(await reasonOf(`${origin}/streamed-huge.png`)).toBe("larger than 1048576 bytes");
  });

  it("gives up when the server is too slow", async () => {
    const started = Date.now();
    expect(await reasonOf(`${origin}/slow.png`, { timeoutMs: 300 })).toBe("timed out after 300 ms");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("fetches nothing but http(s)", async () => {
    for (const url of ["javascript:alert(1)", "data:image/png;base64,AA==", "file:///etc/passwd"]) {
      expect(await reasonOf(url)).toMatch(/^scheme .* is not fetched$/);
    }
  });

  it("never connects to a private address unless private addresses are allowed", async () => {
    const before = hits.length;
    const strict = { allowPrivateAddress: false };
    // The corpus's hostile attachment points at a loopback service; a name resolving there is no better.
    expect(await reasonOf("http://127.0.0.1:22/latest/meta-data", strict)).toBe("private address");
    expect(await reasonOf(`${origin}/a.png`, strict)).toBe("private address");
    expect(await reasonOf("http://[::1]:22/", strict)).toBe("private address");
    expect(await reasonOf("http://[::ffff:10.0.0.1]/", strict)).toBe("private address");
    expect(await reasonOf(`http://localhost:${new URL(origin).port}/a.png`, strict)).toBe(
      "localhost resolves to a private address",
    );
    expect(hits.length).toBe(before);
  });

  it("knows the reserved ranges", () => {
    for (const a of ["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254"]) {
      expect(isReservedAddress(a)).toBe(true);
    }
    for (const a of ["::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "100.64.0.1", "0.0.0.0"]) {
      expect(isReservedAddress(a)).toBe(true);
    }
    for (const a of ["93.184.216.34", "2606:4700::1111", "8.8.8.8"]) {
      expect(isReservedAddress(a)).toBe(false);
    }
  });
});
