// Mastodon's admin API (/api/v1/admin, /api/v2/admin): moderators' tools and apps (Mastodon.py's admin
// calls, admin dashboards) act through the same domain functions as the CLI and the admin pages. A token
// needs an admin:read / admin:write scope (or a granular one) and its user must be an administrator.
import { Hono } from "hono";
import type { ApiDeps, ApiEnv } from "../../types.ts";
import { adminAccountsRouter, adminAccountsV2Router } from "./accounts.ts";
import { adminDomainAllowsRouter } from "./domain-allows.ts";
import { adminDomainBlocksRouter } from "./domain-blocks.ts";
import { adminEmailDomainBlocksRouter } from "./email-domain-blocks.ts";
import { adminReportsRouter } from "./reports.ts";

export function adminRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.route("/accounts", adminAccountsRouter(deps));
  app.route("/reports", adminReportsRouter(deps));
  app.route("/domain_allows", adminDomainAllowsRouter(deps));
  app.route("/domain_blocks", adminDomainBlocksRouter(deps));
  app.route("/email_domain_blocks", adminEmailDomainBlocksRouter(deps));
  return app;
}

export function adminV2Router(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.route("/accounts", adminAccountsV2Router(deps));
  return app;
}
