// Compose: generate from a prompt (or remix another post's prompt), follow the job's progress (a JSON
// endpoint polled by app.js, a refresh without JavaScript), pick one or several candidates and post them; or upload
// one's own images, now or at a chosen time (the scheduler); or ask a question (a poll). The rules live in the
// generation service, publishStatus and the scheduler; this file parses and redirects.
import type { Hono, MiddlewareHandler } from "hono";
import { formFields } from "../../api/http.ts";
import type { Visibility } from "../../db/queries/rows.ts";
import { POLL_LIMITS } from "../../domain/polls.ts";
import { remixPromptFor, startRemix } from "../../domain/remix.ts";
import { publishStatus } from "../../domain/statuses.ts";
import { AppError, badRequest } from "../../errors.ts";
import { KNOWN_OPENAI_MODELS } from "../../generation/job-request.ts";
import type { Translator } from "../../i18n/index.ts";
import { ALT_TEXT_MAX_LENGTH } from "../../media/service.ts";
import { statusPath } from "../components/account.ts";
import { imageUrls } from "../components/media.ts";
import { translatorOf, type WebContext, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, sessionOf, signedIn, viewOf } from "../helpers.ts";
import {
  type ComposeOptions,
  composePage,
  jobProgressPage,
  jobResultPage,
} from "../pages/compose.ts";
import { verifyCsrf } from "../security.ts";
import { scheduleTimeOf } from "./scheduled.ts";

const ID = /^\d{1,20}$/;
const VISIBILITIES: readonly Visibility[] = ["public", "unlisted", "private"];

function visibilityOf(t: Translator, value: string | undefined): Visibility {
  const v = (value ?? "public") as Visibility;
  if (!VISIBILITIES.includes(v)) throw badRequest(t("c_compose.errors.visibility"));
  return v;
}

