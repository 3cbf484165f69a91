// Mounts Fedify in Hono (there is no @fedify/hono for Fedify 2): ActivityPub requests go to Fedify, the
// rest falls through to the app's routes. Inbox POSTs are checked here first, so hostile input is
// refused cheaply and with the right status: too big (413), not JSON or absurdly nested (400), from a
// blocked domain (403); Fedify then answers 401 for a missing or bad signature.
import type { Context, MiddlewareHandler, Next } from "hono";
import { findLocalAccount } from "../src/domain/accounts.ts";
import { mayFederateWith } from "../src/domain/federation-policy.ts";
import { readBounded } from "../src/http/body-limit.ts";
import { requestHeader } from "../src/http/request-header.ts";
import { API_SECURITY_HEADERS, withSecurityHeaders } from "../src/http/security-headers.ts";
import { logger } from "../src/logging.ts";
import { withOutgoingGuard } from "../src/media/outgoing-guard.ts";
import { isAnsweredAsUnknown, unauthorizedResponse } from "./authorized-fetch.ts";
import type { AtelierFederation } from "./context.ts";
import { htmlLocationOf } from "./html-redirects.ts";
import type { Cacheable, ResponseCache } from "./response-cache.ts";

const log = logger("federation", "http");

/** Mastodon refuses bodies over 1 MB as well; a post with 16 attachments is far below that. */
export const MAX_INBOX_BODY_BYTES = 1024 * 1024;
const MAX_JSON_DEPTH = 64;

// The paths Fedify answers (its dispatchers' routes, WebFinger and NodeInfo). Other requests skip its
// router entirely: pages, the API and /health are most of the traffic and gain nothing from it.
const FEDIFY_PATHS =
  /^\/(?:\.well-known\/(?:webfinger|nodeinfo)$|nodeinfo\/|users\/|statuses\/|emojis\/|quote-authorizations\/|inbox$)/;

const isInboxPath = (path: string) => path === "/inbox" || /^\/users\/[^/]+\/inbox$/.test(path);

const problem = (status: number, message: string) =>
  new Response(JSON.stringify({ error: message }), {
    status,
    headers: { "Content-Type": "application/json", ...API_SECURITY_HEADERS },
  });

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_JSON_DEPTH || value === null || typeof value !== "object") return depth;
  let max = depth;
  for (const v of Object.values(value)) {
    max = Math.max(max, depthOf(v, depth + 1));
    if (max > MAX_JSON_DEPTH) break;
  }
  return max;
}

/** Checks an inbox POST; returns a refusal, or the request rebuilt with the same body for Fedify. */
async function screenInboxPost(
  fed: AtelierFederation,
  request: Request,
): Promise<Response | Request> {
  if (Number(request.headers.get("content-length") ?? "0") > MAX_INBOX_BODY_BYTES) {
    return problem(413, "Activity too large");
  }
  const body = await readBounded(request.body, MAX_INBOX_BODY_BYTES);
  if (body === null) return problem(413, "Activity too large");
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return problem(400, "Body is not valid JSON");
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return problem(400, "Body is not a JSON object");
  }
  if (depthOf(json) > MAX_JSON_DEPTH) return problem(400, "Activity is nested too deeply");
  const activity = json as Record<string, unknown>;
  // Compact (`id`, `actor`) or expanded JSON-LD (`@id`, the full actor IRI with [{"@id": …}]).
  const idOf = (v: unknown): unknown => {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== null && typeof first === "object") {
      const o = first as Record<string, unknown>;
      return o.id ?? o["@id"];
    }
    return first;
  };
  const actor = idOf(activity.actor ?? activity["https://www.w3.org/ns/activitystreams#actor"]);
  const activityId = activity.id ?? activity["@id"];
  if (typeof activityId !== "string" || typeof actor !== "string") {
    return problem(400, "Activity needs an id and an actor");
  }
  let actorHost: string;
  try {
    actorHost = new URL(actor).host;
  } catch {
    return problem(400, "Activity actor is not a URL");
  }
  if (!(await mayFederateWith(fed.deps.db, actorHost, fed.deps.config))) {
    log.info("Refused an activity from {host}, a domain we do not federate with.", {
      host: actorHost,
    });
    return problem(403, "This server does not federate with your domain");
  }
  return new Request(request.url, { method: request.method, headers: request.headers, body });
}

