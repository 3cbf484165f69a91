// /api/v1/lists: the signed-in user's lists (read:lists, write:lists), their members, and
// /api/v1/accounts/:id/lists (which of the user's lists hold an account). A list of someone else
// answers 404, as an unknown one does. The list timeline is in timelines.ts.
import { type Context, Hono } from "hono";
import { findAccountById, findAccountsByIds } from "../../db/queries/accounts.ts";
import { listMembers } from "../../db/queries/lists.ts";
import {
  addListAccounts,
  createList,
  deleteList,
  type ListInput,
  listsContaining,
  listsOf,
  ownList,
  removeListAccounts,
  updateList,
} from "../../domain/lists.ts";
import { notFound, unprocessable } from "../../errors.ts";
import { booleanParam, listParam, readParams } from "../http.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { readPage, setLinkHeader } from "../pagination.ts";
import { renderAccounts } from "../render.ts";
import { toApiList } from "../serializers/list.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

const text = (name: string, v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw unprocessable(`Validation failed: ${name} must be a string`);
  return v;
};

function listInput(p: Record<string, unknown>): ListInput {
  return {
    title: text("title", p.title),
    repliesPolicy: text("replies_policy", p.replies_policy),
    exclusive: booleanParam(p.exclusive),
  };
}

export function listsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const read = requireScope("read:lists");
  const write = requireScope("write:lists");

  app.get("/lists", read, async (c) =>
    c.json((await listsOf(deps.db, viewerId(c))).map(toApiList)),
  );

  app.post("/lists", write, async (c) => {
    const input = listInput(await readParams(c));
    return c.json(toApiList(await createList(deps.db, viewerId(c), input)));
  });

  app.get("/lists/:id", read, async (c) =>
    c.json(toApiList(await ownList(deps.db, viewerId(c), c.req.param("id")))),
  );

  app.put("/lists/:id", write, async (c) => {
    const input = listInput(await readParams(c));
    return c.json(toApiList(await updateList(deps.db, viewerId(c), c.req.param("id"), input)));
  });

  app.delete("/lists/:id", write, async (c) => {
    await deleteList(deps.db, viewerId(c), c.req.param("id"));
    return c.json({});
  });

  app.get("/lists/:id/accounts", read, async (c) => {
    const list = await ownList(deps.db, viewerId(c), c.req.param("id"));
    // limit=0 reads every member unpaged, as Mastodon allows here.
    if (c.req.query("limit") === "0") {
      return c.json(await renderAccounts(deps, (await listMembers(deps.db, list.id)).accounts));
    }
    const page = readPage(c, 40, 80);
    const result = await listMembers(deps.db, list.id, page);
    setLinkHeader(c, deps.config.origin, result.keys, page.limit);
    return c.json(await renderAccounts(deps, result.accounts));
  });

  /** The accounts named by account_ids[]; an unknown one is 404, as Mastodon's Account.find. */
  const accountIds = async (c: Context) => {
    const ids = [...new Set(listParam((await readParams(c)).account_ids) ?? [])];
    const found = await findAccountsByIds(deps.db, ids);
    if (found.length !== ids.length) throw notFound();
    return ids;
  };

  app.post("/lists/:id/accounts", write, async (c) => {
    const viewer = viewerId(c);
    const list = await ownList(deps.db, viewer, c.req.param("id"));
    await addListAccounts(deps.db, viewer, list.id, await accountIds(c));
    return c.json({});
  });

  app.delete("/lists/:id/accounts", write, async (c) => {
    const viewer = viewerId(c);
    const list = await ownList(deps.db, viewer, c.req.param("id"));
    await removeListAccounts(deps.db, viewer, list.id, await accountIds(c));
    return c.json({});
  });

  app.get("/accounts/:id/lists", read, async (c) => {
    const account = await findAccountById(deps.db, c.req.param("id"));
    if (account === undefined) throw notFound();
    return c.json((await listsContaining(deps.db, viewerId(c), account.id)).map(toApiList));
  });

  return app;
}
