// What every page handler finds on the Hono context: the CSP nonce of this response, the signed-in
// session (if any), the anonymous CSRF token and the language the page is written in.
import type { Context } from "hono";
import type { HtmlEscapedString } from "hono/utils/html";
import type { ActiveSession } from "../domain/sessions.ts";
import { chooseLocale, type Translator, translatorFor } from "../i18n/index.ts";

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface WebVariables {
  /** Per-response nonce for the Content-Security-Policy (scripts and styles). */
  nonce: string;
  session: ActiveSession | undefined;
  /** CSRF token of forms shown to visitors who are not signed in (double-submit cookie). */
  anonymousCsrf: string;
  /** The session, set by the signedIn middleware (helpers.ts) for the routes registered behind it. */
  signedIn: ActiveSession | undefined;
  /** Whether unread notifications exist (for the nav badge); counted lazily. */
  unreadCount: number;
  /** The page's language (the user's setting, else Accept-Language), set by the localize middleware. */
  t: Translator;
}

export type WebEnv = { Variables: WebVariables };
export type WebContext = Context<WebEnv>;

/**
 * The language of this response: the one localize chose, or (an error answered before it ran) the
 * one the session and the browser ask for.
 */
export function translatorOf(c: WebContext): Translator {
  return (
    c.get("t") ??
    translatorFor(chooseLocale(c.get("session")?.user.locale, c.req.header("accept-language")))
  );
}

/** The CSRF token forms on this page must carry. */
export function csrfTokenOf(c: WebContext): string {
  return c.get("session")?.csrfToken ?? c.get("anonymousCsrf");
}
