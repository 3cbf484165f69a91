// /api/v1/admin/reports: the moderation queue as Mastodon's admin API serves it. Open reports unless
// `resolved=true`, filtered by reporter or target, 100 a page (200 at most); each an Admin::Report with
// its accounts as Admin::Accounts and the statuses it names. Assigning, resolving and reopening answer
// the report as it is then. The rules are domain/reports.ts's, which the admin pages use too.
import type { Context } from "hono";
import { Hono } from "hono";
import { findAdminAccounts } from "../../../db/queries/admin-accounts.ts";
import {
  assignReport,
  findReport,
  type Report,
  reportedStatuses,
  reportPage,
  setReportResolved,
} from "../../../domain/reports.ts";
import { notFound } from "../../../errors.ts";
import { booleanParam } from "../../http.ts";
import { viewerId } from "../../middleware.ts";
import { readPage, setLinkHeader } from "../../pagination.ts";
import { renderStatuses } from "../../render.ts";
import { toApiAdminReport } from "../../serializers/admin.ts";
import type { ApiAdminReport, ApiDeps, ApiEnv } from "../../types.ts";
import { renderAdminAccounts } from "./accounts.ts";
import { requireAdmin } from "./require-admin.ts";

async function renderReports(
  deps: ApiDeps,
  viewer: string,
  reports: readonly Report[],
): Promise<ApiAdminReport[]> {
  const ids = [
    ...new Set(
      reports.flatMap((r) =>
        [r.accountId, r.targetAccountId, r.assignedAccountId, r.resolvedByAccountId].filter(
          (id): id is string => id !== null,
        ),
      ),
    ),
  ];
  const rendered = await renderAdminAccounts(deps, await findAdminAccounts(deps.db, ids));
  const accounts = new Map(rendered.map((a) => [a.id, a]));
  // The statuses they name that still exist, rendered once for the whole page.
  const named = await reportedStatuses(deps.db, reports);
  const statuses = new Map(
    (await renderStatuses(deps, [...named.values()], viewer)).map((s) => [s.id, s]),
  );
  return reports.map((report) =>
    toApiAdminReport(
      report,
      accounts,
      report.statusIds.flatMap((id) => statuses.get(id) ?? []),
    ),
  );
}

export function adminReportsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const read = requireAdmin(deps, "admin:read:reports");
  const write = requireAdmin(deps, "admin:write:reports");
  const one = async (id: string) => {
    const found = /^\d{1,20}$/.test(id) ? await findReport(deps.db, id) : undefined;
    if (found === undefined) throw notFound();
    return found.report;
  };
  const answer = async (c: Context<ApiEnv>, report: Report) =>
    c.json((await renderReports(deps, viewerId(c), [report]))[0]!);

  app.get("/", read, async (c) => {
    const page = readPage(c, 100, 200);
    const id = (name: string) => {
      const v = c.req.query(name);
      return v !== undefined && /^\d{1,20}$/.test(v) ? v : undefined;
    };
    const accountId = id("account_id");
    const targetAccountId = id("target_account_id");
    const reports = await reportPage(
      deps.db,
      {
        resolved: booleanParam(c.req.query("resolved")) === true,
        ...(accountId ? { accountId } : {}),
        ...(targetAccountId ? { targetAccountId } : {}),
      },
      page,
    );
    setLinkHeader(
      c,
      deps.config.origin,
      reports.map((r) => r.id),
      page.limit,
    );
    return c.json(await renderReports(deps, viewerId(c), reports));
  });

  app.get("/:id", read, async (c) => await answer(c, await one(c.req.param("id"))));

  app.post("/:id/assign_to_self", write, async (c) => {
    const report = await one(c.req.param("id"));
    return await answer(
      c,
      await assignReport(deps.db, report.id, viewerId(c), { moderatorId: viewerId(c) }),
    );
  });

  app.post("/:id/unassign", write, async (c) => {
    const report = await one(c.req.param("id"));
    return await answer(
      c,
      await assignReport(deps.db, report.id, null, { moderatorId: viewerId(c) }),
    );
  });

  for (const [action, resolved] of [
    ["resolve", true],
    ["reopen", false],
  ] as const) {
    app.post(`/:id/${action}`, write, async (c) => {
      const report = await one(c.req.param("id"));
      return await answer(
        c,
        await setReportResolved(deps.db, report.id, resolved, { moderatorId: viewerId(c) }),
      );
    });
  }

  return app;
}
