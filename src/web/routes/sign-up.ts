// Signing up on the web and confirming the e-mail address. The rules (mode, fields, reserved names,
// the confirmation e-mail) are domain/sign-up.ts's, the same that POST /api/v1/accounts asks.
import type { Hono, MiddlewareHandler } from "hono";
import { listInstanceRules } from "../../domain/instance-rules.ts";
import { registrationMode, signUpOpen } from "../../domain/registrations.ts";
import { confirmEmail, SignUpInvalid, signUp } from "../../domain/sign-up.ts";
import { forbidden } from "../../errors.ts";
import type { WebContext, WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, viewOf } from "../helpers.ts";
import { confirmedPage, signedUpPage, signUpPage } from "../pages/sign-up.ts";
import { verifyCsrf } from "../security.ts";

export function signUpRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const openMode = async () => {
    const mode = await registrationMode(deps.db, deps.config.registrations);
    if (!signUpOpen(mode)) throw forbidden("This server is not taking new accounts.");
    return mode;
  };

  web.get("/auth/sign_up", page, async (c) => {
    if (c.get("session")) return c.redirect("/home", 303);
    const mode = await openMode();
    return c.html(signUpPage(viewOf(c, deps), { mode, rules: await listInstanceRules(deps.db) }));
  });

  web.post("/auth/sign_up", page, async (c: WebContext) => {
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, deps.config.origin);
    const mode = await openMode();
    const input = {
      username: (form.username ?? "").trim().replace(/^@/, ""),
      email: (form.email ?? "").trim(),
      password: form.password ?? "",
      agreement: form.agreement === "1",
      reason: form.reason ?? "",
    };
    try {
      await signUp(deps, input);
    } catch (error) {
      if (!(error instanceof SignUpInvalid)) throw error;
      return c.html(
        signUpPage(viewOf(c, deps), {
          mode,
          rules: await listInstanceRules(deps.db),
          form: input,
          errors: error.fields,
        }),
        422,
      );
    }
    return c.html(signedUpPage(viewOf(c, deps), input.email, mode === "approval"));
  });

  web.get("/auth/confirmation", page, async (c) => {
    const username = await confirmEmail(deps.db, c.req.query("token") ?? "");
    return c.html(confirmedPage(viewOf(c, deps), username), username ? 200 : 404);
  });
}
