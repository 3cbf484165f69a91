// Administration: AI crawlers and text and data mining. The user agents robots.txt disallows (the
// default list until edited, with a way back to it) and whether the instance's own pages reserve
// mining; users' pages and files follow each user's consent, which no administrator overrides.
import { html } from "hono/html";
import type { CrawlerPolicy } from "../../domain/data-mining.ts";
import type { View } from "../components/layout.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";
import { type AdminNotice, adminLayout } from "./admin.ts";

export function crawlersPage(
  v: View,
  policy: CrawlerPolicy,
  openReports: number,
  notice?: AdminNotice,
): Html {
  return adminLayout(
    v,
    "crawlers",
    v.t("z_admin.tabs.crawlers"),
    html`<h2>${v.t("z_admin.crawlers.heading")}</h2>
  <p class="muted">${v.t(policy.aiCrawlersEdited ? "z_admin.crawlers.own" : "z_admin.crawlers.default")} ${rich(v.t, "z_admin.crawlers.intro", { robots: html`<a href="/robots.txt">robots.txt</a>` })}</p>
  <form method="post" action="/admin/crawlers" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="crawlers">${v.t("z_admin.crawlers.agents")}</label>
    <textarea id="crawlers" name="crawlers" rows="12" spellcheck="false">${policy.aiCrawlers.join("\n")}</textarea>
    <button type="submit" class="button button-primary">${v.t("z_admin.crawlers.save")}</button>
  </form>
  <form method="post" action="/admin/crawlers/reset" class="inline" data-confirm="${v.t("z_admin.crawlers.confirmReset")}">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <button type="submit" class="button"${policy.aiCrawlersEdited ? "" : " disabled"}>${v.t("z_admin.crawlers.reset")}</button>
  </form>
  <h2>${v.t("z_admin.crawlers.tdmHeading")}</h2>
  <p class="muted">${rich(v.t, "z_admin.crawlers.tdmIntro", { header: html`<code>tdm-reservation: 1</code>`, meta: html`<code>noai, noimageai</code>` })}</p>
  <form method="post" action="/admin/crawlers/tdm" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <div class="check">
      <input type="checkbox" id="instance-pages" name="reserved" value="1"${policy.instancePagesReserved ? " checked" : ""}>
      <label for="instance-pages">${v.t("z_admin.crawlers.reserve")}</label>
    </div>
    <button type="submit" class="button">${v.t("common.save")}</button>
  </form>
  <p class="muted">${rich(v.t, "z_admin.crawlers.read", { robots: html`<a href="/robots.txt">robots.txt</a>`, tdm: html`<a href="/.well-known/tdmrep.json">tdmrep.json</a>` })}</p>`,
    { openReports, ...(notice ? { notice } : {}) },
  );
}
