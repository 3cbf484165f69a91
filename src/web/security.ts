// Security of the pages: per-response CSP nonces and security headers, the session cookie, and CSRF checks
// (a synchronizer token tied to the session for signed-in users, a double-submit cookie for the few forms
// anonymous visitors send: sign-in and remote follow).
import { randomBytes } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Database } from "../db/client.ts";
import { countUnreadNotifications } from "../db/queries/notifications.ts";
import { csrfTokenMatches, findSession } from "../domain/sessions.ts";
import { AppError } from "../errors.ts";
import { translatorOf, type WebContext, type WebEnv } from "./context.ts";

export const SESSION_COOKIE = "atelier_session";
export const ANON_CSRF_COOKIE = "atelier_csrf";

export interface CookiePolicy {
  /** Secure cookies (and HSTS) when the public origin is https. */
  secure: boolean;
}

/** The Content-Security-Policy of a page: nothing runs or styles without this response's nonce. */
export function contentSecurityPolicy(nonce: string, secure: boolean): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'nonce-${nonce}'`,
    // Remote avatars and remote media are shown by URL (https in the fediverse).
    `img-src 'self' data: blob: ${secure ? "https:" : "https: http:"}`,
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
    "manifest-src 'self'",
    ...(secure ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Sets the nonce and the security headers on every page response. */
export function securityHeaders(policy: CookiePolicy): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const nonce = randomBytes(16).toString("base64");
    c.set("nonce", nonce);
    await next();
    const h = c.res.headers;
    h.set("Content-Security-Policy", contentSecurityPolicy(nonce, policy.secure));
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "strict-origin-when-cross-origin");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
    h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    if (policy.secure) h.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    // Pages differ per visitor; never let a shared cache keep one.
    if (!h.has("Cache-Control")) h.set("Cache-Control", "private, no-store");
  };
}

/** Loads the session named by the cookie and the anonymous CSRF token (creating its cookie once). */
export function loadSession(db: Database, policy: CookiePolicy): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = token === undefined ? undefined : await findSession(db, token);
    if (token !== undefined && session === undefined) {
      deleteCookie(c, SESSION_COOKIE, { path: "/", secure: policy.secure });
    }
    c.set("session", session);
    c.set("unreadCount", session === undefined ? 0 : await unreadBadge(db, session.account.id));
    let anon = getCookie(c, ANON_CSRF_COOKIE);
    if (anon === undefined || !/^[A-Za-z0-9_-]{43}$/.test(anon)) {
      anon = randomBytes(32).toString("base64url");
      setCookie(c, ANON_CSRF_COOKIE, anon, {
        path: "/",
        httpOnly: true,
        sameSite: "Lax",
        secure: policy.secure,
      });
    }
    c.set("anonymousCsrf", anon);
    await next();
  };
}

/** Sets the session cookie after sign-in. */
export function setSessionCookie(
  c: WebContext,
  token: string,
  expiresAt: Date,
  policy: CookiePolicy,
): void {
  setCookie(c, SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: policy.secure,
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: WebContext, policy: CookiePolicy): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: policy.secure });
}

/**
 * Rejects a form post whose CSRF token does not match: the session's token for signed-in users, the
 * anonymous cookie's for visitors. Also refuses a cross-origin Origin header outright.
 */
export function verifyCsrf(c: WebContext, submitted: unknown, origin: string): void {
  const sentOrigin = c.req.header("origin");
  if (sentOrigin !== undefined && sentOrigin !== "null" && sentOrigin !== origin) {
    throw new AppError("forbidden", translatorOf(c)("errors.csrfOrigin"));
  }
  const session = c.get("session");
  const expected = session?.csrfToken ?? c.get("anonymousCsrf");
  if (!csrfTokenMatches(expected, submitted)) {
    throw new AppError("forbidden", translatorOf(c)("errors.csrfExpired"));
  }
}

/** How many notifications the badge shows: those newer than the notifications marker, capped at 100. */
export async function unreadBadge(db: Database, accountId: string): Promise<number> {
  return await countUnreadNotifications(db, accountId, {}, 100);
}
