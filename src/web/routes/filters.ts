// Settings → Filters for signed-in users: list, create, edit and delete, through the domain functions
// the filter API calls (domain/filters.ts), so both doors keep the same rules and messages.
import type { Hono, MiddlewareHandler } from "hono";
import { type FilterWithRules, filtersOf } from "../../db/queries/filters.ts";
import {
  createFilter,
  deleteFilter,
  FILTER_CONTEXTS,
  type FilterInput,
  KEYWORDS_PER_FILTER,
  type KeywordAttributes,
  ownFilter,
  updateFilter,
} from "../../domain/filters.ts";
import { AppError, badRequest } from "../../errors.ts";
import type { Translator } from "../../i18n/index.ts";
import { translatorOf, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, sessionOf, signedIn, viewOf } from "../helpers.ts";
import { BLANK_KEYWORD_ROWS, filterEditPage, filtersPage } from "../pages/filters.ts";
import { verifyCsrf } from "../security.ts";

/**
 * The form as the domain's input. Keyword rows carry the id of the keyword they show: an emptied row
 * removes it, a changed one updates it, a filled blank row adds one.
 */
function formInput(t: Translator, form: Record<string, string>, editing: boolean): FilterInput {
  const keywords: KeywordAttributes[] = [];
  for (let i = 0; i < KEYWORDS_PER_FILTER + BLANK_KEYWORD_ROWS; i++) {
    const text = form[`keyword_${i}`];
    if (text === undefined) break;
    const id = form[`keyword_id_${i}`] || undefined;
    const wholeWord = form[`whole_word_${i}`] === "1";
    if (id !== undefined) {
      keywords.push(
        text.trim() === "" ? { id, destroy: true } : { id, keyword: text.trim(), wholeWord },
      );
    } else if (text.trim() !== "") {
      keywords.push({ keyword: text.trim(), wholeWord });
    }
  }
  const expires = form.expires_in ?? "";
  let expiresIn: number | null | undefined;
  if (expires === "keep" && editing) expiresIn = undefined;
  else if (expires === "") expiresIn = null;
  else if (/^\d{1,9}$/.test(expires)) expiresIn = Number(expires);
  else throw badRequest(t("c_filters.errors.expiry"));
  return {
    title: form.title ?? "",
    context: FILTER_CONTEXTS.filter((c) => form[`context_${c}`] === "1"),
    filterAction: form.filter_action ?? "warn",
    expiresIn,
    keywords,
  };
}

/** A 422 from the domain, as the message to show on the form (anything else is thrown on). */
function validationMessage(error: unknown): string {
  if (error instanceof AppError && error.status === 422) return error.message;
  throw error;
}

export function filterRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config } = deps;

  web.get("/settings/filters", page, signedIn, async (c) =>
    c.html(filtersPage(viewOf(c, deps), await filtersOf(db, sessionOf(c).account.id))),
  );

  web.post("/settings/filters", page, signedIn, async (c) => {
    const owner = sessionOf(c).account.id;
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    try {
      await createFilter(db, owner, formInput(translatorOf(c), form, false));
    } catch (error) {
      const message = validationMessage(error);
      return c.html(filtersPage(viewOf(c, deps), await filtersOf(db, owner), message), 400);
    }
    return c.redirect("/settings/filters", 303);
  });

  web.get("/settings/filters/:id{[0-9]{1,20}}", page, signedIn, async (c) =>
    c.html(
      filterEditPage(
        viewOf(c, deps),
        await ownFilter(db, sessionOf(c).account.id, c.req.param("id")),
      ),
    ),
  );

  web.post("/settings/filters/:id{[0-9]{1,20}}", page, signedIn, async (c) => {
    const owner = sessionOf(c).account.id;
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    let current: FilterWithRules = await ownFilter(db, owner, c.req.param("id"));
    try {
      current = await updateFilter(
        db,
        owner,
        current.filter.id,
        formInput(translatorOf(c), form, true),
      );
    } catch (error) {
      const message = validationMessage(error);
      return c.html(filterEditPage(viewOf(c, deps), current, message), 400);
    }
    return c.redirect("/settings/filters", 303);
  });

  web.post("/settings/filters/:id{[0-9]{1,20}}/delete", page, signedIn, async (c) => {
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    await deleteFilter(db, sessionOf(c).account.id, c.req.param("id"));
    return c.redirect("/settings/filters", 303);
  });
}
