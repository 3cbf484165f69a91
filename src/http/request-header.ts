// Reading one request header cheaply on the hot paths (cached actor documents, WebFinger).
import type { IncomingMessage } from "node:http";
import type { Context } from "hono";

/**
 * A request header, from the headers Node already parsed when @hono/node-server serves the request:
 * asking the Request instead builds a whole Headers object first. Repeated headers are joined with
 * ", " either way.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming?.headers === undefined) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}
