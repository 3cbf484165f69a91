// POST /api/v1/accounts: an app signs a person up, as Mastodon documents it. The app's own token
// (client credentials, write:accounts) asks; the answer is a Token for the new account with the app's
// scopes, which acts only once the e-mail address is confirmed (and, in approval mode, the sign-up
// approved): the middleware answers 403 until then, as Mastodon does. Every rule is domain/sign-up.ts's.
import { Hono } from "hono";
import { z } from "zod";
import { issueAccessToken } from "../../domain/oauth.ts";
import { signUp } from "../../domain/sign-up.ts";
import { SignUpThrottled } from "../../domain/sign-up-throttle.ts";
import { AppError } from "../../errors.ts";
import { clientAddress } from "../client-address.ts";
import { booleanParam, parseParams } from "../http.ts";
import { requireScope } from "../middleware.ts";
import { tokenResponse } from "../oauth/token.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

// Missing fields are the domain's to name (ERR_BLANK per field), so everything is optional here.
const text = z.preprocess((v) => (v === undefined || v === null ? "" : String(v)), z.string());
const params = z.object({
  username: text,
  email: text,
  password: text,
  agreement: z.preprocess(booleanParam, z.boolean().optional()),
  locale: text,
  reason: text,
  // Mastodon 4.2's parameter for an invite link's code.
  invite_code: text,
});

export function registrationsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.post("/", requireScope(["write:accounts"], { allowAppToken: true }), async (c) => {
    const auth = c.get("auth")!;
    // Mastodon: the app signs up on its own behalf, never with a user's token.
    if (auth.accountId !== null) {
      throw new AppError("forbidden", "This method requires an app token, not a user's");
    }
    const p = await parseParams(c, params);
    const { account } = await signUp(deps, {
      username: p.username,
      email: p.email,
      password: p.password,
      agreement: p.agreement === true,
      ...(p.locale !== "" ? { locale: p.locale } : {}),
      reason: p.reason,
      inviteCode: p.invite_code,
      address: clientAddress(c, deps.config.trustedProxies),
    }).catch((error: unknown) => {
      if (error instanceof SignUpThrottled) c.header("Retry-After", String(error.retryAfter));
      throw error;
    });
    const issued = await issueAccessToken(deps.db, {
      applicationId: auth.application?.id ?? null,
      accountId: account.id,
      scopes: auth.scopes,
    });
    c.header("Cache-Control", "no-store");
    return c.json(tokenResponse(issued));
  });
  return app;
}
