// Administration: AI crawlers and text and data mining. The user agents robots.txt disallows (the
// default list until edited, with a way back to it) and whether the instance's own pages reserve
// mining; users' pages and files follow each user's consent, which no administrator overrides.
import { html } from "hono/html";
import type { CrawlerPolicy } from "../../domain/data-mining.ts";
import type { View } from "../components/layout.ts";
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
    "AI crawlers",
    html`<h2>AI crawlers in robots.txt</h2>
  <p class="muted">${
    policy.aiCrawlersEdited
      ? "This is your own list."
      : "This is Atelier's default list of crawlers that gather pages and images for AI models."
  } Each one is asked to stay off the whole site; every other crawler (search engines) may read it as before. Crawlers that ignore <a href="/robots.txt">robots.txt</a> are not stopped by it.</p>
  <form method="post" action="/admin/crawlers" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="crawlers">User agents, one a line</label>
    <textarea id="crawlers" name="crawlers" rows="12" spellcheck="false">${policy.aiCrawlers.join("\n")}</textarea>
    <button type="submit" class="button button-primary">Save the list</button>
  </form>
  <form method="post" action="/admin/crawlers/reset" class="inline" data-confirm="Go back to the default list? Your edits are lost.">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <button type="submit" class="button"${policy.aiCrawlersEdited ? "" : " disabled"}>Reset to the default list</button>
  </form>
  <h2>Text and data mining (TDMRep)</h2>
  <p class="muted">Profiles, posts and images of users who have not allowed their work in datasets always say <code>tdm-reservation: 1</code> (and <code>noai, noimageai</code>); those of users who allowed it say 0. This choice is for the pages that belong to no one user: explore, hashtags and the about page.</p>
  <form method="post" action="/admin/crawlers/tdm" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <div class="check">
      <input type="checkbox" id="instance-pages" name="reserved" value="1"${policy.instancePagesReserved ? " checked" : ""}>
      <label for="instance-pages">Reserve text and data mining on the instance's own pages</label>
    </div>
    <button type="submit" class="button">Save</button>
  </form>
  <p class="muted">What crawlers read: <a href="/robots.txt">robots.txt</a> and <a href="/.well-known/tdmrep.json">tdmrep.json</a>.</p>`,
    { openReports, ...(notice ? { notice } : {}) },
  );
}
