// Follow suggestions (db/queries/suggestions.ts): GET /api/v2/suggestions (Suggestion entities with
// their sources), GET /api/v1/suggestions (the accounts alone) and DELETE /api/v1/suggestions/:id
// (never suggest that account again).
import { Hono } from "hono";
import { findAccountById } from "../../db/queries/accounts.ts";
import { type SuggestionSource, suggestionsFor } from "../../db/queries/suggestions.ts";
import { dismissSuggestion } from "../../domain/suggestions.ts";
import { notFound } from "../../errors.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { renderAccounts } from "../render.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

/** Mastodon's older single `source`, which v2 still sends beside `sources`. */
const LEGACY_SOURCE: Record<SuggestionSource, "past_interactions" | "global"> = {
  friends_of_friends: "past_interactions",
  most_interactions: "global",
};

const limitOf = (raw: string | undefined) => {
  const n = Number.parseInt(raw ?? "", 10);
  return Number.isNaN(n) ? 40 : Math.min(Math.max(n, 1), 80);
};

export function suggestionsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/", requireScope("read:accounts"), async (c) => {
    const found = await suggestionsFor(deps.db, viewerId(c), limitOf(c.req.query("limit")));
    return c.json(
      await renderAccounts(
        deps,
        found.map((s) => s.account),
      ),
    );
  });

  app.delete("/:id", requireScope("write:accounts"), async (c) => {
    const target = await findAccountById(deps.db, c.req.param("id"));
    if (target === undefined) throw notFound();
    await dismissSuggestion(deps.db, viewerId(c), target.id);
    return c.json({});
  });

  return app;
}

export function suggestionsV2Router(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get("/", requireScope("read:accounts"), async (c) => {
    const found = await suggestionsFor(deps.db, viewerId(c), limitOf(c.req.query("limit")));
    const rendered = await renderAccounts(
      deps,
      found.map((s) => s.account),
    );
    return c.json(
      found.map((s, i) => ({
        source: LEGACY_SOURCE[s.sources[0]!],
        sources: s.sources,
        account: rendered[i],
      })),
    );
  });
  return app;
}
