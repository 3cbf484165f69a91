// The studio pages: sessions and "my creations" (/studio), a session's steps (/studio/:session), and
// the forms that start a session or add a step. Each asks the generation service the API asks
// (GenerationService: list, sessions, session, request; the rules in generation/studio.ts), so whose
// session it is, what a step may work on and how a mask is checked are decided there; this file parses
// forms and redirects. Posting a step goes through compose's job page, the composer's own flow.
import type { Hono, MiddlewareHandler } from "hono";
import { formFields } from "../../api/http.ts";
import { AppError, badRequest } from "../../errors.ts";
import type { JobWithCandidates } from "../../generation/job-store.ts";
import type { MaskRegion } from "../../generation/mask-region.ts";
import { GENERATION_KINDS } from "../../generation/studio.ts";
import type { Translator } from "../../i18n/index.ts";
import { DISPLAY_MAX_SIDE, THUMBNAIL_MAX_SIDE } from "../../media/pipeline.ts";
import { imageUrls } from "../components/media.ts";
import { translatorOf, type WebContext, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, sessionOf, signedIn, viewOf } from "../helpers.ts";
import { type StudioOptions, type StudioStepView, studioIndexPage } from "../pages/studio.ts";
import { type StudioSession, studioSessionPage } from "../pages/studio-session.ts";
import { verifyCsrf } from "../security.ts";

const ID = /^\d{1,20}$/;
const SESSIONS_PER_PAGE = 10;
const CREATIONS_PER_PAGE = 20;
const QUERY_MAX_LENGTH = 200;

/** A keyset cursor from the query string: an id, or undefined; anything else is a 400. */
function cursorOf(c: WebContext, name: string): string | undefined {
  const v = c.req.query(name);
  if (v === undefined || v === "") return undefined;
  if (!ID.test(v)) throw badRequest(translatorOf(c)("c_studio.errors.cursor", { name }));
  return v;
}

/** The width of a variant the pipeline fits inside `side`² without enlarging (media/pipeline.ts). */
function fittedWidth(width: number, height: number, side: number): number {
  return Math.round(width * Math.min(1, side / width, side / height));
}

/** Which steps a session page shows side by side and works from: ids of its own steps, else a 400. */
function sessionChoices(
  c: WebContext,
  steps: StudioStepView[],
): Omit<StudioSession, "sessionId" | "steps"> {
  const ofSession = (id: string) => steps.find((s) => s.job.id === id);
  const compare = c.req.query("compare");
  const from = c.req.query("from");
  const choices: { compare?: [string, string]; fromId?: string } = {};
  if (compare !== undefined && compare !== "") {
    const ids = compare.split(",");
    if (ids.length !== 2 || ids[0] === ids[1] || !ids.every((id) => ofSession(id) !== undefined)) {
      throw badRequest(translatorOf(c)("c_studio.errors.compare"));
    }
    choices.compare = [ids[0]!, ids[1]!];
  }
  if (from !== undefined && from !== "") {
    const step = ofSession(from);
    if (step === undefined || step.job.state !== "succeeded" || step.images.length === 0) {
      throw badRequest(translatorOf(c)("c_studio.errors.from"));
    }
    choices.fromId = from;
  }
  return choices;
}

const REGION_FIELDS = ["mask_left", "mask_top", "mask_width", "mask_height"] as const;

/**
 * The rectangle typed into the inpaint form (percent of the picture; the domain checks its bounds), or
 * undefined when none of its fields is filled. A half-filled one is a 400 saying what is missing.
 */
function regionOf(t: Translator, form: Record<string, string | undefined>): MaskRegion | undefined {
  const values = REGION_FIELDS.map((name) => (form[name] ?? "").trim());
  if (values.every((v) => v === "")) return undefined;
  if (values.some((v) => v === "" || !/^\d+(\.\d+)?$/.test(v))) {
    throw badRequest(t("c_studio.errors.region"));
  }
  const [left, top, width, height] = values.map(Number) as [number, number, number, number];
  return { left, top, width, height };
}

/** A refusal the user can act on (a bad instruction, a mask of the wrong size): shown on the page. */
function shownRefusal(error: unknown): AppError | undefined {
  return error instanceof AppError && error.status < 500 ? error : undefined;
}

