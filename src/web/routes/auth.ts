// Signing in and out: throttled, CSRF-checked, with a fresh session (and cookie) on every sign-in, and a
// second step asking for a two-factor code when the user turned it on (domain/two-factor.ts).
import type { Hono, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { registrationMode, signUpOpen } from "../../domain/registrations.ts";
import {
  checkSignIn,
  createSession,
  destroySession,
  pruneSessions,
  SIGN_IN_REFUSED,
  suspendedOwner,
} from "../../domain/sessions.ts";
import {
  checkSecondFactor,
  issueSecondFactorTicket,
  needsSecondFactor,
  readSecondFactorTicket,
} from "../../domain/two-factor.ts";
import type { WebContext, WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { clientIp, readForm, safeReturnTo, viewOf } from "../helpers.ts";
import { secondFactorPage, signInPage } from "../pages/auth.ts";
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie, verifyCsrf } from "../security.ts";

export function authRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  // The sign-in page links to sign-up when anyone may ask for an account.
  const signUp = async () => signUpOpen(await registrationMode(deps.db, deps.config.registrations));

  const startSession = async (c: WebContext, accountId: string, ip: string, returnTo: string) => {
    // A new token on every sign-in: a session id planted before sign-in is never promoted.
    const old = getCookie(c, SESSION_COOKIE);
    if (old !== undefined) await destroySession(deps.db, old);
    await pruneSessions(deps.db);
    const session = await createSession(deps.db, accountId, {
      userAgent: c.req.header("user-agent") ?? "",
      ip,
    });
    setSessionCookie(c, session.token, session.expiresAt, deps.cookies);
    return c.redirect(returnTo, 303);
  };

  web.get("/auth/sign_in", page, async (c) => {
    if (c.get("session")) return c.redirect("/home", 303);
    const returnTo = c.req.query("return_to");
    return c.html(
      signInPage(viewOf(c, deps), {
        signUp: await signUp(),
        ...(returnTo ? { returnTo: safeReturnTo(returnTo, deps.config.origin) } : {}),
      }),
    );
  });

  web.post("/auth/sign_in", page, async (c) => {
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, deps.config.origin);
    const username = (form.username ?? "").trim().replace(/^@/, "");
    const password = form.password ?? "";
    const returnTo = safeReturnTo(form.return_to, deps.config.origin);
    const ip = clientIp(c, deps.config);
    const wait = deps.throttle.retryAfter(ip, username);
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      return c.html(
        signInPage(viewOf(c, deps), {
          username,
          returnTo,
          error: `Too many failed attempts. Try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? "s" : ""}.`,
        }),
        429,
      );
    }
    const result =
      username === "" || password === ""
        ? ({ kind: "wrong" } as const)
        : await checkSignIn(deps.db, username, password);
    if (result.kind !== "ok") {
      if (result.kind === "wrong") deps.throttle.recordFailure(ip, username);
      const error =
        result.kind === "wrong" ? "Wrong username or password." : SIGN_IN_REFUSED[result.kind];
      const owner =
        result.kind === "suspended" ? await suspendedOwner(deps.db, username, password) : null;
      return c.html(
        signInPage(viewOf(c, deps), {
          username,
          returnTo,
          error,
          signUp: await signUp(),
          ...(owner ? { suspended: { secondFactor: needsSecondFactor(owner.user) } } : {}),
        }),
        401,
      );
    }
    const signedIn = result.signedIn;
    if (needsSecondFactor(signedIn.user)) {
      // The password was right; the throttle's count for this address is cleared only by the code.
      const ticket = issueSecondFactorTicket(signedIn.user);
      return c.html(secondFactorPage(viewOf(c, deps), { ticket, returnTo }));
    }
    deps.throttle.recordSuccess(ip, username);
    return await startSession(c, signedIn.account.id, ip, returnTo);
  });

  web.post("/auth/sign_in/two_factor", page, async (c) => {
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, deps.config.origin);
    const returnTo = safeReturnTo(form.return_to, deps.config.origin);
    const ticket = form.ticket ?? "";
    const who = await readSecondFactorTicket(deps.db, ticket);
    if (who === null) {
      return c.html(
        signInPage(viewOf(c, deps), {
          returnTo,
          error: "Your sign-in expired. Enter your password again.",
          signUp: await signUp(),
        }),
        403,
      );
    }
    const ip = clientIp(c, deps.config);
    // Codes are guessed like passwords, so they are counted with them, per account and address.
    const wait = deps.throttle.retryAfter(ip, who.username);
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      return c.html(
        secondFactorPage(viewOf(c, deps), {
          ticket,
          returnTo,
          error: "Too many wrong codes. Try again later.",
        }),
        429,
      );
    }
    if (!(await checkSecondFactor(deps.db, who.accountId, form.code ?? ""))) {
      deps.throttle.recordFailure(ip, who.username);
      return c.html(
        secondFactorPage(viewOf(c, deps), {
          ticket,
          returnTo,
          error: "That code is not right (or was used already).",
        }),
        401,
      );
    }
    deps.throttle.recordSuccess(ip, who.username);
    return await startSession(c, who.accountId, ip, returnTo);
  });

  web.post("/auth/sign_out", page, async (c) => {
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, deps.config.origin);
    const token = getCookie(c, SESSION_COOKIE);
    if (token !== undefined) await destroySession(deps.db, token);
    clearSessionCookie(c, deps.cookies);
    return c.redirect("/", 303);
  });
}
