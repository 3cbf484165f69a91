// /api/v1/domain_blocks: the signed-in user's own blocked domains (Mastodon's account domain blocks).
// The list is an array of domain strings, newest block first, paged by the entries' ids in Link headers;
// creating and removing answer `{}`. What a block does (follows ended both ways, that domain's statuses
// and notifications hidden) is domain/account-domain-blocks.ts's and the visibility rule's.
import { Hono } from "hono";
import { domainBlocksOf } from "../../db/queries/account-domain-blocks.ts";
import { findAccountById } from "../../db/queries/accounts.ts";
import {
  blockDomainForAccount,
  unblockDomainForAccount,
} from "../../domain/account-domain-blocks.ts";
import { notFound } from "../../errors.ts";
import { readParams } from "../http.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { readPage, setLinkHeader } from "../pagination.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

// Mastodon's scopes: read:blocks / write:blocks (granted by `read` / `write` and the legacy `follow`).
const READ = "read:blocks";
const WRITE = "write:blocks";

export function domainBlocksRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const me = async (id: string) => {
    const account = await findAccountById(deps.db, id);
    if (account === undefined) throw notFound();
    return account;
  };
  const domainParam = async (c: Parameters<typeof readParams>[0]) => {
    const value = (await readParams(c)).domain;
    return typeof value === "string" ? value : undefined;
  };

  app.get("/", requireScope(READ), async (c) => {
    // Mastodon's page: 100 by default, at most twice that.
    const page = readPage(c, 100, 200);
    const rows = await domainBlocksOf(deps.db, viewerId(c), page);
    setLinkHeader(
      c,
      deps.config.origin,
      rows.map((r) => r.id),
      page.limit,
    );
    return c.json(rows.map((r) => r.domain));
  });

  app.post("/", requireScope(WRITE), async (c) => {
    await blockDomainForAccount(
      deps.db,
      await me(viewerId(c)),
      await domainParam(c),
      deps.config.domain,
    );
    return c.json({});
  });

  app.delete("/", requireScope(WRITE), async (c) => {
    await unblockDomainForAccount(
      deps.db,
      await me(viewerId(c)),
      await domainParam(c),
      deps.config.domain,
    );
    return c.json({});
  });

  return app;
}
