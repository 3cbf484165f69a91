// Administration pages: users, generation spending, domain blocks (the same domain functions as the
// CLI) and reports (remote Flags included). Administrators only (403 for everyone else); every change
// is a CSRF-checked POST that redirects back with a notice.

import type { Hono, MiddlewareHandler } from "hono";
import { listLocalUsers } from "../../domain/accounts.ts";
import { blockDomain, listDomainBlocks, unblockDomain } from "../../domain/moderation.ts";
import { moderationLogPage } from "../../domain/moderation-log.ts";
import {
  countOpenReports,
  findReport,
  listReports,
  setReportResolved,
} from "../../domain/reports.ts";
import type { ActiveSession } from "../../domain/sessions.ts";
import { suspendLocalAccount, unsuspendLocalAccount } from "../../domain/suspensions.ts";
import { AppError, badRequest, forbidden, notFound } from "../../errors.ts";
import { spendingSummary, startOfUtcDay } from "../../generation/quota.ts";
import {
  spendingByAccount,
  spendingByDay,
  spendingTotal,
} from "../../generation/spending-report.ts";
import type { MessageKey } from "../../i18n/index.ts";
import { translatorOf, type WebContext, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, sessionOf, signedIn, viewOf } from "../helpers.ts";
import { doneNotice } from "../notices.ts";
import { adminPage } from "../pages/admin.ts";
import { auditLogPage } from "../pages/admin-audit.ts";
import { domainBlocksPage, reportPage, reportsPage } from "../pages/admin-moderation.ts";
import { spendingPage } from "../pages/admin-spending.ts";
import { verifyCsrf } from "../security.ts";

/** The signed-in administrator (the route is behind signedIn), or a 403. */
export function requireAdmin(c: WebContext): ActiveSession {
  const session = sessionOf(c);
  if (!session.user.admin) throw forbidden(translatorOf(c)("z_admin.errors.adminsOnly"));
  return session;
}

const monthStart = (month: string) => new Date(`${month}-01T00:00:00Z`);
const monthOf = (d: Date) => d.toISOString().slice(0, 7);
const addMonths = (d: Date, n: number) =>
  new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));

const notices = {
  blocked: "z_admin.done.users.blocked",
  unblocked: "z_admin.done.users.unblocked",
  suspended: "z_admin.done.users.suspended",
  unsuspended: "z_admin.done.users.unsuspended",
} as const satisfies Record<string, MessageKey>;

const AUDIT_PAGE = 50;

