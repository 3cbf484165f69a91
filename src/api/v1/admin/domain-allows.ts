// /api/v1/admin/domain_allows: the servers a LIMITED_FEDERATION_MODE instance federates with, as
// Mastodon's admin API serves them (Admin::DomainAllow). The rules are domain/domain-allows.ts's, which
// the CLI uses too; whether a server may federate is domain/federation-policy.ts's.
import { Hono } from "hono";
import { z } from "zod";
import {
  allowDomain,
  disallowDomain,
  domainAllowPage,
  findDomainAllow,
} from "../../../domain/domain-allows.ts";
import { notFound } from "../../../errors.ts";
import { asValidation, parseParams } from "../../http.ts";
import { viewerId } from "../../middleware.ts";
import { readPage, setLinkHeader } from "../../pagination.ts";
import { toApiAdminDomainAllow } from "../../serializers/admin.ts";
import type { ApiDeps, ApiEnv } from "../../types.ts";
import { requireAdmin } from "./require-admin.ts";

const CreateParams = z.object({
  domain: z.string({ error: "can't be blank" }).trim().min(1, "can't be blank"),
});

export function adminDomainAllowsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const read = requireAdmin(deps, "admin:read:domain_allows");
  const write = requireAdmin(deps, "admin:write:domain_allows");
  const one = async (id: string) => {
    const found = /^\d{1,20}$/.test(id) ? await findDomainAllow(deps.db, id) : undefined;
    if (found === undefined) throw notFound();
    return found;
  };

  app.get("/", read, async (c) => {
    const page = readPage(c, 100, 200);
    const allows = await domainAllowPage(deps.db, page);
    setLinkHeader(
      c,
      deps.config.origin,
      allows.map((a) => a.id),
      page.limit,
    );
    return c.json(allows.map(toApiAdminDomainAllow));
  });

  app.get("/:id", read, async (c) => c.json(toApiAdminDomainAllow(await one(c.req.param("id")))));

  // As Mastodon's: allowing an allowed domain answers its existing entry, not an error.
  app.post("/", write, async (c) => {
    const p = await parseParams(c, CreateParams);
    const { allow } = await asValidation(() =>
      allowDomain(deps.db, p.domain, { moderatorId: viewerId(c) }),
    );
    return c.json(toApiAdminDomainAllow(allow));
  });

  app.delete("/:id", write, async (c) => {
    const allow = await one(c.req.param("id"));
    await disallowDomain(deps.db, allow.domain, deps.config, { moderatorId: viewerId(c) });
    return c.json({});
  });

  return app;
}
