// /api/v1/admin/domain_blocks: the server block list as Mastodon's admin API serves it. A block here
// always suspends (nothing is accepted from the server or delivered to it), so only severity=suspend is
// accepted: a request for a milder block (silence, noop, or none named, which Mastodon reads as silence)
// is refused rather than carried out more harshly than asked. The rules are domain/moderation.ts's, which
// the admin page and the CLI use too.
import { Hono } from "hono";
import { z } from "zod";
import {
  blockDomain,
  coveringDomainBlock,
  type DomainBlockDetails,
  domainBlockPage,
  findDomainBlock,
  normalizeBlockedDomain,
  unblockDomain,
  updateDomainBlock,
} from "../../../domain/moderation.ts";
import { notFound } from "../../../errors.ts";
import { asValidation, booleanParam, parseParams } from "../../http.ts";
import { viewerId } from "../../middleware.ts";
import { readPage, setLinkHeader } from "../../pagination.ts";
import { toApiAdminDomainBlock } from "../../serializers/admin.ts";
import type { ApiDeps, ApiEnv } from "../../types.ts";
import { requireAdmin } from "./require-admin.ts";

const text = z
  .string({ error: "must be text" })
  .nullish()
  .transform((v) => v ?? undefined);
const flag = z
  .unknown()
  .optional()
  .transform((v) => booleanParam(v));

const DetailParams = z.object({
  public_comment: text,
  private_comment: text,
  obfuscate: flag,
  // Implied by a suspension; accepted so that clients sending them are not refused.
  reject_media: flag,
  reject_reports: flag,
  severity: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z
      .enum(["suspend"], {
        error:
          "is not supported: this server only blocks a domain by suspending it (severity=suspend)",
      })
      .optional(),
  ),
});

const CreateParams = DetailParams.extend({
  domain: z.string({ error: "can't be blank" }).trim().min(1, "can't be blank"),
  severity: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.enum(["suspend"], {
      error: "must be suspend: this server only blocks a domain by suspending it",
    }),
  ),
});

function detailsOf(p: z.infer<typeof DetailParams>): DomainBlockDetails {
  return {
    ...(p.public_comment !== undefined ? { publicComment: p.public_comment } : {}),
    ...(p.private_comment !== undefined ? { privateComment: p.private_comment } : {}),
    ...(p.obfuscate !== undefined ? { obfuscate: p.obfuscate } : {}),
  };
}

export function adminDomainBlocksRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const read = requireAdmin(deps, "admin:read:domain_blocks");
  const write = requireAdmin(deps, "admin:write:domain_blocks");
  const one = async (id: string) => {
    const found = /^\d{1,20}$/.test(id) ? await findDomainBlock(deps.db, id) : undefined;
    if (found === undefined) throw notFound();
    return found;
  };

  app.get("/", read, async (c) => {
    const page = readPage(c, 100, 200);
    const blocks = await domainBlockPage(deps.db, page);
    setLinkHeader(
      c,
      deps.config.origin,
      blocks.map((b) => b.blockId),
      page.limit,
    );
    return c.json(blocks.map(toApiAdminDomainBlock));
  });

  app.get("/:id", read, async (c) => c.json(toApiAdminDomainBlock(await one(c.req.param("id")))));

  app.post("/", write, async (c) => {
    const p = await parseParams(c, CreateParams);
    const domain = await asValidation(() => normalizeBlockedDomain(p.domain));
    // Mastodon refuses a block that an existing one (the domain or a parent) already makes, and names it.
    const existing = await coveringDomainBlock(deps.db, domain);
    const result = existing
      ? undefined
      : await asValidation(() =>
          blockDomain(deps.db, domain, detailsOf(p), { moderatorId: viewerId(c) }),
        );
    const covering = existing ?? (result?.created === false ? result.block : undefined);
    if (covering !== undefined) {
      return c.json(
        {
          error: `A block of ${covering.domain} already covers ${domain}`,
          existing_domain_block: toApiAdminDomainBlock(covering),
        },
        422,
      );
    }
    return c.json(toApiAdminDomainBlock(result!.block));
  });

  app.put("/:id", write, async (c) => {
    const block = await one(c.req.param("id"));
    const p = await parseParams(c, DetailParams);
    const updated = await asValidation(() =>
      updateDomainBlock(deps.db, block.blockId, detailsOf(p), { moderatorId: viewerId(c) }),
    );
    if (updated === undefined) throw notFound();
    return c.json(toApiAdminDomainBlock(updated));
  });

  app.delete("/:id", write, async (c) => {
    const block = await one(c.req.param("id"));
    await unblockDomain(deps.db, block.domain, { moderatorId: viewerId(c) });
    return c.json({});
  });

  return app;
}
