// What accounts feature on their profiles: /api/v1/statuses/:id/pin and /unpin (write:accounts, as
// Mastodon), /api/v1/featured_tags with its suggestions, and /api/v1/accounts/:id/featured_tags. The
// rules (own posts, limits, visibility) and the events that federate them are in domain/pins.ts and
// domain/featured-tags.ts; pinned statuses of an account are listed by accounts.ts (?pinned=true).
import { Hono } from "hono";
import { findAccountById } from "../../db/queries/accounts.ts";
import { featuredTagSuggestions, featuredTagsOf } from "../../db/queries/pins.ts";
import { findVisibleStatus } from "../../db/queries/statuses.ts";
import { featureTag, unfeatureTag } from "../../domain/featured-tags.ts";
import { pinStatus, unpinStatus } from "../../domain/pins.ts";
import { notFound, unprocessable } from "../../errors.ts";
import { readParams } from "../http.ts";
import { optionalScope, requireScope, viewerId } from "../middleware.ts";
import { renderStatuses, serializeContext } from "../render.ts";
import { toApiFeaturedTag } from "../serializers/featured-tag.ts";
import { toApiTag } from "../serializers/tag.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

/** POST /api/v1/statuses/:id/pin and /unpin. */
export function statusPinsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  // Unlike favourite and boost, a boost is not followed to its original: pinning one is refused.
  const context = async (viewer: string, id: string) => {
    const me = await findAccountById(deps.db, viewer);
    const status = await findVisibleStatus(deps.db, viewer, id);
    if (me === undefined || status === undefined) throw notFound();
    return { me, status };
  };
  const render = async (viewer: string, statusId: string) => {
    const status = await findVisibleStatus(deps.db, viewer, statusId);
    const rendered = status ? (await renderStatuses(deps, [status], viewer))[0] : undefined;
    if (rendered === undefined) throw notFound();
    return rendered;
  };

  app.post("/:id/pin", requireScope("write:accounts"), async (c) => {
    const viewer = viewerId(c);
    const { me, status } = await context(viewer, c.req.param("id"));
    await pinStatus(deps.db, me, status);
    return c.json(await render(viewer, status.id));
  });

  app.post("/:id/unpin", requireScope("write:accounts"), async (c) => {
    const viewer = viewerId(c);
    const { me, status } = await context(viewer, c.req.param("id"));
    await unpinStatus(deps.db, me, status);
    return c.json(await render(viewer, status.id));
  });

  return app;
}

/** /api/v1/featured_tags: the signed-in user's featured hashtags. */
export function featuredTagsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const me = async (id: string) => {
    const account = await findAccountById(deps.db, id);
    if (account === undefined) throw notFound();
    return account;
  };
  const list = async (accountId: string) => {
    const account = await me(accountId);
    return (await featuredTagsOf(deps.db, account.id)).map((t) =>
      toApiFeaturedTag(t, account, serializeContext(deps)),
    );
  };

  app.get("/", requireScope("read:accounts"), async (c) => c.json(await list(viewerId(c))));

  app.get("/suggestions", requireScope("read:accounts"), async (c) =>
    c.json(
      (await featuredTagSuggestions(deps.db, viewerId(c))).map((t) =>
        toApiTag(t, serializeContext(deps)),
      ),
    ),
  );

  app.post("/", requireScope("write:accounts"), async (c) => {
    const name = (await readParams(c)).name;
    if (typeof name !== "string") throw unprocessable("Validation failed: Name can't be blank");
    const account = await me(viewerId(c));
    const created = await featureTag(deps.db, account, name);
    const use = (await featuredTagsOf(deps.db, account.id)).find(
      (t) => t.featuredTag.id === created.id,
    )!;
    return c.json(toApiFeaturedTag(use, account, serializeContext(deps)));
  });

  app.delete("/:id", requireScope("write:accounts"), async (c) => {
    await unfeatureTag(deps.db, await me(viewerId(c)), c.req.param("id"));
    return c.json({});
  });

  return app;
}

/** GET /api/v1/accounts/:id/featured_tags: anyone's, local or remote (as their collection said). */
export function accountFeaturedTagsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get("/:id/featured_tags", optionalScope("read:accounts"), async (c) => {
    const account = await findAccountById(deps.db, c.req.param("id"));
    if (account === undefined) throw notFound();
    return c.json(
      (await featuredTagsOf(deps.db, account.id)).map((t) =>
        toApiFeaturedTag(t, account, serializeContext(deps)),
      ),
    );
  });
  return app;
}
