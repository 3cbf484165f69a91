// Cross-origin access as Mastodon grants it (its config/initializers/cors.rb, through rack-cors): any
// origin, never with credentials, on the client API, the OAuth token and revoke endpoints, discovery
// (/.well-known/*, /nodeinfo/*) and the actor documents. Browser clients (Phanpy, Elk) talk to the server
// from their own origin with bearer tokens only, so `*` opens nothing a cookie would: these paths read no
// session cookie, and the pages, the sign-in and consent forms stay same-origin.
//
// As rack-cors does, the headers go only on answers to requests that carry an Origin (every cross-origin
// browser request does), so the server-to-server traffic (actor fetches, WebFinger) keeps its fast path;
// an OPTIONS to one of these paths is answered here as a preflight before any route.
import type { Context, MiddlewareHandler, Next } from "hono";
import { requestHeader } from "./request-header.ts";

interface CorsPolicy {
  /** What a preflight allows. */
  methods: string;
  /** The response headers a script may read, besides the CORS-safelisted ones. */
  expose?: string;
}

const READ_ONLY: CorsPolicy = { methods: "GET" };
const API: CorsPolicy = {
  methods: "POST, PUT, DELETE, GET, PATCH, OPTIONS",
  expose: "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-Request-Id",
};
const TOKEN: CorsPolicy = { methods: "POST" };
const USERINFO: CorsPolicy = { methods: "GET, POST" };

/** The headers a preflight allows when it names none (rack-cors' `headers: :any` echoes what it asks). */
const DEFAULT_ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key";
/** rack-cors' default: a browser may keep a preflight's answer two hours. */
const PREFLIGHT_MAX_AGE = "7200";

/** The policy of a path, or undefined where no other origin may read the answer. */
export function corsPolicyFor(path: string): CorsPolicy | undefined {
  if (path.startsWith("/api/")) return API;
  if (path.startsWith("/.well-known/") || path.startsWith("/nodeinfo/")) return READ_ONLY;
  if (path === "/oauth/token" || path === "/oauth/revoke") return TOKEN;
  if (path === "/oauth/userinfo") return USERINFO;
  // A profile: /@alice and /users/alice, not their statuses, collections or inbox.
  if (/^\/(?:@|users\/)[^/]+$/.test(path)) return READ_ONLY;
  return undefined;
}

function preflight(c: Context, policy: CorsPolicy): Response {
  const requested = requestHeader(c, "access-control-request-headers");
  return new Response(null, {
    status: 204,
    headers: {
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Methods": policy.methods,
      "Access-Control-Allow-Headers": requested?.trim() ? requested : DEFAULT_ALLOWED_HEADERS,
      "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
      ...(policy.expose === undefined ? {} : { "Access-Control-Expose-Headers": policy.expose }),
    },
  });
}

function addHeaders(response: Response, policy: CorsPolicy): Response {
  const set = (headers: Headers) => {
    headers.set("Access-Control-Allow-Origin", "*");
    if (policy.expose !== undefined) headers.set("Access-Control-Expose-Headers", policy.expose);
  };
  try {
    set(response.headers);
    return response;
  } catch {
    // Headers of a response passed on from a fetch cannot change: a copy can.
    const copy = new Response(response.body, response);
    set(copy.headers);
    return copy;
  }
}

type Handler = (c: Context, next: Next) => Response | ReturnType<MiddlewareHandler>;

/**
 * Wraps the app's front handler: answers preflights, and adds the CORS headers to whatever answers a
 * cross-origin request on the paths above (the federation middleware's, the API's, OAuth's).
 */
export function withCors(front: Handler): Handler {
  return (c, next) => {
    const isPreflight = c.req.method === "OPTIONS";
    // No Origin, nothing to add: the common case costs one header lookup.
    if (!isPreflight && requestHeader(c, "origin") === undefined) return front(c, next);
    const policy = corsPolicyFor(c.req.path);
    if (policy === undefined) return front(c, next);
    if (isPreflight) return preflight(c, policy);
    const handled = front(c, next);
    if (handled instanceof Response) return addHeaders(handled, policy);
    return handled.then((response) => {
      if (response instanceof Response) return addHeaders(response, policy);
      const res = addHeaders(c.res, policy);
      // Assigning c.res copies the old answer's headers over the new one: only for a copy.
      if (res !== c.res) c.res = res;
      return undefined;
    });
  };
}
