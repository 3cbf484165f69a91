// Every request body is bounded as it streams in: a chunked body (no Content-Length) past the route's
// limit is answered 413 while the client is still sending, so the server never holds it whole.
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { bodyLimitOf, MAX_BODY_BYTES, MULTIPART_SLACK_BYTES } from "../../src/http/body-limit.ts";
import { localUser } from "../helpers/factories.ts";
import { createTestInstance, type ServedInstance, serveTestInstance } from "../helpers/instance.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const MB = 1024 * 1024;

/**
 * POSTs up to `planned` bytes chunked (no Content-Length), one 64 KiB chunk after the other as fast as
 * the socket takes them, and stops sending once the answer has come.
 */
function sendChunked(
  instance: ServedInstance,
  path: string,
  headers: Record<string, string>,
  planned: number,
): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, instance.url);
    let sent = 0;
    let answered = false;
    const req = request(url, { method: "POST", headers }, (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        body += d;
      });
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, sent });
      });
    });
    // The server may close the connection on the rest of the body; that is the point.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (!answered && sent < planned) {
        sent += chunk.byteLength;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe("request body limits", () => {
  it("answers 413 to an anonymous chunked JSON body past 1 MB before the client finished", async () => {
    const instance = await serveTestInstance();
    cleanups.push(() => instance.close());
    const planned = 256 * MB;
    const res = await sendChunked(
      instance,
      "/api/v1/apps",
      { "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
      planned,
    );
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({
      error: `The request body is too large: at most ${MAX_BODY_BYTES} bytes are accepted here`,
    });
    // Answered long before the 256 MB were out: the server read about 1 MB, then stopped.
    expect(res.sent).toBeLessThan(64 * MB);
    // And it still serves.
    expect((await fetch(`${instance.url}/health`)).status).toBe(200);
  });

  it("answers 413 to a chunked urlencoded form past 1 MB on a web page", async () => {
    const instance = await serveTestInstance();
    cleanups.push(() => instance.close());
    const res = await sendChunked(
      instance,
      "/auth/sign_in",
      { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" },
      256 * MB,
    );
    expect(res.status).toBe(413);
    expect(res.body).toContain("The request body is too large");
    expect(res.sent).toBeLessThan(64 * MB);
  });

  it("bounds a chunked media upload by MEDIA_MAX_UPLOAD_MB plus the multipart slack", async () => {
    const instance = await serveTestInstance({ MEDIA_MAX_UPLOAD_MB: "1" });
    cleanups.push(() => instance.close());
    const { token } = await localUser(instance, "alice");
    const res = await sendChunked(
      instance,
      "/api/v2/media",
      {
        Authorization: `Bearer ${token}`,
        "Content-Type": "multipart/form-data; boundary=xyz",
        "Transfer-Encoding": "chunked",
      },
      256 * MB,
    );
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error).toContain(`at most ${MB + MULTIPART_SLACK_BYTES} bytes`);
    expect(res.sent).toBeLessThan(64 * MB);
  });

  it("refuses an anonymous upload without reading its body", async () => {
    const instance = await serveTestInstance();
    cleanups.push(() => instance.close());
    const res = await sendChunked(
      instance,
      "/api/v2/media",
      { "Content-Type": "multipart/form-data; boundary=xyz", "Transfer-Encoding": "chunked" },
      256 * MB,
    );
    expect(res.status).toBe(401);
    expect(res.sent).toBeLessThan(64 * MB);
  });

  it("refuses a declared Content-Length past the limit before reading, and lets bodies under it pass", async () => {
    const instance = await createTestInstance();
    cleanups.push(() => instance.close());
    const big = await instance.app.request("/api/v1/apps", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Content-Length": String(2 * MB) },
      body: "{}",
    });
    expect(big.status).toBe(413);
    const app = await instance.app.request("/api/v1/apps", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        client_name: "Test app",
        redirect_uris: "urn:ietf:wg:oauth:2.0:oob",
      }),
    });
    expect(app.status).toBe(200);
  });

  it("gives the upload routes the media limit (the composer's one per image a post may carry) and every other route 1 MB", () => {
    const max = 16 * MB;
    const limits = { maxUploadBytes: max, maxAttachments: 4 };
    expect(bodyLimitOf("/api/v1/media", limits)).toBe(max + MULTIPART_SLACK_BYTES);
    expect(bodyLimitOf("/api/v2/media/", limits)).toBe(max + MULTIPART_SLACK_BYTES);
    expect(bodyLimitOf("/compose/upload", limits)).toBe(4 * max + MULTIPART_SLACK_BYTES);
    expect(bodyLimitOf("/compose/upload", { ...limits, maxAttachments: 1 })).toBe(
      max + MULTIPART_SLACK_BYTES,
    );
    expect(bodyLimitOf("/api/v1/accounts/update_credentials", limits)).toBe(
      2 * max + MULTIPART_SLACK_BYTES,
    );
    expect(bodyLimitOf("/api/v1/statuses", limits)).toBe(MAX_BODY_BYTES);
    expect(bodyLimitOf("/api/v1/media/123", limits)).toBe(MAX_BODY_BYTES);
    expect(bodyLimitOf("/settings/profile", limits)).toBe(MAX_BODY_BYTES);
    expect(bodyLimitOf("/settings/import", limits)).toBe(20 * MB + MULTIPART_SLACK_BYTES);
    // The routes taking an inpainting mask fit one sent as base64 text (a third larger).
    const masks = { ...limits, maxMaskBytes: 3 * MB };
    expect(bodyLimitOf("/api/v1/atelier/generations", masks)).toBe(4 * MB + MULTIPART_SLACK_BYTES);
    expect(bodyLimitOf("/studio/steps", masks)).toBe(4 * MB + MULTIPART_SLACK_BYTES);
    expect(bodyLimitOf("/api/v1/atelier/generations/1/cancel", masks)).toBe(MAX_BODY_BYTES);
    expect(bodyLimitOf("/studio/steps", limits)).toBe(MAX_BODY_BYTES);
  });
});
