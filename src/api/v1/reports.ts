// POST /api/v1/reports: a user reports an account, optionally naming some of its statuses and asking
// for the report to be forwarded to the account's server. The rules live in domain/reports.ts
// (fileReport); the outbox turns a forwarded report into a Flag.
import { Hono } from "hono";
import { z } from "zod";
import { findAccountById } from "../../db/queries/accounts.ts";
import { REPORT_CATEGORIES } from "../../db/schema/index.ts";
import { fileReport } from "../../domain/reports.ts";
import { notFound } from "../../errors.ts";
import { asValidation, booleanParam, listParam, parseParams } from "../http.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { renderAccounts } from "../render.ts";
import { toApiReport } from "../serializers/report.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

const ReportParams = z.object({
  account_id: z
    .union([z.string(), z.number()], { error: "can't be blank" })
    .transform(String)
    .pipe(z.string().min(1, "can't be blank")),
  status_ids: z
    .unknown()
    .optional()
    .transform((v) => listParam(v) ?? []),
  comment: z
    .string({ error: "must be text" })
    .nullish()
    .transform((v) => v ?? ""),
  forward: z
    .unknown()
    .optional()
    .transform((v) => booleanParam(v) ?? false),
  // An empty form field means "not chosen", which Mastodon files as "other".
  category: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.enum(REPORT_CATEGORIES, { error: "must be spam, legal, violation or other" }).optional(),
  ),
  // Clients send the instance rules the user picked; Atelier has none, so they are accepted and unused.
  rule_ids: z.unknown().optional(),
});

export function reportsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post("/", requireScope("write:reports"), async (c) => {
    const p = await parseParams(c, ReportParams);
    const reporter = await findAccountById(deps.db, viewerId(c));
    const target = await findAccountById(deps.db, p.account_id);
    // A deleted account's row stays as a tombstone; there is nothing left to report.
    if (reporter === undefined || target === undefined || target.deletedAt !== null) {
      throw notFound();
    }
    const report = await asValidation(
      async () =>
        await fileReport(deps.db, {
          reporter,
          target,
          statusIds: p.status_ids,
          comment: p.comment,
          forward: p.forward,
          ...(p.category !== undefined ? { category: p.category } : {}),
        }),
    );
    return c.json(toApiReport(report, (await renderAccounts(deps, [target]))[0]!));
  });

  return app;
}
