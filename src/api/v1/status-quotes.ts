// /api/v1/statuses/:id/quotes (Mastodon 4.5): the accepted quotes of a status, paged, and the quoted
// author's revocation of one. The rules (who may see, who may revoke) are domain/quotes.ts's.
import { Hono } from "hono";
import { quotesOf } from "../../db/queries/quotes.ts";
import { findVisibleStatus } from "../../db/queries/statuses.ts";
import { revokeQuote } from "../../domain/quotes.ts";
import { notFound } from "../../errors.ts";
import { maybeViewerId, optionalScope, requireScope, viewerId } from "../middleware.ts";
import { readPage, setLinkHeader } from "../pagination.ts";
import { renderStatuses } from "../render.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

export function statusQuotesRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/:id/quotes", optionalScope("read:statuses"), async (c) => {
    const viewer = maybeViewerId(c);
    const status = await findVisibleStatus(deps.db, viewer, c.req.param("id"));
    if (status === undefined) throw notFound();
    const page = readPage(c, 20, 40);
    const rows = await quotesOf(deps.db, status.id, viewer, page);
    setLinkHeader(
      c,
      deps.config.origin,
      rows.map((s) => s.id),
      page.limit,
    );
    return c.json(await renderStatuses(deps, rows, viewer));
  });

  app.post("/:id/quotes/:quoting/revoke", requireScope("write:statuses"), async (c) => {
    const viewer = viewerId(c);
    const row = await revokeQuote(deps.db, viewer, c.req.param("id"), c.req.param("quoting"));
    // Answered with the quoting status, as Mastodon; its quote now says "revoked".
    const rendered = (await renderStatuses(deps, [row], viewer))[0];
    if (rendered === undefined) throw notFound();
    return c.json(rendered);
  });

  return app;
}
