// Serves stored media files at /media/<key> from whichever MediaStore holds them (local disk or S3,
// streamed, never buffered whole): content-addressed, so the ETag is the sha256 of the bytes and the
// response may be cached forever (immutable); If-None-Match answers 304. Each answer says whether the
// file's owners reserve text and data mining (tdm-reservation, W3C TDMRep; domain/data-mining.ts).
import { Hono } from "hono";
import type { DatabaseLike } from "../db/client.ts";
import { isMediaReserved } from "../domain/data-mining.ts";
import type { MediaStore } from "../media/store.ts";
import { IMMUTABLE_CACHE_CONTROL, parseMediaKey } from "../media/store.ts";

/** A router to mount at /media. */
export function mediaRoutes(store: MediaStore, db: DatabaseLike): Hono {
  const app = new Hono();
  app.on(["GET", "HEAD"], "/:folder/:file", async (c) => {
    const parsed = parseMediaKey(`${c.req.param("folder")}/${c.req.param("file")}`);
    if (parsed === undefined) return c.json({ error: "Not found" }, 404);
    const etag = `"${parsed.sha256}"`;
    const headers = {
      ETag: etag,
      "Cache-Control": IMMUTABLE_CACHE_CONTROL,
      // Never let a browser guess another type, and never run anything from this origin's media.
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cross-Origin-Resource-Policy": "cross-origin",
      "Access-Control-Allow-Origin": "*",
      // On 304s too: a revalidation updates the headers a cache keeps.
      "tdm-reservation": (await isMediaReserved(db, parsed.key)) ? "1" : "0",
    };
    const ifNoneMatch = c.req.header("If-None-Match");
    if (
      ifNoneMatch?.split(",").some((t) => t.trim().replace(/^W\//, "") === etag || t.trim() === "*")
    ) {
      if (await store.has(parsed.key)) return c.body(null, 304, headers);
    }
    if (c.req.method === "HEAD") {
      // Headers only: no reason to start reading the bytes (a GET to S3) just to drop them.
      const info = await store.stat(parsed.key);
      if (info === undefined) return c.json({ error: "Not found" }, 404);
      return c.body(null, 200, {
        ...headers,
        "Content-Type": parsed.contentType,
        "Content-Length": String(info.size),
      });
    }
    const file = await store.open(parsed.key);
    if (file === undefined) return c.json({ error: "Not found" }, 404);
    return c.body(file.body, 200, {
      ...headers,
      "Content-Type": file.contentType,
      "Content-Length": String(file.size),
    });
  });
  return app;
}