export function adminRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config } = deps;

  /** Admin check first (403 without reading the body), then the form and its CSRF token. */
  const adminForm = async (c: WebContext) => {
    requireAdmin(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    return form;
  };

  web.get("/admin", page, signedIn, async (c) => {
    requireAdmin(c);
    const notice = doneNotice(translatorOf(c), notices, c.req.query("done"));
    return c.html(
      adminPage(viewOf(c, deps), await listLocalUsers(db), await countOpenReports(db), notice),
    );
  });

  // Suspending and unsuspending: the same domain functions as `user suspend` / `user unsuspend`.
  for (const action of ["suspend", "unsuspend"] as const) {
    web.post(`/admin/users/:username/${action}`, page, signedIn, async (c) => {
      await adminForm(c);
      const username = c.req.param("username");
      if (c.get("session")?.account.username.toLowerCase() === username.toLowerCase()) {
        throw badRequest(translatorOf(c)("z_admin.errors.suspendSelf"));
      }
      try {
        const by = { moderatorId: requireAdmin(c).account.id };
        if (action === "suspend") await suspendLocalAccount(db, username, by);
        else await unsuspendLocalAccount(db, username, by);
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 409) throw error;
        return c.html(
          adminPage(viewOf(c, deps), await listLocalUsers(db), await countOpenReports(db), {
            kind: "error",
            text: error.message,
          }),
          409,
        );
      }
      return c.redirect(`/admin?done=${action}ed`, 303);
    });
  }

  web.get("/admin/audit", page, signedIn, async (c) => {
    requireAdmin(c);
    const before = c.req.query("max_id");
    if (before !== undefined && !/^\d{1,20}$/.test(before))
      throw badRequest(translatorOf(c)("z_admin.errors.maxId"));
    const rows = await moderationLogPage(db, AUDIT_PAGE + 1, before);
    const more = rows.length > AUDIT_PAGE;
    const shown = rows.slice(0, AUDIT_PAGE);
    return c.html(
      auditLogPage(
        viewOf(c, deps),
        shown,
        await countOpenReports(db),
        more ? shown[shown.length - 1]!.entry.id : null,
      ),
    );
  });

  web.get("/admin/spending", page, signedIn, async (c) => {
    requireAdmin(c);
    const now = new Date();
    const asked = c.req.query("month");
    if (asked !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(asked)) {
      throw badRequest(translatorOf(c)("z_admin.errors.month"));
    }
    const from = monthStart(asked ?? monthOf(now));
    const to = addMonths(from, 1);
    const today = startOfUtcDay(now);
    return c.html(
      spendingPage(viewOf(c, deps), {
        month: monthOf(from),
        previousMonth: monthOf(addMonths(from, -1)),
        nextMonth: to <= now ? monthOf(to) : null,
        total: await spendingTotal(db, from, to),
        today: await spendingTotal(db, today, new Date(today.getTime() + 86_400_000)),
        budgetUsd: config.generation.monthlyBudgetUsd,
        dailyQuota: config.generation.dailyQuota,
        days: await spendingByDay(db, from, to),
        byAccount: await spendingByAccount(db, from, to),
        byModel: (await spendingSummary(db, from)).filter((r) => r.month === monthOf(from)),
        openReports: await countOpenReports(db),
      }),
    );
  });

  web.get("/admin/domain_blocks", page, signedIn, async (c) => {
    requireAdmin(c);
    const t = translatorOf(c);
    const done = c.req.query("done");
    const notice =
      done === "not-blocked"
        ? { kind: "error" as const, text: t("z_admin.done.users.notBlocked") }
        : doneNotice(t, notices, done);
    return c.html(
      domainBlocksPage(
        viewOf(c, deps),
        await listDomainBlocks(db),
        await countOpenReports(db),
        notice,
      ),
    );
  });

  web.post("/admin/domain_blocks", page, signedIn, async (c) => {
    const form = await adminForm(c);
    try {
      await blockDomain(
        db,
        form.domain ?? "",
        {
          publicComment: form.reason ?? "",
          privateComment: form.private_comment ?? null,
          obfuscate: form.obfuscate === "1",
        },
        { moderatorId: requireAdmin(c).account.id },
      );
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      return c.html(
        domainBlocksPage(viewOf(c, deps), await listDomainBlocks(db), await countOpenReports(db), {
          kind: "error",
          text: error.message,
        }),
        400,
      );
    }
    return c.redirect("/admin/domain_blocks?done=blocked", 303);
  });

  web.post("/admin/domain_blocks/delete", page, signedIn, async (c) => {
    const form = await adminForm(c);
    const removed = await unblockDomain(db, form.domain ?? "", {
      moderatorId: requireAdmin(c).account.id,
    });
    return c.redirect(`/admin/domain_blocks?done=${removed ? "unblocked" : "not-blocked"}`, 303);
  });

  web.get("/admin/reports", page, signedIn, async (c) => {
    requireAdmin(c);
    const state = c.req.query("state") === "resolved" ? "resolved" : "open";
    return c.html(
      reportsPage(viewOf(c, deps), state, await listReports(db, state), await countOpenReports(db)),
    );
  });

  const reportOf = async (c: WebContext) => {
    const id = c.req.param("id") ?? "";
    const report = /^\d{1,20}$/.test(id) ? await findReport(db, id) : undefined;
    if (report === undefined) throw notFound(translatorOf(c)("z_admin.errors.noReport"));
    return report;
  };

  web.get("/admin/reports/:id", page, signedIn, async (c) => {
    requireAdmin(c);
    return c.html(reportPage(viewOf(c, deps), await reportOf(c), await countOpenReports(db)));
  });

  for (const [action, resolved] of [
    ["resolve", true],
    ["reopen", false],
  ] as const) {
    web.post(`/admin/reports/:id/${action}`, page, signedIn, async (c) => {
      await adminForm(c);
      const report = await reportOf(c);
      await setReportResolved(db, report.report.id, resolved, {
        moderatorId: requireAdmin(c).account.id,
      });
      return c.redirect(`/admin/reports/${report.report.id}`, 303);
    });
  }
}
