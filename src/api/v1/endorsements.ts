// The accounts a user features on their profile: GET /api/v1/endorsements (the signed-in user's own)
// and GET /api/v1/accounts/:id/endorsements (anyone's, Mastodon 4.4), paged by endorsement with Link
// headers. Endorsing is in account-actions.ts.
import { Hono } from "hono";
import { endorsedBy, findAccountById } from "../../db/queries/accounts.ts";
import { notFound } from "../../errors.ts";
import { optionalScope, requireScope, viewerId } from "../middleware.ts";
import { readPage, setLinkHeader } from "../pagination.ts";
import { renderAccounts } from "../render.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

export function endorsementsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/endorsements", requireScope("read:accounts"), async (c) => {
    const page = readPage(c, 40, 80);
    const result = await endorsedBy(deps.db, viewerId(c), page);
    setLinkHeader(c, deps.config.origin, result.keys, page.limit);
    return c.json(await renderAccounts(deps, result.accounts));
  });

  app.get("/accounts/:id/endorsements", optionalScope("read:accounts"), async (c) => {
    // findAccountById leaves suspended accounts out: theirs is a 404.
    const account = await findAccountById(deps.db, c.req.param("id"));
    if (account === undefined) throw notFound();
    const page = readPage(c, 40, 80);
    const result = await endorsedBy(deps.db, account.id, page);
    setLinkHeader(c, deps.config.origin, result.keys, page.limit);
    return c.json(await renderAccounts(deps, result.accounts));
  });

  return app;
}
