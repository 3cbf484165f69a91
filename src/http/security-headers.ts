// The security headers of every answer that is not a page: API and OAuth JSON, errors, /health,
// WebFinger, NodeInfo and the ActivityPub documents. None of them is meant to be rendered, so a
// browser must neither guess a type for them (nosniff) nor run, load or frame anything from them (a
// CSP of nothing): an answer that ever carried attacker text under the wrong type stays inert. Pages
// set their own, nonce-based CSP (web/security.ts) and keep it; nosniff they get like everything else.
import type { MiddlewareHandler } from "hono";

/** The CSP of a document that is never a page. */
export const NOTHING_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** As a plain record: @hono/node-server writes those without building a Headers object. */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "x-content-type-options": "nosniff",
  "content-security-policy": NOTHING_POLICY,
});

/** Adds the headers to `headers`, keeping a CSP already there (a page's, a media file's). */
export function addSecurityHeaders(headers: Headers): void {
  headers.set("x-content-type-options", "nosniff");
  if (!headers.has("content-security-policy"))
    headers.set("content-security-policy", NOTHING_POLICY);
}

/**
 * `response` with the headers added; a response whose headers cannot change (one passed on from a
 * fetch) is copied first.
 */
export function withSecurityHeaders(response: Response): Response {
  try {
    addSecurityHeaders(response.headers);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    addSecurityHeaders(copy.headers);
    return copy;
  }
}

/** The middleware, for a router whose every answer should carry them. */
export function answerSecurityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const response = withSecurityHeaders(c.res);
    // Assigning c.res copies the old answer's headers over the new one: only for a copy.
    if (response !== c.res) c.res = response;
  };
}
