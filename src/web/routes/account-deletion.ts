// Deleting one's own account from the settings page: the password confirms it (throttled like sign-in,
// since a left-open session must not be enough), the domain removes everything and records the event
// the outbox turns into Delete(Person), and the browser is signed out.
import type { Hono, MiddlewareHandler } from "hono";
import { listDatasetOptOuts } from "../../db/queries/datasets.ts";
import { deleteLocalAccount } from "../../domain/account-deletion.ts";
import { checkCredentials } from "../../domain/sessions.ts";
import { AppError } from "../../errors.ts";
import { messagePage } from "../components/layout.ts";
import type { WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { clientIp, readForm, sessionOf, signedIn, viewOf } from "../helpers.ts";
import { settingsPage } from "../pages/settings.ts";
import { clearSessionCookie, verifyCsrf } from "../security.ts";

export function accountDeletionRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  web.post("/settings/delete", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, deps.config.origin);
    const username = session.account.username;
    const refuse = async (text: string, status: 400 | 401 | 409 | 429) =>
      c.html(
        settingsPage(
          viewOf(c, deps),
          session.account,
          session.user,
          undefined,
          text,
          await listDatasetOptOuts(deps.db, session.account.id),
        ),
        status,
      );
    const ip = clientIp(c, deps.config);
    const wait = deps.throttle.retryAfter(ip, username);
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      return refuse("Too many wrong passwords. Try again later.", 429);
    }
    if (form.confirm !== "1") {
      return refuse("Tick the box to confirm that you want to delete your account.", 400);
    }
    const password = form.password ?? "";
    if (password === "" || (await checkCredentials(deps.db, username, password)) === null) {
      deps.throttle.recordFailure(ip, username);
      return refuse("That password is not right; your account was not deleted.", 401);
    }
    try {
      await deleteLocalAccount(deps.db, deps.media.store, username);
    } catch (error) {
      if (error instanceof AppError && error.status === 409) return refuse(error.message, 409);
      throw error;
    }
    clearSessionCookie(c, deps.cookies);
    c.set("session", undefined);
    c.set("unreadCount", 0);
    return c.html(
      messagePage(
        viewOf(c, deps),
        "Your account was deleted",
        `@${username} and everything you posted are gone from this server, and the servers of your followers are being told to delete their copies.`,
      ),
    );
  });
}
