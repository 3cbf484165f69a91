// GET/POST /oauth/authorize: the sign-in (password, then a two-factor code when the user turned it on)
// and consent steps of the authorization-code flow. CSRF is a
// double-submit token (cookie + hidden field); between the two steps the signed-in account travels in a
// short-lived ticket signed with a per-process HMAC key, so no server-side session is needed.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { type Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import {
  type AuthorizationRequest,
  issueAuthorizationCode,
  OOB_REDIRECT_URI,
  validateAuthorizationRequest,
} from "../../domain/oauth.ts";
import { checkSignIn, recordSignIn, SIGN_IN_REFUSED } from "../../domain/sessions.ts";
import {
  checkSecondFactor,
  issueSecondFactorTicket,
  needsSecondFactor,
  readSecondFactorTicket,
} from "../../domain/two-factor.ts";
import { AppError } from "../../errors.ts";
import { clientAddress } from "../client-address.ts";
import { formFields } from "../http.ts";
import type { ApiDeps } from "../types.ts";
import { codePage, consentPage, messagePage, secondFactorPage, signInPage } from "./pages.ts";

const CSRF_COOKIE = "atelier_oauth_csrf";
const TICKET_TTL_MS = 10 * 60 * 1000;
const REQUEST_FIELDS = [
  "response_type",
  "client_id",
  "redirect_uri",
  "scope",
  "state",
  "code_challenge",
  "code_challenge_method",
] as const;

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function html(c: Context, body: string, status = 200) {
  c.header("Cache-Control", "no-store");
  // The pages must not be framed (clickjacking the Authorize button).
  c.header("X-Frame-Options", "DENY");
  c.header(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  );
  return c.html(body, status as 200);
}

