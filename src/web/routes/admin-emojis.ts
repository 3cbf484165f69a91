// Administration of the custom emojis: the page, add (a multipart form with the image), disable or
// enable, and remove, each a CSRF-checked POST that redirects back with a notice (a refused form is
// shown again with the reason).
import type { Hono, MiddlewareHandler } from "hono";
import { formFields } from "../../api/http.ts";
import { listLocalEmojis } from "../../db/queries/emojis.ts";
import {
  addLocalEmoji,
  removeLocalEmoji,
  setLocalEmojiDisabled,
} from "../../domain/custom-emojis.ts";
import { countOpenReports } from "../../domain/reports.ts";
import { AppError, badRequest } from "../../errors.ts";
import type { MessageKey } from "../../i18n/index.ts";
import { EMOJI_MAX_BYTES } from "../../media/emoji.ts";
import { translatorOf, type WebContext, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, signedIn, viewOf } from "../helpers.ts";
import { doneNotice } from "../notices.ts";
import { emojisPage } from "../pages/admin-emojis.ts";
import { verifyCsrf } from "../security.ts";
import { requireAdmin } from "./admin.ts";

const notices = {
  added: "z_admin.done.emojis.added",
  removed: "z_admin.done.emojis.removed",
  disabled: "z_admin.done.emojis.disabled",
  enabled: "z_admin.done.emojis.enabled",
} as const satisfies Record<string, MessageKey>;

export function adminEmojiRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config, urls } = deps;
  const render = async (c: WebContext, notice?: { kind: "ok" | "error"; text: string }) =>
    emojisPage(
      viewOf(c, deps),
      urls,
      await listLocalEmojis(db),
      await countOpenReports(db),
      notice,
    );
  const adminForm = async (c: WebContext) => {
    requireAdmin(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    return form;
  };

  web.get("/admin/emojis", page, signedIn, async (c) => {
    requireAdmin(c);
    return c.html(await render(c, doneNotice(translatorOf(c), notices, c.req.query("done"))));
  });

  web.post("/admin/emojis", page, signedIn, async (c) => {
    requireAdmin(c);
    // The body as a whole is bounded as it streams in (src/http/body-limit.ts); the image on its own here.
    const body = await c.req.parseBody();
    const fields = formFields(Object.entries(body));
    verifyCsrf(c, fields.csrf, config.origin);
    try {
      const file = body.file;
      if (!(file instanceof File) || file.size === 0)
        throw badRequest(translatorOf(c)("z_admin.errors.chooseImage"));
      if (file.size > EMOJI_MAX_BYTES) {
        throw new AppError(
          "payload_too_large",
          translatorOf(c)("z_admin.errors.emojiTooLarge", { kb: EMOJI_MAX_BYTES / 1024 }),
        );
      }
      await addLocalEmoji(db, deps.media.store, deps.media.limits.maxPixels, {
        shortcode: fields.shortcode ?? "",
        image: new Uint8Array(await file.arrayBuffer()),
        category: fields.category ?? null,
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      return c.html(await render(c, { kind: "error", text: error.message }), error.status as 400);
    }
    return c.redirect("/admin/emojis?done=added", 303);
  });

  web.post(
    "/admin/emojis/:shortcode{[A-Za-z0-9_]+}/:action{disable|enable}",
    page,
    signedIn,
    async (c) => {
      await adminForm(c);
      const action = c.req.param("action");
      await setLocalEmojiDisabled(db, c.req.param("shortcode"), action === "disable");
      return c.redirect(`/admin/emojis?done=${action}d`, 303);
    },
  );

  web.post("/admin/emojis/:shortcode{[A-Za-z0-9_]+}/delete", page, signedIn, async (c) => {
    await adminForm(c);
    await removeLocalEmoji(db, c.req.param("shortcode"));
    return c.redirect("/admin/emojis?done=removed", 303);
  });
}