export function composeRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config, urls, generation } = deps;
  const statusDeps = { db, urls, config, events: deps.events };

  const options = (): ComposeOptions => {
    const provider = generation.provider;
    const models =
      provider.name === "openai"
        ? [...new Set([provider.defaultModel, ...KNOWN_OPENAI_MODELS])]
        : [provider.defaultModel];
    return {
      models,
      defaultModel: provider.defaultModel,
      sizes: provider.capabilities(provider.defaultModel).sizes,
      maxAttachments: config.media.maxAttachments,
    };
  };

  /** The form's "schedule for" time, checked before anything is stored (null: post now). */
  const scheduleOf = (c: WebContext, form: Record<string, string>) =>
    scheduleTimeOf(translatorOf(c), form.scheduled_at, deps.scheduledStatuses.now());

  const publishFrom = async (
    c: WebContext,
    accountId: string,
    form: Record<string, string>,
    mediaIds: readonly string[],
  ) => {
    const cw = (form.cw ?? "").trim();
    // A candidate has its own alt text field, pre-filled with its drafted description; left empty, the
    // stored description (the draft, or the upload's) stands.
    const media = mediaIds.map((id) => {
      const alt = (form[`alt_${id}`] ?? "").trim();
      return { id, ...(alt !== "" ? { description: alt } : {}) };
    });
    const input = {
      text: form.text ?? "",
      media,
      spoilerText: cw,
      // Without a content warning the user's default (preferences) decides.
      ...(cw !== "" ? { sensitive: true } : {}),
      visibility: visibilityOf(translatorOf(c), form.visibility),
      datasetOptOut: form.dataset_opt_out === "1",
    };
    const at = scheduleOf(c, form);
    if (at !== null) {
      // The API's scheduler: the same checks, limits and publishing as POST /api/v1/statuses.
      await deps.scheduledStatuses.schedule(accountId, input, at);
      return c.redirect("/scheduled?scheduled=1", 303);
    }
    const status = await publishStatus(statusDeps, accountId, input);
    const session = c.get("session")!;
    return c.redirect(statusPath(session.account, status.id), 303);
  };

  web.get("/compose", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const remix = c.req.query("remix");
    if (remix !== undefined && ID.test(remix)) {
      // A post the viewer may not remix (or see) pre-fills nothing, exactly like an unknown id.
      const origin = await remixPromptFor(db, session.account.id, remix);
      return c.html(
        composePage(viewOf(c, deps), options(), {
          ...(origin ?? {}),
          remixOf: remix,
        }),
      );
    }
    return c.html(composePage(viewOf(c, deps), options(), {}));
  });

  web.post("/compose/generate", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    const input = {
      prompt: (form.prompt ?? "").trim(),
      negativePrompt: (form.negative_prompt ?? "").trim() || undefined,
      size: form.size || undefined,
      model: form.model || undefined,
    };
    try {
      const remixOf = form.remix_of;
      const job =
        remixOf !== undefined && ID.test(remixOf)
          ? await startRemix({ db, generation }, session.account.id, remixOf, input)
          : await generation.request(session.account.id, input);
      return c.redirect(`/compose/jobs/${job.id}`, 303);
    } catch (error) {
      // A refused prompt (policy, quota, bad size) is shown on the form, keeping what was typed.
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      return c.html(
        composePage(
          viewOf(c, deps),
          options(),
          {
            prompt: input.prompt,
            negativePrompt: input.negativePrompt ?? "",
            ...(input.size ? { size: input.size } : {}),
            ...(input.model ? { model: input.model } : {}),
            ...(form.remix_of && ID.test(form.remix_of) ? { remixOf: form.remix_of } : {}),
          },
          error.message,
        ),
        error.status as 400,
      );
    }
  });

  web.get("/compose/jobs/:id{[0-9]+\\.json}", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const id = c.req.param("id").replace(/\.json$/, "");
    const { job, candidates } = await generation.get(session.account.id, id);
    return c.json({ id: job.id, state: job.state, candidates: candidates.length });
  });

  web.get("/compose/jobs/:id{[0-9]+}", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const { job, candidates, verdicts } = await generation.get(
      session.account.id,
      c.req.param("id"),
    );
    if (job.state === "queued" || job.state === "running") {
      return c.html(jobProgressPage(viewOf(c, deps), job));
    }
    const shown = candidates.flatMap((m, i) => {
      const u = imageUrls(m, urls);
      const verdict = verdicts[i];
      return u === null
        ? []
        : [
            {
              media: m,
              url: u.thumbnail,
              flagged: verdict?.flagged ? verdict.categories : undefined,
            },
          ];
    });
    return c.html(
      jobResultPage(viewOf(c, deps), job, shown, options(), config.generation.outputPolicy),
    );
  });

  web.post("/compose/post", page, signedIn, async (c) => {
    const session = sessionOf(c);
    // Several candidates may be picked (checkboxes named "media"): every value is read.
    const body = await c.req.parseBody({ all: true });
    const form = formFields(Object.entries(body));
    verifyCsrf(c, form.csrf, config.origin);
    const jobId = form.job ?? "";
    const mediaIds = [body.media ?? []].flat().filter((v): v is string => typeof v === "string");
    const pickOne = () => badRequest(translatorOf(c)("c_compose.errors.pickImage"));
    if (!ID.test(jobId) || mediaIds.length === 0 || !mediaIds.every((id) => ID.test(id)))
      throw pickOne();
    const { candidates } = await generation.get(session.account.id, jobId);
    if (!mediaIds.every((id) => candidates.some((m) => m.id === id))) throw pickOne();
    // How many a post may carry is publishStatus's rule (MAX_MEDIA_ATTACHMENTS).
    return await publishFrom(c, session.account.id, form, mediaIds);
  });

  web.post("/compose/poll", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    const options = Array.from({ length: POLL_LIMITS.maxOptions }, (_, i) =>
      (form[`option_${i}`] ?? "").trim(),
    ).filter((o) => o !== "");
    // The domain refuses what is out of bounds (two to four answers, their length, the duration).
    const status = await publishStatus(statusDeps, session.account.id, {
      text: form.text ?? "",
      visibility: visibilityOf(translatorOf(c), form.visibility),
      poll: {
        options,
        expiresIn: Number(form.expires_in),
        multiple: form.multiple === "true",
        hideTotals: form.hide_totals === "true",
      },
    });
    return c.redirect(statusPath(session.account, status.id), 303);
  });

  web.post("/compose/upload", page, signedIn, async (c) => {
    const session = sessionOf(c);
    // The body as a whole is bounded as it streams in (src/http/body-limit.ts: one upload's size per
    // image a post may carry); each file on its own here.
    const body = await c.req.parseBody({ all: true });
    const fields = formFields(Object.entries(body));
    verifyCsrf(c, fields.csrf, config.origin);
    const t = translatorOf(c);
    const files = [body.file ?? []]
      .flat()
      .filter((f): f is File => f instanceof File && f.size > 0);
    if (files.length === 0) throw badRequest(t("c_compose.errors.chooseImage"));
    // Refused before any image is stored, as publishStatus would refuse the post after.
    const max = config.media.maxAttachments;
    if (files.length > max) throw badRequest(t("c_compose.errors.tooMany", { count: max }));
    if (files.some((f) => f.size > config.media.maxUploadBytes)) {
      throw new AppError("payload_too_large", t("c_compose.errors.tooLarge"));
    }
    // A refused time is refused before the image is stored.
    scheduleOf(c, fields);
    // With several images the alt text field holds one line per image, in the order they were chosen;
    // a single image takes the whole text, line breaks and all.
    const alt = fields.alt ?? "";
    const alts = (files.length === 1 ? [alt] : alt.split(/\r?\n/)).map((a) => a.trim());
    // Checked for every image before the first is stored, so a refused post leaves no image behind.
    if (alts.some((a) => a.length > ALT_TEXT_MAX_LENGTH)) {
      throw badRequest(t("c_compose.errors.altTooLong", { max: t.number(ALT_TEXT_MAX_LENGTH) }));
    }
    const ids: string[] = [];
    for (const [n, file] of files.entries()) {
      const media = await deps.media.ingest(
        session.account.id,
        new Uint8Array(await file.arrayBuffer()),
        { description: alts[n] || null },
      );
      ids.push(media.id);
    }
    return await publishFrom(c, session.account.id, fields, ids);
  });
}
