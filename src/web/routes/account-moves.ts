// Settings → Aliases (add by handle, remove) and Settings → Moving to another account (move, redirect
// without moving, cancel the redirect). The checks (the target found fresh and naming this account,
// the password, the 30-day cooldown) are the domain's (domain/account-moves.ts); a refusal shows the
// page again with its reason and a 4xx status.
import type { Hono, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { findAccountById } from "../../db/queries/accounts.ts";
import {
  addAlias,
  aliasesOf,
  cancelRedirect,
  migrationStatus,
  moveAccount,
  redirectAccount,
  removeAlias,
} from "../../domain/account-moves.ts";
import { AppError } from "../../errors.ts";
import type { MessageKey } from "../../i18n/index.ts";
import { translatorOf, type WebContext, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { clientIp, readForm, sessionOf, signedIn, viewOf } from "../helpers.ts";
import { doneNotice } from "../notices.ts";
import { aliasesPage, type MovesNotice, migrationPage } from "../pages/account-moves.ts";
import { verifyCsrf } from "../security.ts";

const HANDLE_MAX = 300;

const notices = {
  added: "z_moves.done.added",
  removed: "z_moves.done.removed",
  moved: "z_moves.done.moved",
  redirected: "z_moves.done.redirected",
  cancelled: "z_moves.done.cancelled",
} as const satisfies Record<string, MessageKey>;

/** One of the password-confirmed forms of the migration page: what it asks the domain to do. */
type MigrationAction = (form: Record<string, string>, accountId: string) => Promise<unknown>;

/** A refusal the page shows (a 4xx AppError: the domain's MoveRefused, a bad form), or null. */
function refusal(error: unknown): { text: string; status: ContentfulStatusCode } | null {
  if (!(error instanceof AppError) || error.status < 400 || error.status >= 500) return null;
  return { text: error.message, status: error.status as ContentfulStatusCode };
}

export function accountMoveRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config, services } = deps;

  /** The signed-in account as stored now (the session's copy predates this request's change). */
  const me = async (c: WebContext) =>
    (await findAccountById(db, sessionOf(c).account.id, { includeSuspended: true })) ??
    sessionOf(c).account;

  const renderAliases = async (
    c: WebContext,
    notice?: MovesNotice,
    status: ContentfulStatusCode = 200,
    typed = "",
  ) => {
    const account = await me(c);
    return c.html(
      aliasesPage(viewOf(c, deps), account, await aliasesOf(db, account), notice, typed),
      status,
    );
  };

  const renderMigration = async (
    c: WebContext,
    notice?: MovesNotice,
    status: ContentfulStatusCode = 200,
    typed = "",
  ) => {
    const account = await me(c);
    return c.html(
      migrationPage(viewOf(c, deps), account, await migrationStatus(db, account), notice, typed),
      status,
    );
  };

  web.get("/settings/aliases", page, signedIn, (c) =>
    renderAliases(c, doneNotice(translatorOf(c), notices, c.req.query("done"))),
  );

  web.post("/settings/aliases", page, signedIn, async (c) => {
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    const handle = (form.handle ?? "").slice(0, HANDLE_MAX);
    try {
      await addAlias(db, services.resolveAccount, sessionOf(c).account.id, handle);
    } catch (error) {
      const refused = refusal(error);
      if (refused === null) throw error;
      return await renderAliases(c, { kind: "error", text: refused.text }, refused.status, handle);
    }
    return c.redirect("/settings/aliases?done=added", 303);
  });

  web.post("/settings/aliases/delete", page, signedIn, async (c) => {
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    await removeAlias(db, sessionOf(c).account.id, form.iri ?? "");
    return c.redirect("/settings/aliases?done=removed", 303);
  });

  web.get("/settings/migration", page, signedIn, (c) =>
    renderMigration(c, doneNotice(translatorOf(c), notices, c.req.query("done"))),
  );

  /** Posts a password-confirmed form: guessing the password here counts as guessing it at sign-in. */
  const confirmed = (path: string, action: MigrationAction, done: keyof typeof notices) =>
    web.post(path, page, signedIn, async (c) => {
      const form = await readForm(c);
      verifyCsrf(c, form.csrf, config.origin);
      const handle = (form.handle ?? "").slice(0, HANDLE_MAX);
      const { username, id } = sessionOf(c).account;
      const ip = clientIp(c, config);
      const wait = deps.throttle.retryAfter(ip, username);
      if (wait > 0) {
        c.header("Retry-After", String(wait));
        return await renderMigration(
          c,
          { kind: "error", text: translatorOf(c)("z_moves.tooManyPasswords") },
          429,
          handle,
        );
      }
      try {
        await action({ ...form, handle }, id);
      } catch (error) {
        const refused = refusal(error);
        if (refused === null) throw error;
        if (refused.status === 401) deps.throttle.recordFailure(ip, username);
        return await renderMigration(
          c,
          { kind: "error", text: refused.text },
          refused.status,
          handle,
        );
      }
      return c.redirect(`/settings/migration?done=${done}`, 303);
    });

  const password = (form: Record<string, string>) => form.password ?? "";
  confirmed(
    "/settings/migration",
    (form, accountId) =>
      moveAccount(db, services.resolveAccount, {
        accountId,
        handle: form.handle ?? "",
        password: password(form),
      }),
    "moved",
  );
  confirmed(
    "/settings/migration/redirect",
    (form, accountId) =>
      redirectAccount(db, services.resolveAccount, {
        accountId,
        handle: form.handle ?? "",
        password: password(form),
      }),
    "redirected",
  );
  confirmed(
    "/settings/migration/cancel",
    (form, accountId) => cancelRedirect(db, { accountId, password: password(form) }),
    "cancelled",
  );
}
