// Pleroma's and Akkoma's emoji reaction API, which their clients (Akkoma-fe, Pleroma-fe, Phanpy) use:
// GET /api/v1/pleroma/statuses/:id/reactions[/:emoji] lists the reactions with their accounts; PUT and
// DELETE /api/v1/pleroma/statuses/:id/reactions/:emoji react and take it back, answering the Status.
// Which statuses may be seen and what may be reacted with are the domain's rules.
import { Hono } from "hono";
import { findAccountById } from "../../db/queries/accounts.ts";
import { listReactions } from "../../db/queries/reactions.ts";
import { findVisibleStatus } from "../../db/queries/statuses.ts";
import {
  pleromaReactionName,
  reactToStatus,
  resolveLocalReaction,
  storedReactionName,
  unreactToStatus,
} from "../../domain/emoji-reactions.ts";
import { findStatusById } from "../../domain/remote-statuses.ts";
import { notFound } from "../../errors.ts";
import { maybeViewerId, optionalScope, requireScope, viewerId } from "../middleware.ts";
import { renderAccounts, renderStatuses } from "../render.ts";
import type { ApiDeps, ApiEmojiReactionWithAccounts, ApiEnv } from "../types.ts";

export function pleromaReactionsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  const visible = async (viewer: string | null, id: string) => {
    let status = await findVisibleStatus(deps.db, viewer, id);
    // A boost's reactions are the boosted status's, as its favourites are.
    if (status?.reblogOfId != null)
      status = await findVisibleStatus(deps.db, viewer, status.reblogOfId);
    if (status === undefined) throw notFound();
    return status;
  };

  const list = async (viewer: string | null, id: string, emoji?: string) => {
    const status = await visible(viewer, id);
    // The emoji as stored: a bare shortcode (or Akkoma's shortcode@host) names a custom emoji.
    const name = emoji === undefined ? undefined : storedReactionName(emoji);
    const rows = await listReactions(deps.db, status.id, viewer, name);
    const accounts = new Map(
      (
        await renderAccounts(deps, [
          ...new Map(rows.map((r) => [r.account.id, r.account])).values(),
        ])
      ).map((a) => [a.id, a]),
    );
    const byName = new Map<string, ApiEmojiReactionWithAccounts>();
    for (const r of rows) {
      let entry = byName.get(r.name);
      if (entry === undefined) {
        entry = {
          name: pleromaReactionName(r.name),
          count: 0,
          me: false,
          url: r.emojiUrl,
          accounts: [],
        };
        byName.set(r.name, entry);
      }
      const account = accounts.get(r.account.id);
      if (account !== undefined) entry.accounts.push(account);
      entry.count += 1;
      if (r.account.id === viewer) entry.me = true;
    }
    return [...byName.values()];
  };

  app.get("/:id/reactions", optionalScope("read:statuses"), async (c) =>
    c.json(await list(maybeViewerId(c), c.req.param("id"))),
  );

  app.get("/:id/reactions/:emoji", optionalScope("read:statuses"), async (c) =>
    c.json(await list(maybeViewerId(c), c.req.param("id"), c.req.param("emoji"))),
  );

  const act = async (viewer: string, id: string, emoji: string, remove: boolean) => {
    const me = await findAccountById(deps.db, viewer);
    if (me === undefined) throw notFound();
    const status = await visible(viewer, id);
    const reaction = await resolveLocalReaction(deps.db, deps.urls, emoji, status.id);
    if (remove) await unreactToStatus(deps.db, me, status, reaction.name);
    else await reactToStatus(deps.db, deps.urls, me, status, reaction);
    // Re-read, as the favourite actions do, for what the reaction changed.
    const fresh = (await findStatusById(deps.db, status.id)) ?? status;
    const rendered = (await renderStatuses(deps, [fresh], viewer))[0];
    if (rendered === undefined) throw notFound();
    return rendered;
  };

  app.put("/:id/reactions/:emoji", requireScope("write:statuses"), async (c) =>
    c.json(await act(viewerId(c), c.req.param("id"), c.req.param("emoji"), false)),
  );

  app.delete("/:id/reactions/:emoji", requireScope("write:statuses"), async (c) =>
    c.json(await act(viewerId(c), c.req.param("id"), c.req.param("emoji"), true)),
  );

  return app;
}