export function authorizeRouter(deps: ApiDeps): Hono {
  const app = new Hono();
  const ticketKey = randomBytes(32);
  // Failed sign-ins per (account, address), per address and per account, counted together with the web
  // sign-in's (domain/sign-in-throttle.ts): a guesser is stopped without locking the owner out.
  const throttle = deps.signInThrottle;
  const sign = (payload: string) =>
    createHmac("sha256", ticketKey).update(payload).digest("base64url");

  const csrfToken = (c: Context): string => {
    let token = getCookie(c, CSRF_COOKIE);
    if (token === undefined || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
      token = randomBytes(32).toString("base64url");
      setCookie(c, CSRF_COOKIE, token, {
        httpOnly: true,
        sameSite: "Lax",
        path: "/oauth",
        secure: deps.config.origin.startsWith("https:"),
      });
    }
    return token;
  };

  const requestFields = (params: Record<string, string | undefined>) => {
    const out: Record<string, string> = {};
    for (const k of REQUEST_FIELDS) if (params[k] !== undefined) out[k] = params[k];
    return out;
  };

  const validate = async (c: Context, params: Record<string, string | undefined>) => {
    try {
      return await validateAuthorizationRequest(deps.db, params);
    } catch (error) {
      if (error instanceof AppError) {
        return html(c, messagePage("Authorization failed", error.message), 400);
      }
      throw error;
    }
  };

  app.get("/", async (c) => {
    const params = c.req.query();
    const request = await validate(c, params);
    if (request instanceof Response) return request;
    return html(
      c,
      signInPage({
        instanceName: deps.config.instanceName,
        appName: request.application.name,
        fields: { ...requestFields(params), csrf_token: csrfToken(c) },
      }),
    );
  });

  app.post("/", async (c) => {
    const params: Record<string, string | undefined> = formFields(
      Object.entries(await c.req.parseBody()),
    );
    const cookie = getCookie(c, CSRF_COOKIE);
    if (cookie === undefined || !sameString(cookie, params.csrf_token ?? "")) {
      return html(
        c,
        messagePage(
          "Authorization failed",
          "The form expired or was not sent from this site. Go back and try again.",
        ),
        403,
      );
    }
    const request = await validate(c, params);
    if (request instanceof Response) return request;
    const fields = { ...requestFields(params), csrf_token: cookie };

    if (params.step === "sign_in") {
      const username = (params.username ?? "").trim();
      const ip = clientAddress(c, deps.config.trustedProxies);
      // Only failures count (recorded below); asking here does not.
      const wait = throttle.retryAfter(ip, username);
      if (wait > 0) {
        c.header("Retry-After", String(wait));
        return html(
          c,
          messagePage(
            "Too many attempts",
            "Too many failed sign-ins. Wait a few minutes and try again.",
          ),
          429,
        );
      }
      // The web sign-in's check: an unknown username costs one password verification like a known
      // one (against a dummy hash), so the answer's timing does not tell which usernames exist.
      const result = username
        ? await checkSignIn(deps.db, username, params.password ?? "")
        : ({ kind: "wrong" } as const);
      if (result.kind !== "ok") {
        if (result.kind === "wrong") throttle.recordFailure(ip, username);
        return html(
          c,
          signInPage({
            instanceName: deps.config.instanceName,
            appName: request.application.name,
            fields,
            username,
            error:
              result.kind === "wrong"
                ? "Invalid username or password."
                : SIGN_IN_REFUSED[result.kind],
          }),
          401,
        );
      }
      const { account, user } = result.signedIn;
      if (needsSecondFactor(user)) {
        // The password was right; the code is asked next, with the same throttle.
        return html(
          c,
          secondFactorPage({
            instanceName: deps.config.instanceName,
            appName: request.application.name,
            fields: { ...fields, second_factor_ticket: issueSecondFactorTicket(user) },
          }),
        );
      }
      throttle.recordSuccess(ip, username);
      return await consent(c, request, fields, account.id, account.username);
    }

    if (params.step === "second_factor") {
      const ticket = params.second_factor_ticket ?? "";
      const who = await readSecondFactorTicket(deps.db, ticket);
      if (who === null) {
        return html(
          c,
          messagePage("Authorization failed", "Your sign-in expired. Start again."),
          403,
        );
      }
      const ip = clientAddress(c, deps.config.trustedProxies);
      const wait = throttle.retryAfter(ip, who.username);
      if (wait > 0) {
        c.header("Retry-After", String(wait));
        return html(
          c,
          messagePage(
            "Too many attempts",
            "Too many wrong codes. Wait a few minutes and try again.",
          ),
          429,
        );
      }
      if (!(await checkSecondFactor(deps.db, who.accountId, params.code ?? ""))) {
        throttle.recordFailure(ip, who.username);
        return html(
          c,
          secondFactorPage({
            instanceName: deps.config.instanceName,
            appName: request.application.name,
            fields: { ...fields, second_factor_ticket: ticket },
            error: "That code is not right (or was used already).",
          }),
          401,
        );
      }
      throttle.recordSuccess(ip, who.username);
      return await consent(c, request, fields, who.accountId, who.username);
    }

    if (params.step === "decide") {
      const accountId = readTicket(params.ticket ?? "", cookie, request);
      if (accountId === null) {
        return html(
          c,
          messagePage("Authorization failed", "Your sign-in expired. Start again."),
          403,
        );
      }
      if (params.decision !== "authorize") return redirectWithError(c, request);
      const code = await issueAuthorizationCode(deps.db, request, accountId);
      if (request.redirectUri === OOB_REDIRECT_URI) return html(c, codePage(code));
      const target = new URL(request.redirectUri);
      target.searchParams.set("code", code);
      if (request.state !== null) target.searchParams.set("state", request.state);
      c.header("Cache-Control", "no-store");
      return c.redirect(target.href, 302);
    }
    return html(c, messagePage("Authorization failed", "Unknown step."), 400);
  });

  /** A completed sign-in: it is recorded, and the consent page carries the signed-in account. */
  async function consent(
    c: Context,
    request: AuthorizationRequest,
    fields: Record<string, string>,
    accountId: string,
    username: string,
  ) {
    await recordSignIn(deps.db, accountId);
    const payload = Buffer.from(
      JSON.stringify({
        a: accountId,
        c: request.application.clientId,
        x: Date.now() + TICKET_TTL_MS,
      }),
    ).toString("base64url");
    return html(
      c,
      consentPage({
        instanceName: deps.config.instanceName,
        appName: request.application.name,
        website: request.application.website,
        username,
        scopes: request.scopes,
        fields: { ...fields, ticket: `${payload}.${sign(`${payload}.${fields.csrf_token}`)}` },
      }),
    );
  }

  function readTicket(ticket: string, csrf: string, request: AuthorizationRequest): string | null {
    const [payload, mac] = ticket.split(".");
    if (!payload || !mac || !sameString(mac, sign(`${payload}.${csrf}`))) return null;
    try {
      const data = JSON.parse(Buffer.from(payload, "base64url").toString()) as {
        a: string;
        c: string;
        x: number;
      };
      if (data.c !== request.application.clientId || data.x < Date.now()) return null;
      return data.a;
    } catch {
      return null;
    }
  }

  function redirectWithError(c: Context, request: AuthorizationRequest) {
    if (request.redirectUri === OOB_REDIRECT_URI) {
      return html(c, messagePage("Authorization denied", "You denied the application access."));
    }
    const target = new URL(request.redirectUri);
    target.searchParams.set("error", "access_denied");
    target.searchParams.set("error_description", "The resource owner denied the request.");
    if (request.state !== null) target.searchParams.set("state", request.state);
    return c.redirect(target.href, 302);
  }

  return app;
}
