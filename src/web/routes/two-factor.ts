// Settings → Two-factor sign-in: setup, confirmation, new recovery codes, turning it off. The rules
// (which secret, which code counts, what is single use) are domain/two-factor.ts's; codes typed here
// are throttled like passwords, since they are guessed the same way.
import type { Hono, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import QRCode from "qrcode";
import {
  beginTwoFactorSetup,
  confirmTwoFactor,
  disableTwoFactor,
  needsSecondFactor,
  recoveryCodesLeft,
  regenerateRecoveryCodes,
} from "../../domain/two-factor.ts";
import { AppError } from "../../errors.ts";
import { translatorOf, type WebContext, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { clientIp, readForm, sessionOf, signedIn, viewOf } from "../helpers.ts";
import { type TwoFactorNotice, type TwoFactorState, twoFactorPage } from "../pages/two-factor.ts";
import { verifyCsrf } from "../security.ts";

export function twoFactorRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db } = deps;

  /** The page for the user's current state (the setup's secret while one is offered). */
  const current = async (c: WebContext): Promise<TwoFactorState> => {
    const { account, user } = sessionOf(c);
    if (needsSecondFactor(user)) {
      return {
        kind: "on",
        since: user.otpEnabledAt ?? new Date(),
        codesLeft: recoveryCodesLeft(user),
      };
    }
    if (user.otpPendingSecret === null) return { kind: "off" };
    return await setupState(account.id, account.username);
  };

  const setupState = async (accountId: string, username: string): Promise<TwoFactorState> => {
    const host = new URL(deps.config.origin).host;
    const setup = await beginTwoFactorSetup(db, accountId, {
      issuer: deps.config.instanceName,
      label: `${username}@${host}`,
    });
    const qrSvg = await QRCode.toString(setup.uri, { type: "svg", margin: 2, width: 200 });
    return { kind: "setup", setup, qrSvg };
  };

  const render = (
    c: WebContext,
    state: TwoFactorState,
    notice?: TwoFactorNotice,
    status: ContentfulStatusCode = 200,
  ) => c.html(twoFactorPage(viewOf(c, deps), state, notice), status);

  /** The session and form (CSRF checked), or a 429 page when this address guessed too often. */
  const codeForm = async (c: WebContext) => {
    const session = sessionOf(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, deps.config.origin);
    const ip = clientIp(c, deps.config);
    const wait = deps.throttle.retryAfter(ip, session.account.username);
    if (wait > 0) c.header("Retry-After", String(wait));
    return { session, form, ip, throttled: wait > 0 };
  };

  /** A refused code or password: counted by the throttle, then the page again with the reason. */
  const refused = async (c: WebContext, ip: string, error: unknown) => {
    if (!(error instanceof AppError) || (error.status !== 401 && error.status !== 409)) throw error;
    if (error.status === 401) deps.throttle.recordFailure(ip, sessionOf(c).account.username);
    const state = await current(c);
    return render(c, state, { kind: "error", text: error.message }, error.status);
  };

  const tooMany = async (c: WebContext) =>
    render(
      c,
      await current(c),
      { kind: "error", text: translatorOf(c)("z_security.tooManyCodes") },
      429,
    );

  web.get("/settings/two_factor", page, signedIn, async (c) => {
    const done = c.req.query("done");
    const notice: TwoFactorNotice | undefined =
      done === "disabled"
        ? { kind: "ok", text: translatorOf(c)("z_security.twoFactorOff") }
        : undefined;
    return render(c, await current(c), notice);
  });

  web.post("/settings/two_factor/setup", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, deps.config.origin);
    if (needsSecondFactor(session.user)) return c.redirect("/settings/two_factor", 303);
    return render(c, await setupState(session.account.id, session.account.username));
  });

  web.post("/settings/two_factor/confirm", page, signedIn, async (c) => {
    const { session, form, ip, throttled } = await codeForm(c);
    if (throttled) return await tooMany(c);
    try {
      const codes = await confirmTwoFactor(db, session.account.id, form.code ?? "");
      return render(
        c,
        { kind: "codes", codes },
        { kind: "ok", text: translatorOf(c)("z_security.twoFactorOnDone") },
      );
    } catch (error) {
      return await refused(c, ip, error);
    }
  });

  web.post("/settings/two_factor/recovery_codes", page, signedIn, async (c) => {
    const { session, form, ip, throttled } = await codeForm(c);
    if (throttled) return await tooMany(c);
    try {
      const codes = await regenerateRecoveryCodes(db, session.account.id, form.code ?? "");
      return render(
        c,
        { kind: "codes", codes },
        { kind: "ok", text: translatorOf(c)("z_security.codesMade") },
      );
    } catch (error) {
      return await refused(c, ip, error);
    }
  });

  web.post("/settings/two_factor/disable", page, signedIn, async (c) => {
    const { session, form, ip, throttled } = await codeForm(c);
    if (throttled) return await tooMany(c);
    try {
      await disableTwoFactor(db, session.account.id, {
        password: form.password ?? "",
        code: form.code ?? "",
      });
    } catch (error) {
      return await refused(c, ip, error);
    }
    return c.redirect("/settings/two_factor?done=disabled", 303);
  });
}
