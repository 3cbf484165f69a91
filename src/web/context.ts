// What every page handler finds on the Hono context: the CSP nonce of this response, the signed-in
// session (if any) and the anonymous CSRF token, plus the services the web pages call.
import type { Context } from "hono";
import type { HtmlEscapedString } from "hono/utils/html";
import type { ActiveSession } from "../domain/sessions.ts";

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
}

export type WebEnv = { Variables: WebVariables };
export type WebContext = Context<WebEnv>;

/** The CSRF token forms on this page must carry. */
export function csrfTokenOf(c: WebContext): string {
  return c.get("session")?.csrfToken ?? c.get("anonymousCsrf");
}
