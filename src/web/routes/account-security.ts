// Settings → Security: the password and e-mail address changes (the current password is checked,
// throttled like sign-in), and ending one browser session or one app's access. The rules live in
// domain/accounts.ts, domain/email-change.ts and domain/credentials.ts; these handlers parse, call and
// redirect.
import type { Hono, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { changeOwnPassword } from "../../domain/accounts.ts";
import {
  endWebSessionById,
  listAuthorizedApplications,
  listWebSessions,
  revokeApplication,
} from "../../domain/credentials.ts";
import { requestEmailChange } from "../../domain/email-change.ts";
import type { ActiveSession } from "../../domain/sessions.ts";
import { needsSecondFactor } from "../../domain/two-factor.ts";
import { AppError } from "../../errors.ts";
import type { MessageKey } from "../../i18n/index.ts";
import { translatorOf, type WebContext, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { clientIp, readForm, sessionOf, signedIn, viewOf } from "../helpers.ts";
import { doneNotice } from "../notices.ts";
import { type SecurityNotice, securityPage } from "../pages/account-security.ts";
import { verifyCsrf } from "../security.ts";

const notices = {
  password: "z_security.done.password",
  email: "z_security.done.email",
  session: "z_security.done.session",
  application: "z_security.done.application",
} as const satisfies Record<string, MessageKey>;

export function accountSecurityRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db } = deps;

  const render = async (
    c: WebContext,
    session: ActiveSession,
    notice?: SecurityNotice,
    status: ContentfulStatusCode = 200,
  ) =>
    c.html(
      securityPage(
        viewOf(c, deps),
        await listWebSessions(db, session.account.id, session.tokenHash),
        await listAuthorizedApplications(db, session.account.id),
        {
          email: session.user.email,
          pendingEmail: session.user.unconfirmedEmail,
          twoFactorOn: needsSecondFactor(session.user),
        },
        notice,
      ),
      status,
    );

  /** The session, then the form and its CSRF token. */
  const signedInForm = async (c: WebContext) => {
    const session = sessionOf(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, deps.config.origin);
    return { session, form };
  };

  web.get("/settings/security", page, signedIn, async (c) => {
    const session = sessionOf(c);
    return await render(c, session, doneNotice(translatorOf(c), notices, c.req.query("done")));
  });

  web.post("/settings/password", page, signedIn, async (c) => {
    const { session, form } = await signedInForm(c);
    const refuse = async (text: string, status: ContentfulStatusCode) =>
      await render(c, session, { kind: "error", text }, status);
    const ip = clientIp(c, deps.config);
    const username = session.account.username;
    const wait = deps.throttle.retryAfter(ip, username);
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      return await refuse(translatorOf(c)("z_moves.tooManyPasswords"), 429);
    }
    const password = form.password ?? "";
    if (password !== (form.password_confirmation ?? "")) {
      return await refuse(translatorOf(c)("z_security.passwordsDiffer"), 400);
    }
    try {
      await changeOwnPassword(db, session.account.id, {
        current: form.current_password ?? "",
        password,
        keepSessionHash: session.tokenHash,
      });
    } catch (error) {
      if (!(error instanceof AppError) || (error.status !== 401 && error.status !== 400)) {
        throw error;
      }
      if (error.status === 401) deps.throttle.recordFailure(ip, username);
      return await refuse(
        error.status === 400
          ? translatorOf(c)("z_security.nothingChanged", { reason: error.message })
          : error.message,
        error.status === 400 ? 400 : 401,
      );
    }
    return c.redirect("/settings/security?done=password", 303);
  });

  web.post("/settings/email", page, signedIn, async (c) => {
    const { session, form } = await signedInForm(c);
    const refuse = async (text: string, status: ContentfulStatusCode) =>
      await render(c, session, { kind: "error", text }, status);
    const ip = clientIp(c, deps.config);
    const username = session.account.username;
    // The password is checked, so it is throttled like every other password check.
    const wait = deps.throttle.retryAfter(ip, username);
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      return await refuse(translatorOf(c)("z_moves.tooManyPasswords"), 429);
    }
    try {
      await requestEmailChange(deps, session.account.id, {
        password: form.current_password ?? "",
        email: form.email ?? "",
      });
    } catch (error) {
      if (!(error instanceof AppError) || (error.status !== 401 && error.status !== 422)) {
        throw error;
      }
      if (error.status === 401) deps.throttle.recordFailure(ip, username);
      return await refuse(error.message, error.status === 401 ? 401 : 422);
    }
    return c.redirect("/settings/security?done=email", 303);
  });

  web.post("/settings/sessions/:id/revoke", page, signedIn, async (c) => {
    const got = await signedInForm(c);
    await endWebSessionById(db, got.session.account.id, c.req.param("id"));
    return c.redirect("/settings/security?done=session", 303);
  });

  web.post("/settings/applications/:id/revoke", page, signedIn, async (c) => {
    const got = await signedInForm(c);
    await revokeApplication(db, got.session.account.id, c.req.param("id"));
    return c.redirect("/settings/security?done=application", 303);
  });
}
