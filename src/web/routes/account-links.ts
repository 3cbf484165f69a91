// The pages of e-mailed account links: "forgot password" and the reset link (domain/password-reset.ts),
// and the link that confirms a new e-mail address (domain/email-change.ts; asked for in settings, see
// account-security.ts). The rules live in the domain; these handlers parse, call and render.
import type { Hono, MiddlewareHandler } from "hono";
import { confirmEmailChange } from "../../domain/email-change.ts";
import {
  passwordResetTokenValid,
  requestPasswordReset,
  resetPassword,
} from "../../domain/password-reset.ts";
import { AppError } from "../../errors.ts";
import type { WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, viewOf } from "../helpers.ts";
import {
  emailChangedPage,
  forgotPasswordPage,
  passwordResetDonePage,
  resetPasswordPage,
} from "../pages/account-links.ts";
import { verifyCsrf } from "../security.ts";

export function accountLinkRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  web.get("/auth/password/new", page, (c) => c.html(forgotPasswordPage(viewOf(c, deps), false)));
  web.post("/auth/password/new", page, async (c) => {
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, deps.config.origin);
    await requestPasswordReset(deps, form.email ?? "");
    return c.html(forgotPasswordPage(viewOf(c, deps), true));
  });

  web.get("/auth/password/edit", page, async (c) => {
    const token = c.req.query("token") ?? "";
    const valid = await passwordResetTokenValid(deps.db, token);
    return c.html(resetPasswordPage(viewOf(c, deps), { token, valid }), valid ? 200 : 404);
  });
  web.post("/auth/password/edit", page, async (c) => {
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, deps.config.origin);
    const token = form.token ?? "";
    const password = form.password ?? "";
    const again = (error: string) =>
      c.html(resetPasswordPage(viewOf(c, deps), { token, valid: true, error }), 400);
    if (password !== (form.password_confirmation ?? "")) {
      return again(viewOf(c, deps).t("z_recovery.passwordsDiffer"));
    }
    let done: boolean;
    try {
      done = await resetPassword(deps.db, token, password);
    } catch (error) {
      if (error instanceof AppError && error.status === 400) return again(error.message);
      throw error;
    }
    if (!done) return c.html(resetPasswordPage(viewOf(c, deps), { token, valid: false }), 404);
    return c.html(passwordResetDonePage(viewOf(c, deps)));
  });

  web.get("/auth/email_change", page, async (c) => {
    const username = await confirmEmailChange(deps.db, c.req.query("token") ?? "");
    return c.html(emailChangedPage(viewOf(c, deps), username), username ? 200 : 404);
  });
}
