// /api/v1/statuses/:id/{favourite,unfavourite,reblog,unreblog}: each answers the Status as the caller now
// sees it (reblog answers the boost wrapping it). Rules and the events the federation outbox turns into
// Like, Announce and their Undo live in domain/interactions.ts; repeats are harmless.
import { Hono } from "hono";
import { findAccountById } from "../../db/queries/accounts.ts";
import { findVisibleStatus } from "../../db/queries/statuses.ts";
import type { Status } from "../../db/schema/index.ts";
import {
  boostStatus,
  favouriteStatus,
  unboostStatus,
  unfavouriteStatus,
} from "../../domain/interactions.ts";
import { findStatusById } from "../../domain/remote-statuses.ts";
import { notFound, unprocessable } from "../../errors.ts";
import { asValidation } from "../http.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { renderStatuses } from "../render.ts";
import type { ApiDeps, ApiEnv, ApiStatus } from "../types.ts";

export function statusActionsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  const context = async (viewer: string, id: string) => {
    const me = await findAccountById(deps.db, viewer);
    let status = await findVisibleStatus(deps.db, viewer, id);
    if (me === undefined || status === undefined) throw notFound();
    // Acting on a boost acts on the status it boosts, as Mastodon does.
    if (status.reblogOfId !== null) {
      status = await findVisibleStatus(deps.db, viewer, status.reblogOfId);
      if (status === undefined) throw notFound();
    }
    return { me, status };
  };
  const render = async (viewer: string, status: Status): Promise<ApiStatus> => {
    // Re-read for the counters the domain call just changed.
    const fresh = (await findStatusById(deps.db, status.id)) ?? status;
    const rendered = (await renderStatuses(deps, [fresh], viewer))[0];
    if (rendered === undefined) throw notFound();
    return rendered;
  };

  app.post("/:id/favourite", requireScope("write:favourites"), async (c) => {
    const viewer = viewerId(c);
    const { me, status } = await context(viewer, c.req.param("id"));
    await favouriteStatus(deps.db, deps.urls, me, status);
    return c.json(await render(viewer, status));
  });

  app.post("/:id/unfavourite", requireScope("write:favourites"), async (c) => {
    const viewer = viewerId(c);
    const { me, status } = await context(viewer, c.req.param("id"));
    await unfavouriteStatus(deps.db, me, status);
    return c.json(await render(viewer, status));
  });

  app.post("/:id/reblog", requireScope("write:statuses"), async (c) => {
    const viewer = viewerId(c);
    const { me, status } = await context(viewer, c.req.param("id"));
    if (status.visibility === "private" || status.visibility === "direct") {
      throw unprocessable("Validation failed: Reblog of status is not permitted");
    }
    const boost = await asValidation(async () => await boostStatus(deps.db, deps.urls, me, status));
    return c.json(await render(viewer, boost));
  });

  app.post("/:id/unreblog", requireScope("write:statuses"), async (c) => {
    const viewer = viewerId(c);
    const { me, status } = await context(viewer, c.req.param("id"));
    await unboostStatus(deps.db, me, status);
    return c.json(await render(viewer, status));
  });

  return app;
}
