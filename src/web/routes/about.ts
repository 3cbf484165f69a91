// The about page anyone may open: the instance's rules and whether (and how) it takes new members.
import type { Hono, MiddlewareHandler } from "hono";
import { html } from "hono/html";
import { crawlerPolicy } from "../../domain/data-mining.ts";
import { listInstanceRules } from "../../domain/instance-rules.ts";
import { registrationMode, signUpOpen } from "../../domain/registrations.ts";
import type { WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { declareMining, viewOf } from "../helpers.ts";
import { aboutPage } from "../pages/about.ts";

export function aboutRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  web.get("/about", page, async (c) => {
    const mode = await registrationMode(deps.db, deps.config.registrations);
    const view = declareMining(
      c,
      viewOf(c, deps),
      (await crawlerPolicy(deps.db)).instancePagesReserved,
    );
    const joining = html`<p>${view.t(`signUp.modes.${mode}`)}${
      signUpOpen(mode) ? html` <a href="/auth/sign_up">${view.t("signUp.title")}</a>.` : ""
    }</p>`;
    return c.html(aboutPage(view, await listInstanceRules(deps.db), joining));
  });
}
