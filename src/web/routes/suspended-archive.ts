// A suspended account's owner downloads their archive until the account is deleted (the sign-in page
// offers it after the right password): the password again, and the two-factor code when it is on,
// throttled as sign-in is. Anything else gets the sign-in page's one answer, as a wrong password does.
import type { Hono, MiddlewareHandler } from "hono";
import { buildAccountArchive } from "../../domain/account-archive.ts";
import { suspendedOwner } from "../../domain/sessions.ts";
import { checkSecondFactor, needsSecondFactor } from "../../domain/two-factor.ts";
import type { WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { clientIp, readForm, viewOf } from "../helpers.ts";
import { signInPage } from "../pages/auth.ts";
import { verifyCsrf } from "../security.ts";

export function suspendedArchiveRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  web.post("/auth/suspended/archive", page, async (c) => {
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, deps.config.origin);
    const username = (form.username ?? "").trim().replace(/^@/, "");
    const ip = clientIp(c, deps.config);
    const refuse = (status: 401 | 429, error: string) =>
      c.html(signInPage(viewOf(c, deps), { username, error }), status);
    const wait = deps.throttle.retryAfter(ip, username);
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      return refuse(429, "Too many failed attempts. Try again later.");
    }
    const owner =
      username === "" ? null : await suspendedOwner(deps.db, username, form.password ?? "");
    const codeOk =
      owner !== null &&
      (!needsSecondFactor(owner.user) ||
        (await checkSecondFactor(deps.db, owner.account.id, (form.code ?? "").trim())));
    if (owner === null || !codeOk) {
      deps.throttle.recordFailure(ip, username);
      return refuse(401, "Wrong username, password or code.");
    }
    deps.throttle.recordSuccess(ip, username);
    const tar = await buildAccountArchive(deps.db, deps.media.store, owner.account.id);
    const day = new Date().toISOString().slice(0, 10);
    return c.body(new Uint8Array(tar), 200, {
      "Content-Type": "application/x-tar",
      "Content-Disposition": `attachment; filename="atelier-${owner.account.username}-${day}.tar"`,
    });
  });
}
