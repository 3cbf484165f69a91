// Administration of sign-up: the registration mode, the sign-ups waiting for approval (approve,
// reject), invite links and blocked e-mail domains, the same domain functions as the CLI's `user approve`
// / `user reject` / `invite create` / `email-domain block`. CSRF-checked POSTs that redirect back with a notice.
import type { Hono, MiddlewareHandler } from "hono";
import {
  blockEmailDomain,
  listEmailDomainBlocks,
  unblockEmailDomain,
} from "../../domain/email-domain-blocks.ts";
import { createInvite, listInvites } from "../../domain/invites.ts";
import {
  approveSignUp,
  listPendingAccounts,
  registrationMode,
  rejectSignUp,
  setRegistrationMode,
} from "../../domain/registrations.ts";
import { countOpenReports } from "../../domain/reports.ts";
import type { MessageKey } from "../../i18n/index.ts";
import { translatorOf, type WebContext, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, signedIn, viewOf } from "../helpers.ts";
import { doneNotice } from "../notices.ts";
import { registrationsPage } from "../pages/admin-registrations.ts";
import { verifyCsrf } from "../security.ts";
import { requireAdmin } from "./admin.ts";

const notices = {
  saved: "z_admin.done.registrations.saved",
  approved: "z_admin.done.registrations.approved",
  rejected: "z_admin.done.registrations.rejected",
  invited: "z_admin.done.registrations.invited",
  "email-blocked": "z_admin.done.registrations.emailBlocked",
  "email-unblocked": "z_admin.done.registrations.emailUnblocked",
} as const satisfies Record<string, MessageKey>;

export function adminRegistrationRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config } = deps;
  const mail = { mailer: deps.mailer, instanceName: config.instanceName, origin: config.origin };
  const adminForm = async (c: WebContext) => {
    requireAdmin(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    return form;
  };

  web.get("/admin/registrations", page, signedIn, async (c) => {
    requireAdmin(c);
    return c.html(
      registrationsPage(
        viewOf(c, deps),
        await registrationMode(db, config.registrations),
        await listPendingAccounts(db),
        await listInvites(db),
        await listEmailDomainBlocks(db),
        await countOpenReports(db),
        doneNotice(translatorOf(c), notices, c.req.query("done")),
      ),
    );
  });

  web.post("/admin/registrations", page, signedIn, async (c) => {
    const form = await adminForm(c);
    await setRegistrationMode(db, form.mode ?? "");
    return c.redirect("/admin/registrations?done=saved", 303);
  });

  web.post("/admin/invites", page, signedIn, async (c) => {
    const form = await adminForm(c);
    // Empty fields: no limit. The domain checks the numbers (400 with the reason).
    const number = (v: string | undefined) => ((v ?? "").trim() === "" ? null : Number(v));
    await createInvite(db, { maxUses: number(form.uses), days: number(form.days) });
    return c.redirect("/admin/registrations?done=invited", 303);
  });

  web.post("/admin/email-domain-blocks", page, signedIn, async (c) => {
    const form = await adminForm(c);
    await blockEmailDomain(db, form.domain ?? "", { moderatorId: requireAdmin(c).account.id });
    return c.redirect("/admin/registrations?done=email-blocked", 303);
  });

  web.post("/admin/email-domain-blocks/:domain/remove", page, signedIn, async (c) => {
    await adminForm(c);
    await unblockEmailDomain(db, c.req.param("domain"), {
      moderatorId: requireAdmin(c).account.id,
    });
    return c.redirect("/admin/registrations?done=email-unblocked", 303);
  });

  web.post("/admin/registrations/:username/approve", page, signedIn, async (c) => {
    await adminForm(c);
    await approveSignUp(db, c.req.param("username"), mail);
    return c.redirect("/admin/registrations?done=approved", 303);
  });

  web.post("/admin/registrations/:username/reject", page, signedIn, async (c) => {
    await adminForm(c);
    await rejectSignUp(db, c.req.param("username"), mail);
    return c.redirect("/admin/registrations?done=rejected", 303);
  });
}