/**
 * 410 Gone with a Tombstone for the URLs of a deleted local actor (its id, inbox, collections), so
 * servers that still know it drop it; checked only once Fedify found nothing, so live actors pay nothing.
 */
async function deletedActorResponse(
  fed: AtelierFederation,
  pathname: string,
): Promise<Response | null> {
  const m = /^\/users\/([^/]+)(?:\/|$)/.exec(pathname);
  if (m === null) return null;
  let name: string;
  try {
    name = decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
  const account = await findLocalAccount(fed.deps.db, name);
  if (account === undefined || account.deletedAt === null) return null;
  const tombstone = {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: account.iri,
    type: "Tombstone",
    formerType: "Person",
    deleted: account.deletedAt.toISOString(),
  };
  return new Response(JSON.stringify(tombstone), {
    status: 410,
    headers: { "Content-Type": "application/activity+json", ...API_SECURITY_HEADERS },
  });
}

/**
 * The path and query of a request URL. Request URLs are already serialized by the URL parser (by
 * @hono/node-server, or by Request itself), so slicing gives what `new URL()` would, at a fraction of
 * its cost, which is a good part of a cached answer's.
 */
export function splitUrl(href: string): { pathname: string; search: string } {
  const start = href.indexOf("/", href.indexOf("//") + 2);
  if (start === -1) return { pathname: "/", search: "" };
  const hash = href.indexOf("#", start);
  const end = hash === -1 ? href.length : hash;
  const query = href.indexOf("?", start);
  if (query === -1 || query > end) return { pathname: href.slice(start, end), search: "" };
  // URL gives "" for a bare "?" too.
  return {
    pathname: href.slice(start, query),
    search: query + 1 === end ? "" : href.slice(query, end),
  };
}

/**
 * A middleware that may answer synchronously: a cached answer is returned as it is, not wrapped in a
 * promise, so that Hono and @hono/node-server write it without a round of promise jobs (see app.ts).
 */
export type SyncMiddleware = (c: Context, next: Next) => Response | ReturnType<MiddlewareHandler>;

export function federationMiddleware(fed: AtelierFederation): SyncMiddleware {
  const { actorCache, objectCache, collectionCache } = fed;
  const authorizedFetch = fed.deps.config.authorizedFetch;
  /** Draft-cavage (Signature, or Authorization: Signature …) or RFC 9421 (Signature-Input). */
  const isSigned = (c: Context) =>
    requestHeader(c, "signature") !== undefined ||
    requestHeader(c, "signature-input") !== undefined ||
    requestHeader(c, "authorization") !== undefined;
  /** The cache that may answer this GET, and its key; null for anything else. */
  function cacheableOf(
    c: Context,
    path: string,
    url: { pathname: string; search: string },
  ): { cache: ResponseCache<Cacheable>; request: Cacheable } | null {
    if (c.req.method !== "GET") return null;
    const accept = requestHeader(c, "accept");
    // In secure mode a document is answered only after its signature is checked, so only the
    // WebFinger answers (public) come from the cache.
    if (path === "/.well-known/webfinger" || (!authorizedFetch && path.startsWith("/users/"))) {
      const request = actorCache.cacheable(url, accept);
      if (request !== null) return { cache: actorCache, request };
      if (authorizedFetch) return null;
      const href = c.req.url;
      const origin = href.slice(0, href.indexOf("/", href.indexOf("//") + 2));
      const collection = collectionCache.cacheable(origin, url, accept, isSigned(c));
      return collection === null
        ? null
        : { cache: collectionCache as ResponseCache<Cacheable>, request: collection };
    }
    if (!authorizedFetch && path.startsWith("/statuses/")) {
      const request = objectCache.cacheable(url, accept, isSigned(c));
      return request === null ? null : { cache: objectCache as ResponseCache<Cacheable>, request };
    }
    return null;
  }
  return (c, next) => {
    // c.req.path is sliced from the URL string; parsing a URL costs more than the rest of a page's
    // routing, so only Fedify's own requests pay for it.
    const path = c.req.path;
    if (c.req.method === "GET" && path === "/.well-known/host-meta") {
      const template = `${fed.deps.config.origin}/.well-known/webfinger?resource={uri}`;
      return c.body(
        `<?xml version="1.0" encoding="UTF-8"?>\n<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n  <Link rel="lrdd" template="${template}"/>\n</XRD>\n`,
        200,
        { "Content-Type": "application/xrd+xml; charset=utf-8", ...API_SECURITY_HEADERS },
      );
    }
    if (!FEDIFY_PATHS.test(path)) return next();
    const url = splitUrl(c.req.url);
    // The app routes a path with one trailing slash as the path without (app.ts); Fedify is told so.
    if (url.pathname !== path) url.pathname = path;
    const ifNoneMatch = requestHeader(c, "if-none-match");
    const cacheable = cacheableOf(c, path, url);
    if (cacheable !== null) {
      const cached = cacheable.cache.get(cacheable.request, ifNoneMatch);
      // A promise on PostgreSQL, where checking an entry is a query.
      if (cached instanceof Promise) {
        return cached.then(
          (hit) => hit ?? answerWithFedify(c, next, url.pathname, cacheable, ifNoneMatch),
        );
      }
      if (cached !== null) return cached;
    }
    return answerWithFedify(c, next, url.pathname, cacheable, ifNoneMatch);
  };

  async function answerWithFedify(
    c: Context,
    next: Next,
    pathname: string,
    cacheable: { cache: ResponseCache<Cacheable>; request: Cacheable } | null,
    ifNoneMatch: string | undefined,
  ): ReturnType<MiddlewareHandler> {
    let request = c.req.raw;
    const asSent = splitUrl(request.url);
    if (asSent.pathname !== pathname) {
      request = new Request(new URL(`${pathname}${asSent.search}`, request.url), request);
    }
    if (c.req.method === "POST" && isInboxPath(pathname)) {
      const screened = await screenInboxPost(fed, request);
      if (screened instanceof Response) return screened;
      request = screened;
    }
    let fallThrough = false;
    let notAcceptable = false;
    try {
      // Verifying a signature fetches the sender's key: under the same address guard as deliveries.
      const response = await withOutgoingGuard(fed.deps.config.federationAllowPrivateAddress, () =>
        fed.federation.fetch(request, {
          contextData: fed.deps,
          onUnauthorized: (refused) => {
            // A status the signer may not see answers exactly as an unknown one (404, as Mastodon
            // does), so a 401 does not confirm that a followers-only or direct status exists.
            if (!isAnsweredAsUnknown(refused)) return unauthorizedResponse(refused);
            fallThrough = true;
            return new Response("Not found", { status: 404 });
          },
          onNotFound: () => {
            fallThrough = true;
            return new Response("Not found", { status: 404 });
          },
          onNotAcceptable: () => {
            // An HTML request for an ActivityPub URL: the pages answer it.
            fallThrough = true;
            notAcceptable = true;
            return new Response("Not acceptable", { status: 406 });
          },
        }),
      );
      if (!fallThrough) {
        // Added before the cache keeps the answer: its hits carry them at no cost.
        const secured = withSecurityHeaders(response);
        return cacheable === null
          ? secured
          : cacheable.cache.store(cacheable.request, secured, ifNoneMatch);
      }
    } catch (error) {
      // JSON-LD processing of hostile documents can throw (e.g. RangeError on deep nesting); that is
      // the sender's fault, and a 5xx would make it retry for ever.
      if (
        error instanceof RangeError ||
        error instanceof SyntaxError ||
        error instanceof TypeError
      ) {
        log.info("Refused a request Fedify could not process: {error}", { error });
        return problem(400, "Could not process the request");
      }
      throw error;
    }
    if (!notAcceptable) {
      const gone = await deletedActorResponse(fed, pathname);
      if (gone !== null) return gone;
    }
    if (notAcceptable && (c.req.method === "GET" || c.req.method === "HEAD")) {
      const location = await htmlLocationOf(fed.deps, pathname);
      if (location !== null) {
        c.header("Vary", "Accept");
        return c.redirect(location, 302);
      }
    }
    await next();
  }
}
