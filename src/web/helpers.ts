// Small pieces the page routes share: the View of a request, form parsing with a size bound, paging
// parameters, the client address, and the signed-in requirement.
import type { MiddlewareHandler } from "hono";
import { clientAddress } from "../api/client-address.ts";
import { formFields } from "../api/http.ts";
import type { Config } from "../config.ts";
import type { ActiveSession } from "../domain/sessions.ts";
import { AppError, badRequest } from "../errors.ts";
import { chooseLocale, translatorFor } from "../i18n/index.ts";
import type { View } from "./components/layout.ts";
import { csrfTokenOf, translatorOf, type WebContext, type WebEnv } from "./context.ts";
import type { WebRouterDeps } from "./deps.ts";

export function viewOf(c: WebContext, deps: WebRouterDeps): View {
  return {
    nonce: c.get("nonce"),
    t: translatorOf(c),
    session: c.get("session"),
    unreadCount: c.get("unreadCount") ?? 0,
    csrf: csrfTokenOf(c),
    assets: deps.assets,
    instanceName: deps.config.instanceName,
    urls: deps.urls,
    origin: deps.config.origin,
    path: c.req.path,
    here: c.req.url.slice(new URL(c.req.url).origin.length),
    firstImage: { claimed: false },
  };
}

/**
 * Chooses the page's language once the session is known (its user's setting beats the browser's
 * Accept-Language); the answer varies with that header, which caches must know.
 */
export const localize: MiddlewareHandler<WebEnv> = async (c, next) => {
  c.set(
    "t",
    translatorFor(chooseLocale(c.get("session")?.user.locale, c.req.header("accept-language"))),
  );
  c.header("Vary", "Accept-Language", { append: true });
  await next();
};

/**
 * Declares whether the page reserves text and data mining (domain/data-mining.ts decides): the
 * tdm-reservation header on the response, and the view the layout renders the same answer from (meta
 * tags), so header and page cannot disagree.
 */
export function declareMining(c: WebContext, view: View, reserved: boolean): View {
  c.header("tdm-reservation", reserved ? "1" : "0");
  return { ...view, miningReserved: reserved };
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

const RETURN_TO_MAX = 2048;
// Browsers drop tabs and newlines from URLs and read a backslash as "/", so "/<tab>/evil.example" or
// "/<backslash>evil.example" would leave the site; no control character or backslash, raw or
// percent-encoded, belongs in a path we send people back to.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
const UNSAFE_IN_RETURN_TO = /[\u0000-\u001f\u007f\\]|%[01][0-9a-f]|%7f|%5c/i;

/**
 * The one check for every "where to go next" parameter (sign-in's return_to, the action forms'): the
 * value is parsed as a browser would against this origin and kept only if it stays on it; what is sent
 * back is the parsed path, query and fragment, never the raw input. Anything else becomes /home.
 */
export function safeReturnTo(value: string | undefined, origin: string): string {
  if (value === undefined || value.length > RETURN_TO_MAX || UNSAFE_IN_RETURN_TO.test(value)) {
    return "/home";
  }
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return "/home";
  }
  if (url.origin !== new URL(origin).origin) return "/home";
  // "/.//evil.example" parses to the path "//evil.example", which a browser reads as another host.
  if (url.pathname.startsWith("//")) return "/home";
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * Registered before every handler that needs a signed-in user: a visitor is sent to the sign-in page
 * and back (GET) or refused with a 401 (other methods, whose body is never read); behind it the handler
 * reads the session with sessionOf(c), typed as present.
 */
export const signedIn: MiddlewareHandler<WebEnv> = async (c, next) => {
  const session = c.get("session");
  if (session === undefined) {
    if (c.req.method === "GET") {
      const back = c.req.url.slice(new URL(c.req.url).origin.length);
      return c.redirect(`/auth/sign_in?return_to=${encodeURIComponent(back)}`, 303);
    }
    throw new AppError("unauthorized", translatorOf(c)("errors.signInFirst"));
  }
  c.set("signedIn", session);
  await next();
};

/** The session of a handler registered behind signedIn. */
export function sessionOf(c: WebContext): ActiveSession {
  const session = c.get("signedIn");
  // Only a route registered without the middleware gets here: the code's fault, never a visitor's.
  if (session === undefined) throw new Error(`${c.req.path} needs the signedIn middleware`);
  return session;
}
