// Administration of announcements: the page, publish, edit and remove, each a CSRF-checked POST that
// redirects back with a notice (a refused form is shown again with the reason).
import type { Hono, MiddlewareHandler } from "hono";
import { allAnnouncements, isCurrent } from "../../db/queries/announcements.ts";
import {
  type AnnouncementInput,
  createAnnouncement,
  removeAnnouncement,
  updateAnnouncement,
} from "../../domain/announcements.ts";
import { countOpenReports } from "../../domain/reports.ts";
import { AppError, badRequest, notFound } from "../../errors.ts";
import type { MessageKey, Translator } from "../../i18n/index.ts";
import { translatorOf, type WebContext, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, signedIn, viewOf } from "../helpers.ts";
import { doneNotice } from "../notices.ts";
import { announcementsPage } from "../pages/admin-announcements.ts";
import { verifyCsrf } from "../security.ts";
import { requireAdmin } from "./admin.ts";

const notices = {
  published: "z_admin.done.announcements.published",
  saved: "z_admin.done.announcements.saved",
  removed: "z_admin.done.announcements.removed",
} as const satisfies Record<string, MessageKey>;

/** A datetime-local value (UTC), or null when empty. */
function dateOf(t: Translator, value: string | undefined): Date | null {
  const v = (value ?? "").trim();
  if (v === "") return null;
  const date = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : `${v}Z`);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(date.getTime())) {
    throw badRequest(t("z_admin.errors.date"));
  }
  return date;
}

const inputOf = (t: Translator, form: Record<string, string>): AnnouncementInput => ({
  text: form.text ?? "",
  startsAt: dateOf(t, form.starts_at),
  endsAt: dateOf(t, form.ends_at),
  allDay: form.all_day === "1",
});

export function adminAnnouncementRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config } = deps;
  const render = async (c: WebContext, notice?: { kind: "ok" | "error"; text: string }) =>
    announcementsPage(
      viewOf(c, deps),
      (await allAnnouncements(db)).map((announcement) => ({
        announcement,
        current: isCurrent(announcement),
      })),
      await countOpenReports(db),
      notice,
    );
  const adminForm = async (c: WebContext) => {
    requireAdmin(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    return form;
  };
  /** Runs a change; a refused one shows the page again with the reason (400). */
  const attempt = async (c: WebContext, change: () => Promise<unknown>, done: string) => {
    try {
      await change();
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      return c.html(await render(c, { kind: "error", text: error.message }), 400);
    }
    return c.redirect(`/admin/announcements?done=${done}`, 303);
  };

  web.get("/admin/announcements", page, signedIn, async (c) => {
    requireAdmin(c);
    return c.html(await render(c, doneNotice(translatorOf(c), notices, c.req.query("done"))));
  });

  web.post("/admin/announcements", page, signedIn, async (c) => {
    const form = await adminForm(c);
    return attempt(
      c,
      async () => await createAnnouncement(db, inputOf(translatorOf(c), form)),
      "published",
    );
  });

  web.post("/admin/announcements/:id{[0-9]+}", page, signedIn, async (c) => {
    const form = await adminForm(c);
    return attempt(
      c,
      async () => await updateAnnouncement(db, c.req.param("id"), inputOf(translatorOf(c), form)),
      "saved",
    );
  });

  web.post("/admin/announcements/:id{[0-9]+}/delete", page, signedIn, async (c) => {
    await adminForm(c);
    if (!(await removeAnnouncement(db, c.req.param("id"))))
      throw notFound(translatorOf(c)("z_admin.errors.noAnnouncement"));
    return c.redirect("/admin/announcements?done=removed", 303);
  });
}
