// Administration of AI crawlers and text and data mining: the robots.txt list (edit, reset) and the
// instance pages' reservation, stored by domain/data-mining.ts. CSRF-checked POSTs that redirect back
// with a notice.
import type { Hono, MiddlewareHandler } from "hono";
import {
  crawlerPolicy,
  resetAiCrawlers,
  setAiCrawlers,
  setInstancePagesReserved,
} from "../../domain/data-mining.ts";
import { countOpenReports } from "../../domain/reports.ts";
import type { MessageKey } from "../../i18n/index.ts";
import { translatorOf, type WebContext, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, signedIn, viewOf } from "../helpers.ts";
import { doneNotice } from "../notices.ts";
import { crawlersPage } from "../pages/admin-crawlers.ts";
import { verifyCsrf } from "../security.ts";
import { requireAdmin } from "./admin.ts";

const notices = {
  saved: "z_admin.done.crawlers.saved",
  reset: "z_admin.done.crawlers.reset",
  tdm: "z_admin.done.crawlers.tdm",
} as const satisfies Record<string, MessageKey>;

export function adminCrawlerRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config } = deps;
  const adminForm = async (c: WebContext) => {
    requireAdmin(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    return form;
  };

  web.get("/admin/crawlers", page, signedIn, async (c) => {
    requireAdmin(c);
    return c.html(
      crawlersPage(
        viewOf(c, deps),
        await crawlerPolicy(db),
        await countOpenReports(db),
        doneNotice(translatorOf(c), notices, c.req.query("done")),
      ),
    );
  });

  web.post("/admin/crawlers", page, signedIn, async (c) => {
    const form = await adminForm(c);
    await setAiCrawlers(db, form.crawlers ?? "");
    return c.redirect("/admin/crawlers?done=saved", 303);
  });

  web.post("/admin/crawlers/reset", page, signedIn, async (c) => {
    await adminForm(c);
    await resetAiCrawlers(db);
    return c.redirect("/admin/crawlers?done=reset", 303);
  });

  web.post("/admin/crawlers/tdm", page, signedIn, async (c) => {
    const form = await adminForm(c);
    await setInstancePagesReserved(db, form.reserved === "1");
    return c.redirect("/admin/crawlers?done=tdm", 303);
  });
}
