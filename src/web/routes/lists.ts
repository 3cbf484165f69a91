// The lists pages: they call the domain functions and queries the API's /api/v1/lists and list
// timeline call (domain/lists.ts, db/queries/list-timeline.ts), so a list behaves the same at both
// doors. Someone else's list is a 404, as an unknown one; a refused change is shown on the page.
import type { Hono, MiddlewareHandler } from "hono";
import { findAccountById, followingOf } from "../../db/queries/accounts.ts";
import { listTimeline } from "../../db/queries/list-timeline.ts";
import { listMembers } from "../../db/queries/lists.ts";
import type { List } from "../../db/queries/rows.ts";
import {
  addListAccounts,
  createList,
  deleteList,
  type ListInput,
  listsOf,
  ownList,
  removeListAccounts,
  updateList,
} from "../../domain/lists.ts";
import { AppError, notFound } from "../../errors.ts";
import { translatorOf, type WebContext, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { maxIdOf, readForm, sessionOf, signedIn, viewOf } from "../helpers.ts";
import { listPage, listsPage } from "../pages/lists.ts";
import { verifyCsrf } from "../security.ts";
import { PAGE_SIZE, pageOfStatuses } from "../views.ts";

// Who can be added is chosen from a menu of the accounts one follows; past this many, the newest
// follows are offered (the API takes any followed account).
const ADDABLE_MAX = 200;

function listInput(form: Record<string, string>): ListInput {
  return {
    title: form.title ?? "",
    repliesPolicy: form.replies_policy || undefined,
    exclusive: form.exclusive === "1",
  };
}

/** The message of a refusal the page shows (validation, limits); anything else is the error page's. */
function refusal(error: unknown): string {
  if (error instanceof AppError && (error.status === 400 || error.status === 422)) {
    return error.message;
  }
  throw error;
}

export function listRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config } = deps;

  const renderList = async (c: WebContext, list: List, error?: string) => {
    const viewer = sessionOf(c).account.id;
    const maxId = maxIdOf(c);
    const rows = await listTimeline(db, viewer, list, {
      limit: PAGE_SIZE + 1,
      ...(maxId === null ? {} : { maxId }),
    });
    const members = (await listMembers(db, list.id)).accounts;
    const onList = new Set(members.map((m) => m.id));
    const addable = (await followingOf(db, viewer, { limit: ADDABLE_MAX })).accounts.filter(
      (a) => !onList.has(a.id),
    );
    return c.html(
      listPage(
        viewOf(c, deps),
        { list, timeline: await pageOfStatuses(db, rows, viewer, PAGE_SIZE), members, addable },
        error,
      ),
      error === undefined ? 200 : 400,
    );
  };

  web.get("/lists", page, signedIn, async (c) =>
    c.html(listsPage(viewOf(c, deps), await listsOf(db, sessionOf(c).account.id))),
  );

  web.post("/lists", page, signedIn, async (c) => {
    const viewer = sessionOf(c).account.id;
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    try {
      const list = await createList(db, viewer, listInput(form));
      return c.redirect(`/lists/${list.id}`, 303);
    } catch (error) {
      return c.html(listsPage(viewOf(c, deps), await listsOf(db, viewer), refusal(error)), 400);
    }
  });

  web.get(
    "/lists/:id{[0-9]+}",
    page,
    signedIn,
    async (c) => await renderList(c, await ownList(db, sessionOf(c).account.id, c.req.param("id"))),
  );

  web.post("/lists/:id{[0-9]+}", page, signedIn, async (c) => {
    const viewer = sessionOf(c).account.id;
    const list = await ownList(db, viewer, c.req.param("id"));
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    try {
      await updateList(db, viewer, list.id, listInput(form));
    } catch (error) {
      return await renderList(c, list, refusal(error));
    }
    return c.redirect(`/lists/${list.id}`, 303);
  });

  web.post("/lists/:id{[0-9]+}/delete", page, signedIn, async (c) => {
    const viewer = sessionOf(c).account.id;
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    await deleteList(db, viewer, c.req.param("id"));
    return c.redirect("/lists", 303);
  });

  web.post("/lists/:id{[0-9]+}/accounts", page, signedIn, async (c) => {
    const viewer = sessionOf(c).account.id;
    const list = await ownList(db, viewer, c.req.param("id"));
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    const account = await findAccountById(db, form.account_id ?? "");
    if (account === undefined) throw notFound(translatorOf(c)("c_lists.errors.noAccount"));
    try {
      await addListAccounts(db, viewer, list.id, [account.id]);
    } catch (error) {
      return await renderList(c, list, refusal(error));
    }
    return c.redirect(`/lists/${list.id}`, 303);
  });

  web.post("/lists/:id{[0-9]+}/accounts/remove", page, signedIn, async (c) => {
    const viewer = sessionOf(c).account.id;
    const list = await ownList(db, viewer, c.req.param("id"));
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    await removeListAccounts(db, viewer, list.id, [form.account_id ?? ""]);
    return c.redirect(`/lists/${list.id}`, 303);
  });
}
