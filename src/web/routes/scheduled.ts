// Scheduled posts on the pages: the list and cancelling, through the scheduler the API uses
// (domain/scheduled-statuses.ts); scheduling itself is the compose form's "schedule for" field.
import type { Hono, MiddlewareHandler } from "hono";
import { heldMedia, listScheduledStatuses } from "../../db/queries/scheduled-statuses.ts";
import { tooSoonToSchedule } from "../../domain/scheduled-statuses.ts";
import { badRequest } from "../../errors.ts";
import type { Translator } from "../../i18n/index.ts";
import { imageUrls } from "../components/media.ts";
import type { WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, sessionOf, signedIn, viewOf } from "../helpers.ts";
import { type ScheduledView, scheduledPage } from "../pages/scheduled.ts";
import { verifyCsrf } from "../security.ts";

// Mastodon allows 300 scheduled statuses an account; the page shows them all at once.
const SHOWN_MAX = 300;

/**
 * The compose form's "schedule for" value (a datetime-local input, read as UTC): null when empty, a
 * 400 with a message the form's user understands when unreadable or under five minutes ahead.
 */
export function scheduleTimeOf(t: Translator, value: string | undefined, now: Date): Date | null {
  const v = (value ?? "").trim();
  if (v === "") return null;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?$/.exec(v);
  const at = m ? new Date(`${m[1]}T${m[2]}${m[3] ?? ":00"}Z`) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) {
    throw badRequest(t("c_scheduled.errors.badTime"));
  }
  if (tooSoonToSchedule(at, now)) {
    throw badRequest(t("c_scheduled.errors.tooSoon"));
  }
  return at;
}

export function scheduledRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config, urls } = deps;

  web.get("/scheduled", page, signedIn, async (c) => {
    const rows = await listScheduledStatuses(db, sessionOf(c).account.id, { limit: SHOWN_MAX });
    const media = await heldMedia(
      db,
      rows.map((r) => r.id),
    );
    const items: ScheduledView[] = rows
      .map((scheduled) => ({
        scheduled,
        images: (media.get(scheduled.id) ?? []).flatMap((m) => {
          const u = imageUrls(m, urls);
          return u === null ? [] : [{ media: m, url: u.thumbnail }];
        }),
      }))
      .sort((a, b) => a.scheduled.scheduledAt.getTime() - b.scheduled.scheduledAt.getTime());
    const view = viewOf(c, deps);
    const notice =
      c.req.query("scheduled") === "1"
        ? view.t("c_scheduled.scheduled")
        : c.req.query("cancelled") === "1"
          ? view.t("c_scheduled.cancelled")
          : undefined;
    return c.html(scheduledPage(view, items, notice));
  });

  web.post("/scheduled/:id{[0-9]+}/cancel", page, signedIn, async (c) => {
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    await deps.scheduledStatuses.cancel(sessionOf(c).account.id, c.req.param("id"));
    return c.redirect("/scheduled?cancelled=1", 303);
  });
}
