// Authentication and authorization of API calls: resolves the bearer token once per request, then each
// route states what it needs (a signed-in user, a scope). Failures use Mastodon's messages and codes.
import type { Context, MiddlewareHandler } from "hono";
import { resolveAccessToken } from "../domain/oauth.ts";
import { scopeGrants } from "../domain/scopes.ts";
import { AppError } from "../errors.ts";
import type { ApiDeps, ApiEnv } from "./types.ts";

/** Reads `Authorization: Bearer …` (or `access_token` in the query, as Mastodon allows for GETs). */
export function authenticate(deps: ApiDeps): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    let bearer: string | undefined;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
      if (m === null) throw new AppError("unauthorized", "The access token is invalid");
      bearer = m[1];
    } else if (c.req.method === "GET") {
      bearer = c.req.query("access_token") || undefined;
    }
    if (bearer === undefined) {
      c.set("auth", null);
      return next();
    }
    const resolved = await resolveAccessToken(deps.db, bearer);
    if (resolved === undefined) throw new AppError("unauthorized", "The access token is invalid");
    c.set("auth", { ...resolved, accountId: resolved.token.accountId });
    return next();
  };
}

// What an unauthenticated caller may still do in limited federation mode, as Mastodon's controllers that
// skip require_authenticated_user! in that mode: register an app, check an app token, sign up.
const OPEN_IN_LIMITED_MODE: readonly { method: string; path: RegExp }[] = [
  { method: "POST", path: /^\/api\/v1\/apps\/?$/ },
  { method: "GET", path: /^\/api\/v1\/apps\/verify_credentials\/?$/ },
  { method: "POST", path: /^\/api\/v1\/accounts\/?$/ },
];

/**
 * Limited federation mode (Mastodon's LIMITED_FEDERATION_MODE, which turns on its
 * DISALLOW_UNAUTHENTICATED_API_ACCESS): the client API answers only a signed-in user, so the public
 * timelines, profiles, statuses and the instance document are not open to the anonymous (401, Mastodon's
 * message), apart from what it takes to become a user. Outside that mode it lets everything through.
 */
export function requireUserInLimitedMode(deps: ApiDeps): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (!deps.config.limitedFederationMode || (c.get("auth")?.accountId ?? null) !== null) {
      return next();
    }
    const { method, path } = c.req;
    if (
      method === "OPTIONS" ||
      OPEN_IN_LIMITED_MODE.some((o) => o.method === method && o.path.test(path))
    ) {
      return next();
    }
    throw new AppError("unauthorized", "This method requires an authenticated user");
  };
}

/**
 * Requires a token carrying `scope` (or one of several alternatives; any token when null). The token must
 * belong to a user unless `allowAppToken` is set.
 */
export function requireScope(
  scope: string | readonly string[] | null,
  options: { allowAppToken?: boolean } = {},
): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const auth = c.get("auth");
    if (auth === null || auth === undefined) {
      throw new AppError("unauthorized", "The access token is invalid");
    }
    if (auth.accountId === null && !options.allowAppToken) {
      throw new AppError("unprocessable", "This method requires an authenticated user");
    }
    if (auth.accountId !== null && auth.pending !== null) throw pendingError(auth.pending);
    const alternatives = scope === null ? [] : typeof scope === "string" ? [scope] : scope;
    if (alternatives.length > 0 && !alternatives.some((s) => scopeGrants(auth.scopes, s))) {
      throw new AppError("forbidden", "This action is outside the authorized scopes");
    }
    return next();
  };
}

/** Mastodon's answer (its require_user!) to a user token whose new account cannot act yet. */
export function pendingError(pending: "confirmation" | "approval"): AppError {
  return new AppError(
    "forbidden",
    pending === "confirmation"
      ? "Your login is missing a confirmed e-mail address"
      : "Your login is currently pending approval",
  );
}

/** Like requireScope, but anonymous callers pass; a token that is present must carry the scope. */
export function optionalScope(scope: string): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const auth = c.get("auth");
    if (auth !== null && auth !== undefined && !scopeGrants(auth.scopes, scope)) {
      throw new AppError("forbidden", "This action is outside the authorized scopes");
    }
    return next();
  };
}

/** The signed-in account's id (call only behind requireScope). */
export function viewerId(c: Context<ApiEnv>): string {
  const id = c.get("auth")?.accountId;
  if (id === null || id === undefined) {
    throw new AppError("unauthorized", "The access token is invalid");
  }
  return id;
}

/** The signed-in account's id, or null for anonymous and application-only callers. */
export function maybeViewerId(c: Context<ApiEnv>): string | null {
  return c.get("auth")?.accountId ?? null;
}
