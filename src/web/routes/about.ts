// The about page anyone may open: the instance's rules and whether (and how) it takes new members.
import type { Hono, MiddlewareHandler } from "hono";
import { html } from "hono/html";
import { listInstanceRules } from "../../domain/instance-rules.ts";
import type { WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { viewOf } from "../helpers.ts";
import { aboutPage } from "../pages/about.ts";

export function aboutRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  web.get("/about", page, async (c) =>
    c.html(
      aboutPage(
        viewOf(c, deps),
        await listInstanceRules(deps.db),
        html`<p>Accounts on this server are created by its administrator.</p>`,
      ),
    ),
  );
}
