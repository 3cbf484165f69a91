// Administration of the instance rules: the page, add and remove, each a CSRF-checked POST that
// redirects back with a notice (a refused form is shown again with the reason).
import type { Hono, MiddlewareHandler } from "hono";
import {
  addInstanceRule,
  listInstanceRules,
  removeInstanceRule,
} from "../../domain/instance-rules.ts";
import { countOpenReports } from "../../domain/reports.ts";
import { AppError, notFound } from "../../errors.ts";
import type { MessageKey } from "../../i18n/index.ts";
import { translatorOf, type WebContext, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, signedIn, viewOf } from "../helpers.ts";
import { doneNotice } from "../notices.ts";
import { rulesPage } from "../pages/admin-rules.ts";
import { verifyCsrf } from "../security.ts";
import { requireAdmin } from "./admin.ts";

const notices = {
  added: "z_admin.done.rules.added",
  removed: "z_admin.done.rules.removed",
} as const satisfies Record<string, MessageKey>;

export function adminRuleRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config } = deps;
  const render = async (c: WebContext, notice?: { kind: "ok" | "error"; text: string }) =>
    rulesPage(viewOf(c, deps), await listInstanceRules(db), await countOpenReports(db), notice);
  const adminForm = async (c: WebContext) => {
    requireAdmin(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    return form;
  };

  web.get("/admin/rules", page, signedIn, async (c) => {
    requireAdmin(c);
    return c.html(await render(c, doneNotice(translatorOf(c), notices, c.req.query("done"))));
  });

  web.post("/admin/rules", page, signedIn, async (c) => {
    const form = await adminForm(c);
    try {
      await addInstanceRule(db, { text: form.text ?? "", hint: form.hint ?? "" });
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      return c.html(await render(c, { kind: "error", text: error.message }), 400);
    }
    return c.redirect("/admin/rules?done=added", 303);
  });

  web.post("/admin/rules/:id{[0-9]+}/delete", page, signedIn, async (c) => {
    await adminForm(c);
    if (!(await removeInstanceRule(db, c.req.param("id"))))
      throw notFound(translatorOf(c)("z_admin.errors.noRule"));
    return c.redirect("/admin/rules?done=removed", 303);
  });
}
