// Signing up on the web and confirming the e-mail address. The rules (mode, fields, reserved names,
// the confirmation e-mail) are domain/sign-up.ts's, the same that POST /api/v1/accounts asks.
import type { Hono, MiddlewareHandler } from "hono";
import { listInstanceRules } from "../../domain/instance-rules.ts";
import { findUsableInvite } from "../../domain/invites.ts";
import { registrationMode, signUpAllowed } from "../../domain/registrations.ts";
import { confirmEmail, resendConfirmation, SignUpInvalid, signUp } from "../../domain/sign-up.ts";
import { SignUpThrottled } from "../../domain/sign-up-throttle.ts";
import { forbidden } from "../../errors.ts";
import type { WebContext, WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { clientIp, readForm, viewOf } from "../helpers.ts";
import { confirmedPage, resendPage, signedUpPage, signUpPage } from "../pages/sign-up.ts";
import { verifyCsrf } from "../security.ts";

export function signUpRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  /** The mode, when this visitor (with an invite code, maybe) may sign up; else 403. */
  const openMode = async (inviteCode: string) => {
    const mode = await registrationMode(deps.db, deps.config.registrations);
    const invited = (await findUsableInvite(deps.db, inviteCode)) !== undefined;
    if (!signUpAllowed(mode, invited)) {
      throw forbidden(
        inviteCode === ""
          ? "This server is not taking new accounts."
          : "This invite link is used up, expired or wrong.",
      );
    }
    return { mode, invited };
  };

  // The link an invite gives: the sign-up form, carrying the code.
  web.get("/invite/:code{[A-Za-z0-9_-]{1,64}}", (c) =>
    c.redirect(`/auth/sign_up?invite=${encodeURIComponent(c.req.param("code"))}`, 303),
  );

  web.get("/auth/sign_up", page, async (c) => {
    if (c.get("session")) return c.redirect("/home", 303);
    const invite = c.req.query("invite") ?? "";
    const { mode, invited } = await openMode(invite);
    return c.html(
      signUpPage(viewOf(c, deps), {
        mode,
        rules: await listInstanceRules(deps.db),
        ...(invited ? { invite } : {}),
      }),
    );
  });

  web.post("/auth/sign_up", page, async (c: WebContext) => {
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, deps.config.origin);
    const invite = form.invite ?? "";
    const { mode, invited } = await openMode(invite);
    const input = {
      username: (form.username ?? "").trim().replace(/^@/, ""),
      email: (form.email ?? "").trim(),
      password: form.password ?? "",
      agreement: form.agreement === "1",
      reason: form.reason ?? "",
      inviteCode: invite,
      locale: form.locale ?? "en",
      aiDataConsent: form.ai_data_consent === "1",
    };
    try {
      await signUp(deps, { ...input, address: clientIp(c, deps.config) });
    } catch (error) {
      if (error instanceof SignUpThrottled) {
        c.header("Retry-After", String(error.retryAfter));
        return c.html(
          signUpPage(viewOf(c, deps), {
            mode,
            rules: await listInstanceRules(deps.db),
            form: input,
            notice: `Too many sign-ups from your address. Try again in ${Math.ceil(error.retryAfter / 60)} minute${error.retryAfter > 60 ? "s" : ""}.`,
            ...(invited ? { invite } : {}),
          }),
          429,
        );
      }
      if (!(error instanceof SignUpInvalid)) throw error;
      return c.html(
        signUpPage(viewOf(c, deps), {
          mode,
          rules: await listInstanceRules(deps.db),
          form: input,
          errors: error.fields,
          ...(invited ? { invite } : {}),
        }),
        422,
      );
    }
    return c.html(signedUpPage(viewOf(c, deps), input.email, mode === "approval" && !invited));
  });

  // Another confirmation link, for whoever lost the first one (asked from the sign-in page).
  web.get("/auth/confirmation/new", page, (c) => c.html(resendPage(viewOf(c, deps), false)));
  web.post("/auth/confirmation/new", page, async (c) => {
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, deps.config.origin);
    await resendConfirmation(deps, form.email ?? "");
    return c.html(resendPage(viewOf(c, deps), true));
  });

  web.get("/auth/confirmation", page, async (c) => {
    const username = await confirmEmail(deps.db, c.req.query("token") ?? "");
    return c.html(confirmedPage(viewOf(c, deps), username), username ? 200 : 404);
  });
}