export function studioRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { config, urls, generation } = deps;

  const options = (): StudioOptions => {
    const provider = generation.provider;
    const caps = provider.capabilities(provider.defaultModel);
    return { sizes: caps.sizes, canEdit: caps.edit && provider.edit !== undefined };
  };

  const stepView = (t: Translator, { job, candidates }: JobWithCandidates): StudioStepView => ({
    job,
    images: candidates.flatMap((m, i) => {
      const u = imageUrls(m, urls);
      if (u === null) return [];
      const { width, height } = m;
      // Both files are offered when they differ in width, so a phone need not load the display file.
      const widths =
        width && height && u.thumbnail !== u.full
          ? [
              fittedWidth(width, height, THUMBNAIL_MAX_SIDE),
              fittedWidth(width, height, DISPLAY_MAX_SIDE),
            ]
          : undefined;
      return [
        {
          url: u.thumbnail,
          full: u.full,
          ...(widths && widths[0] !== widths[1]
            ? { srcset: `${u.thumbnail} ${widths[0]}w, ${u.full} ${widths[1]}w` }
            : {}),
          width,
          height,
          alt: m.description ?? t("c_studio.imageN", { n: t.number(i + 1) }),
        },
      ];
    }),
  });

  const withImages = async (t: Translator, accountId: string, jobs: { id: string }[]) =>
    await Promise.all(jobs.map(async (j) => stepView(t, await generation.get(accountId, j.id))));

  const indexPage = async (c: WebContext, error?: AppError, prompt?: string) => {
    const accountId = sessionOf(c).account.id;
    const t = translatorOf(c);
    const q = (c.req.query("q") ?? "").trim().slice(0, QUERY_MAX_LENGTH);
    const sessions = await generation.sessions(accountId, {
      maxId: cursorOf(c, "sessions_max_id"),
      limit: SESSIONS_PER_PAGE,
    });
    const creations = await generation.list(
      accountId,
      { maxId: cursorOf(c, "max_id"), limit: CREATIONS_PER_PAGE },
      q,
    );
    // A full page may have more after it; the next page starts below its last (oldest) id.
    const next = (jobs: { id: string }[], limit: number) =>
      jobs.length === limit ? jobs[jobs.length - 1]!.id : null;
    return c.html(
      studioIndexPage(
        viewOf(c, deps),
        options(),
        {
          sessions: await withImages(t, accountId, sessions),
          sessionsNext: next(sessions, SESSIONS_PER_PAGE),
          creations: await withImages(t, accountId, creations),
          creationsNext: next(creations, CREATIONS_PER_PAGE),
          q,
          ...(prompt !== undefined ? { prompt } : {}),
        },
        error?.message,
      ),
      (error?.status ?? 200) as 200,
    );
  };

  const sessionPage = async (c: WebContext, sessionId: string, error?: AppError) => {
    // The domain's 404 for a session that is not the viewer's (or does not exist).
    const t = translatorOf(c);
    const steps = (await generation.session(sessionOf(c).account.id, sessionId)).map((j) =>
      stepView(t, j),
    );
    // A refused step form is answered at /studio/steps, whose query has no choices to honour.
    const choices = error === undefined ? sessionChoices(c, steps) : {};
    return c.html(
      studioSessionPage(
        viewOf(c, deps),
        options(),
        { sessionId, steps, ...choices },
        error?.message,
      ),
      (error?.status ?? 200) as 200,
    );
  };

  web.get("/studio", page, signedIn, async (c) => await indexPage(c));

  web.get("/studio/:session{[0-9]+}", page, signedIn, async (c) =>
    sessionPage(c, c.req.param("session")),
  );

  // A new session: its first step is a plain generation.
  web.post("/studio", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    const prompt = (form.prompt ?? "").trim();
    try {
      const job = await generation.request(session.account.id, {
        prompt,
        size: form.size || undefined,
      });
      return c.redirect(`/studio/${job.sessionId ?? job.id}`, 303);
    } catch (error) {
      const refusal = shownRefusal(error);
      if (refusal === undefined) throw error;
      return await indexPage(c, refusal, prompt);
    }
  });

  // A step on a session's image: refine, vary, resize or inpaint (the mask comes as a file).
  web.post("/studio/steps", page, signedIn, async (c) => {
    const session = sessionOf(c);
    // Multipart for the inpaint form (bounded as it streams in: src/http/body-limit.ts), urlencoded else.
    const body = await c.req.parseBody();
    const form = formFields(Object.entries(body));
    verifyCsrf(c, form.csrf, config.origin);
    const t = translatorOf(c);
    const sessionId = form.session ?? "";
    if (!ID.test(sessionId)) throw badRequest(t("c_studio.errors.whichSession"));
    const kind = form.kind as (typeof GENERATION_KINDS)[number];
    if (!GENERATION_KINDS.includes(kind) || kind === "generate") {
      throw badRequest(t("c_studio.errors.chooseKind"));
    }
    const file = body.mask;
    const mask =
      file instanceof File && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : undefined;
    try {
      const maskRegion = mask === undefined ? regionOf(t, form) : undefined;
      const job = await generation.request(session.account.id, {
        prompt: (form.prompt ?? "").trim(),
        parentId: form.parent_id ?? "",
        kind,
        ...(kind === "resize" && form.size ? { size: form.size } : {}),
        mask,
        maskRegion,
      });
      return c.redirect(`/studio/${job.sessionId ?? job.id}#step-${job.id}`, 303);
    } catch (error) {
      const refusal = shownRefusal(error);
      // A parent that is not the viewer's is the domain's 404, shown as the 404 it is.
      if (refusal === undefined || refusal.status === 404) throw error;
      return await sessionPage(c, sessionId, refusal);
    }
  });
}
