// One byte limit for every request body the app reads, counted as the bytes stream in, so a chunked
// body without Content-Length cannot grow the process's memory past it. The body stays a stream (a
// handler that refuses the request first, e.g. for a missing token, reads none of it); the byte past
// the limit makes the handler's read fail with a 413, and the rest is never read (@hono/node-server
// drains a little of it after the answer, then closes the connection). The inbox reads its body whole
// before Fedify sees it, with readBounded and its own limit.
import type { MiddlewareHandler } from "hono";
import { AppError } from "../errors.ts";

/** Forms and JSON: Mastodon's own limit for a request is 1 MB as well. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Multipart framing around an uploaded file (boundaries, the other fields) is small. */
export const MULTIPART_SLACK_BYTES = 64 * 1024;

// The routes that take a file: the media uploads, the web composer's upload (as many images as a post
// may carry), and the profile update (avatar and header may come in one request, so it takes two files).
const UPLOAD_PATHS = new Map<string, number | "a post's images">([
  ["/api/v1/media", 1],
  ["/api/v2/media", 1],
  ["/compose/upload", "a post's images"],
  ["/api/v1/accounts/update_credentials", 2],
]);

// Settings → Import takes one CSV file of up to Mastodon's 20 MB (domain/imports/csv.ts checks the file).
const CSV_IMPORT_PATH = "/settings/import";
const CSV_IMPORT_MAX_BYTES = 20 * 1024 * 1024;

// The routes that take an inpainting mask: the generations API (a multipart file, or base64 text in JSON
// or a form, hence a third more) and the studio page's step form.
const MASK_PATHS = new Set(["/api/v1/atelier/generations", "/studio/steps"]);

/** The limits the body limit is computed from (config.media, and the studio's mask bound). */
export interface UploadLimits {
  maxUploadBytes: number;
  /** Images a post may carry (MAX_MEDIA_ATTACHMENTS). */
  maxAttachments: number;
  /** An inpainting mask's bytes (generation/studio.ts MASK_MAX_BYTES); without it, the form limit. */
  maxMaskBytes?: number | undefined;
}

/** How many bytes a request body to `path` may have. */
export function bodyLimitOf(path: string, limits: UploadLimits): number {
  const trimmed = path.length > 1 ? path.replace(/\/$/, "") : path;
  if (trimmed === CSV_IMPORT_PATH) return CSV_IMPORT_MAX_BYTES + MULTIPART_SLACK_BYTES;
  if (MASK_PATHS.has(trimmed) && limits.maxMaskBytes !== undefined) {
    return Math.max(
      MAX_BODY_BYTES,
      Math.ceil((limits.maxMaskBytes * 4) / 3) + MULTIPART_SLACK_BYTES,
    );
  }
  const entry = UPLOAD_PATHS.get(trimmed);
  if (entry === undefined) return MAX_BODY_BYTES;
  const files = entry === "a post's images" ? limits.maxAttachments : entry;
  return files * limits.maxUploadBytes + MULTIPART_SLACK_BYTES;
}

/** Reads at most `limit` bytes; null (and the stream cancelled) when the body is larger. */
export async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (body === null) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const tooLarge = (limit: number) =>
  new AppError(
    "payload_too_large",
    `The request body is too large: at most ${limit} bytes are accepted here`,
  );

/** `body`, failing with a 413 AppError at the first byte past `limit`. */
function counted(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let size = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        size += value.byteLength;
        if (size > limit) {
          // Nothing more is pulled from the source. It is not cancelled: the server drains and closes
          // the connection after the answer, and undici's own body streams (a FormData body made in
          // process) fail on a cancel that arrives while they produce a chunk.
          controller.error(tooLarge(limit));
          return;
        }
        controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    // Nothing is read before the handler asks for it.
    { highWaterMark: 0 },
  );
}

/** The middleware: refuses a declared or counted body over the route's limit with a 413. */
export function limitBodies(limits: UploadLimits): MiddlewareHandler {
  return async (c, next) => {
    // Most requests are GETs, without a body; asking a Node request for its body builds it.
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const request = c.req.raw;
    if (request.body === null) return next();
    const limit = bodyLimitOf(c.req.path, limits);
    // A declared length is checked before a byte is read; Node holds the body to it.
    if (Number(request.headers.get("content-length") ?? "0") > limit) throw tooLarge(limit);
    // A stream body needs `duplex` (Node's RequestInit type does not name it yet).
    const init = { body: counted(request.body, limit), duplex: "half" } as RequestInit;
    c.req.raw = new Request(request, init);
    await next();
  };
}
