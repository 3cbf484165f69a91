// Small pieces the page routes share: the View of a request, form parsing with a size bound, paging
// parameters, the client address, and the signed-in requirement.
import { clientAddress } from "../api/client-address.ts";
import { formFields } from "../api/http.ts";
import type { Config } from "../config.ts";
import type { ActiveSession } from "../domain/sessions.ts";
import { AppError, badRequest } from "../errors.ts";
import type { View } from "./components/layout.ts";
import { csrfTokenOf, type WebContext } from "./context.ts";
import type { WebRouterDeps } from "./deps.ts";

export function viewOf(c: WebContext, deps: WebRouterDeps): View {
  return {
    nonce: c.get("nonce"),
    session: c.get("session"),
    unreadCount: c.get("unreadCount") ?? 0,
    csrf: csrfTokenOf(c),
    assets: deps.assets,
    instanceName: deps.config.instanceName,
    urls: deps.urls,
    origin: deps.config.origin,
    path: c.req.path,
    here: c.req.url.slice(new URL(c.req.url).origin.length),
  };
}

/**
 * The fields of a urlencoded or multipart form, as strings, names checked (see formFields); the body
 * is bounded as it streams in (src/http/body-limit.ts).
 */
export async function readForm(c: WebContext): Promise<Record<string, string>> {
  return formFields(Object.entries(await c.req.parseBody()));
}

/** A `max_id` paging parameter: an id, or null; anything else is a 400. */
export function maxIdOf(c: WebContext): string | null {
  const v = c.req.query("max_id");
  if (v === undefined || v === "") return null;
  if (!/^\d{1,20}$/.test(v)) throw badRequest("max_id must be a status id");
  return v;
}

/** The client's address: the TCP peer, or X-Forwarded-For behind a trusted proxy (TRUSTED_PROXIES). */
export function clientIp(c: WebContext, config: Config): string {
  return clientAddress(c, config.trustedProxies);
}

/** A local path to return to after signing in; anything else (other sites, `//host`) becomes /home. */
export function safeReturnTo(value: string | undefined): string {
  if (value === undefined || !value.startsWith("/") || value.startsWith("//")) return "/home";
  if (value.includes("\\") || value.length > 2048) return "/home";
  return value;
}

/** The signed-in session, or a redirect to the sign-in page (GET) / a 401 (other methods). */
export function requireSession(c: WebContext): ActiveSession | Response {
  const session = c.get("session");
  if (session !== undefined) return session;
  if (c.req.method === "GET") {
    const back = c.req.url.slice(new URL(c.req.url).origin.length);
    return c.redirect(`/auth/sign_in?return_to=${encodeURIComponent(back)}`, 303);
  }
  throw new AppError("unauthorized", "Sign in first.");
}
