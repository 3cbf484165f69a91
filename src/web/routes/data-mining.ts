// What crawlers and text-and-data-mining agents read before a page: robots.txt (the AI crawlers turned
// away) and /.well-known/tdmrep.json (W3C TDMRep: which places reserve mining), both from
// domain/data-mining.ts. Pages and media declare their own reservation as they are served.
import type { Hono } from "hono";
import { crawlerPolicy, robotsTxt, tdmRules } from "../../domain/data-mining.ts";
import type { WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";

// Short: an administrator's edit, or a user's change of consent, should reach crawlers soon.
const CACHE_CONTROL = "public, max-age=300";

export function dataMiningRoutes(web: Hono<WebEnv>, deps: WebRouterDeps): void {
  const { db } = deps;

  web.get("/robots.txt", async (c) =>
    c.body(robotsTxt(await crawlerPolicy(db)), 200, {
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": CACHE_CONTROL,
    }),
  );

  web.get("/.well-known/tdmrep.json", async (c) =>
    c.json(await tdmRules(db, await crawlerPolicy(db)), 200, {
      "Cache-Control": CACHE_CONTROL,
      "Access-Control-Allow-Origin": "*",
    }),
  );
}
