// GET /api/v1/directory, as Mastodon answers it: the discoverable accounts (db/queries/directory.ts
// decides which), `order` active (by latest post, the default) or new, `local` for this instance's
// only, paged by `offset` with `limit` 40 by default and at most 80. Open to anonymous callers; a
// signed-in caller's blocks, mutes and domain blocks apply. Mastodon sends no Link header here.
import type { Context } from "hono";
import { Hono } from "hono";
import { type DirectoryQuery, directoryAccounts } from "../../db/queries/directory.ts";
import { AppError } from "../../errors.ts";
import { booleanParam } from "../http.ts";
import { maybeViewerId } from "../middleware.ts";
import { renderAccounts } from "../render.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

const DEFAULT_LIMIT = 40;
const MAX_LIMIT = 80;

/** The directory's parameters, refused with a 422 when they are not what Mastodon takes. */
function readDirectoryQuery(c: Context<ApiEnv>): DirectoryQuery {
  const integer = (name: string, fallback: number) => {
    const raw = c.req.query(name);
    if (raw === undefined || raw === "") return fallback;
    if (!/^\d{1,9}$/.test(raw)) {
      throw new AppError("unprocessable", `${name} must be a non-negative integer`);
    }
    return Number.parseInt(raw, 10);
  };
  const order = c.req.query("order") || "active";
  if (order !== "active" && order !== "new") {
    throw new AppError("unprocessable", "order must be active or new");
  }
  return {
    order,
    local: booleanParam(c.req.query("local")) ?? false,
    offset: integer("offset", 0),
    limit: Math.min(Math.max(integer("limit", DEFAULT_LIMIT), 1), MAX_LIMIT),
  };
}

export function directoryRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get("/", async (c) => {
    const rows = await directoryAccounts(deps.db, maybeViewerId(c), readDirectoryQuery(c));
    return c.json(await renderAccounts(deps, rows));
  });
  return app;
}
