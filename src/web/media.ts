// Serves stored media files at /media/<key>: content-addressed, so the ETag is the sha256 of the bytes and
// the response may be cached forever (immutable); If-None-Match answers 304.
import { Hono } from "hono";
import type { MediaStore } from "../media/store.ts";
import { parseMediaKey } from "../media/store.ts";

const IMMUTABLE = "public, max-age=31536000, immutable";

/** A router to mount at /media. */
export function mediaRoutes(store: MediaStore): Hono {
  const app = new Hono();
  app.on(["GET", "HEAD"], "/:folder/:file", async (c) => {
    const parsed = parseMediaKey(`${c.req.param("folder")}/${c.req.param("file")}`);
    if (parsed === undefined) return c.json({ error: "Not found" }, 404);
    const etag = `"${parsed.sha256}"`;
    const headers = {
      ETag: etag,
      "Cache-Control": IMMUTABLE,
      // Never let a browser guess another type, and never run anything from this origin's media.
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cross-Origin-Resource-Policy": "cross-origin",
      "Access-Control-Allow-Origin": "*",
    };
    const ifNoneMatch = c.req.header("If-None-Match");
    if (
      ifNoneMatch?.split(",").some((t) => t.trim().replace(/^W\//, "") === etag || t.trim() === "*")
    ) {
      if (await store.has(parsed.key)) return c.body(null, 304, headers);
    }
    const stored = await store.get(parsed.key);
    if (stored === undefined) return c.json({ error: "Not found" }, 404);
    return c.body(new Uint8Array(stored.bytes), 200, {
      ...headers,
      "Content-Type": stored.contentType,
      "Content-Length": String(stored.bytes.byteLength),
    });
  });
  return app;
}
