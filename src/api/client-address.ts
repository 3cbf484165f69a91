// The client address of a Hono request (see domain/client-address.ts for the rules): the one function
// every per-address limit and recorded address of the API and the pages calls.
import type { Context } from "hono";
import { proxyMatcher, resolveClientAddress } from "../domain/client-address.ts";

/** The TCP peer when served by @hono/node-server; "local" in-process (tests calling app.request). */
function peerOf(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming;
  return incoming?.socket?.remoteAddress ?? "local";
}

/** The client's address: the peer, or X-Forwarded-For as read behind one of `trustedProxies`. */
export function clientAddress(c: Context, trustedProxies: readonly string[]): string {
  return resolveClientAddress(
    peerOf(c),
    c.req.header("x-forwarded-for"),
    proxyMatcher(trustedProxies),
  );
}
