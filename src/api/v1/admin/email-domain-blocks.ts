// /api/v1/admin/email_domain_blocks: the e-mail domains sign-up refuses, as Mastodon's admin API serves
// them, each with its last seven days of refused sign-ups (`history`). The rules are
// domain/email-domain-blocks.ts's, which sign-up, the admin page and the CLI use too.
import { Hono } from "hono";
import { z } from "zod";
import {
  blockEmailDomain,
  type EmailDomainBlock,
  emailDomainBlockHistory,
  emailDomainBlockPage,
  findEmailDomainBlock,
  normalizeEmailDomain,
  unblockEmailDomain,
} from "../../../domain/email-domain-blocks.ts";
import { notFound, unprocessable } from "../../../errors.ts";
import { asValidation, parseParams } from "../../http.ts";
import { viewerId } from "../../middleware.ts";
import { readPage, setLinkHeader } from "../../pagination.ts";
import { toApiAdminEmailDomainBlock } from "../../serializers/admin.ts";
import type { ApiAdminEmailDomainBlock, ApiDeps, ApiEnv } from "../../types.ts";
import { requireAdmin } from "./require-admin.ts";

const CreateParams = z.object({
  domain: z.string({ error: "can't be blank" }).trim().min(1, "can't be blank"),
});

export function adminEmailDomainBlocksRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const read = requireAdmin(deps, "admin:read:email_domain_blocks");
  const write = requireAdmin(deps, "admin:write:email_domain_blocks");
  const one = async (id: string) => {
    const found = /^\d{1,20}$/.test(id) ? await findEmailDomainBlock(deps.db, id) : undefined;
    if (found === undefined) throw notFound();
    return found;
  };
  const render = async (
    blocks: readonly EmailDomainBlock[],
  ): Promise<ApiAdminEmailDomainBlock[]> => {
    const history = await emailDomainBlockHistory(
      deps.db,
      blocks.map((b) => b.domain),
    );
    return blocks.map((b) => toApiAdminEmailDomainBlock(b, history.get(b.domain) ?? []));
  };

  app.get("/", read, async (c) => {
    const page = readPage(c, 100, 200);
    const blocks = await emailDomainBlockPage(deps.db, page);
    setLinkHeader(
      c,
      deps.config.origin,
      blocks.map((b) => b.blockId),
      page.limit,
    );
    return c.json(await render(blocks));
  });

  app.get("/:id", read, async (c) => c.json((await render([await one(c.req.param("id"))]))[0]!));

  app.post("/", write, async (c) => {
    const p = await parseParams(c, CreateParams);
    const domain = await asValidation(() => normalizeEmailDomain(p.domain));
    const { created, block } = await blockEmailDomain(deps.db, domain, {
      moderatorId: viewerId(c),
    });
    if (!created) throw unprocessable(`Validation failed: Domain ${domain} is already blocked`);
    return c.json((await render([block]))[0]!);
  });

  app.delete("/:id", write, async (c) => {
    const block = await one(c.req.param("id"));
    await unblockEmailDomain(deps.db, block.domain, { moderatorId: viewerId(c) });
    return c.json({});
  });

  return app;
}
