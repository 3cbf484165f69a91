// Settings → Blocked domains: list, block, unblock. The rules (validation, the follows a block ends,
// what it hides) live in domain/account-domain-blocks.ts, the same functions the client API calls.
import type { Hono, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { allDomainBlocksOf } from "../../db/queries/account-domain-blocks.ts";
import {
  blockDomainForAccount,
  unblockDomainForAccount,
} from "../../domain/account-domain-blocks.ts";
import { AppError } from "../../errors.ts";
import type { MessageKey } from "../../i18n/index.ts";
import { translatorOf, type WebContext, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, sessionOf, signedIn, viewOf } from "../helpers.ts";
import { doneNotice } from "../notices.ts";
import { type DomainBlocksNotice, domainBlocksPage } from "../pages/domain-blocks.ts";
import { verifyCsrf } from "../security.ts";

const notices = {
  blocked: "z_domainBlocks.done.blocked",
  unblocked: "z_domainBlocks.done.unblocked",
} as const satisfies Record<string, MessageKey>;

export function domainBlockRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db } = deps;

  const render = async (
    c: WebContext,
    notice?: DomainBlocksNotice,
    status: ContentfulStatusCode = 200,
  ) =>
    c.html(
      domainBlocksPage(
        viewOf(c, deps),
        await allDomainBlocksOf(db, sessionOf(c).account.id),
        notice,
      ),
      status,
    );

  /** The form, once its CSRF token is checked, and the domain it names. */
  const domainOf = async (c: WebContext) => {
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, deps.config.origin);
    return form.domain;
  };

  /** Runs a block change; a refused domain shows the page again with the reason (422). */
  const change = async (c: WebContext, run: () => Promise<unknown>, done: string) => {
    try {
      await run();
    } catch (error) {
      if (error instanceof AppError && error.status === 422) {
        return await render(c, { kind: "error", text: error.message }, 422);
      }
      throw error;
    }
    return c.redirect(`/settings/domain_blocks?done=${done}`, 303);
  };

  web.get(
    "/settings/domain_blocks",
    page,
    signedIn,
    async (c) => await render(c, doneNotice(translatorOf(c), notices, c.req.query("done"))),
  );

  web.post("/settings/domain_blocks", page, signedIn, async (c) => {
    const domain = await domainOf(c);
    const account = sessionOf(c).account;
    return change(
      c,
      async () => await blockDomainForAccount(db, account, domain, deps.config.domain),
      "blocked",
    );
  });

  web.post("/settings/domain_blocks/delete", page, signedIn, async (c) => {
    const domain = await domainOf(c);
    const account = sessionOf(c).account;
    return change(
      c,
      async () => await unblockDomainForAccount(db, account, domain, deps.config.domain),
      "unblocked",
    );
  });
}
