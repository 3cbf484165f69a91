// The studio's index: one's sessions and "my creations" (searchable by prompt, paged by a plain link),
// and what the studio's pages share (a step's view, labels, the time of a step); a session's own page is
// studio-session.ts. Everything works without JavaScript.
import { html } from "hono/html";
import type { GenerationJob } from "../../db/queries/rows.ts";
import type { Translator } from "../../i18n/index.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

/** An image of a step: its thumbnail (lists), its display file and the srcset offering both. */
export interface StudioImage {
  url: string;
  full: string;
  /** "thumb 640w, display 1024w" when the two files differ in width; absent otherwise. */
  srcset?: string;
  width: number | null;
  height: number | null;
  alt: string;
}

/** A generation as the studio shows it: the job and its images. */
export interface StudioStepView {
  job: GenerationJob;
  images: StudioImage[];
}

export interface StudioOptions {
  /** The sizes the instance's model draws. */
  sizes: readonly string[];
  /** Whether the model can edit an image (refine, inpaint, reframe); a variation needs no edit. */
  canEdit: boolean;
}

export interface StudioIndex {
  sessions: StudioStepView[];
  /** The max_id of the next page of sessions, null on the last. */
  sessionsNext: string | null;
  creations: StudioStepView[];
  creationsNext: string | null;
  q: string;
  /** The prompt typed into a refused "start" form, kept. */
  prompt?: string;
}

/** What kind of step a job was ("Refined"), in the page's language. */
export function kindLabel(t: Translator, kind: GenerationJob["kind"]): string {
  return t(`c_studio.kinds.${kind}`);
}

/** Where a job is ("Waiting for a free generator…"), in the page's language. */
export function stateLabel(t: Translator, state: GenerationJob["state"]): string {
  return t(`c_studio.states.${state}`);
}

/** The studio's stylesheet, which only its pages load (every page loads app.css, kept small). */
export function studioStyles(v: View): Html {
  return html`<link rel="stylesheet" href="${v.assets.url("studio.css")}">`;
}

export function csrfField(v: View): Html {
  return html`<input type="hidden" name="csrf" value="${v.csrf}">`;
}

export function errorNotice(error: string | undefined): Html {
  return error ? html`<p class="notice notice-error" role="alert">${error}</p>` : html``;
}

function thumbnails(step: StudioStepView): Html {
  if (step.images.length === 0) return html``;
  return html`<div class="studio-images">${step.images.map(
    (i) =>
      html`<img class="studio-image" src="${i.url}" alt="${i.alt}"${i.width && i.height ? html` width="${i.width}" height="${i.height}"` : ""} loading="lazy">`,
  )}</div>`;
}

export function when(t: Translator, job: GenerationJob): Html {
  return html`<time datetime="${job.createdAt.toISOString()}">${t.dateTime(job.createdAt)}</time>`;
}

const sessionPath = (job: GenerationJob) => `/studio/${job.sessionId ?? job.id}`;

function startForm(v: View, o: StudioOptions, prompt: string): Html {
  return html`<form method="post" action="/studio" class="stack">
    ${csrfField(v)}
    <label for="prompt">${v.t("c_studio.startLabel")}</label>
    <textarea id="prompt" name="prompt" rows="3" maxlength="4000" required>${prompt}</textarea>
    <label for="size">${v.t("c_studio.size")}</label>
    <select id="size" name="size">${o.sizes.map((s, i) => html`<option value="${s}"${i === 0 ? " selected" : ""}>${s}</option>`)}</select>
    <button type="submit" class="button button-primary">${v.t("c_studio.start")}</button>
  </form>`;
}

export function studioIndexPage(v: View, o: StudioOptions, d: StudioIndex, error?: string): Html {
  const moreCreations =
    d.creationsNext === null
      ? ""
      : `/studio?${new URLSearchParams({ ...(d.q !== "" ? { q: d.q } : {}), max_id: d.creationsNext })}`;
  const t = v.t;
  return layout(
    v,
    { title: t("c_studio.title"), noindex: true, head: studioStyles(v) },
    html`<section class="panel narrow studio">
  <h1>${t("c_studio.title")}</h1>
  ${errorNotice(error)}
  ${startForm(v, o, d.prompt ?? "")}
</section>
<section class="panel narrow studio" aria-labelledby="sessions-heading">
  <h2 id="sessions-heading">${t("c_studio.yourSessions")}</h2>
  ${
    d.sessions.length === 0
      ? html`<p class="muted">${t("c_studio.noSessions")}</p>`
      : html`<ul class="studio-list">${d.sessions.map(
          (s) =>
            html`<li>${thumbnails({ ...s, images: s.images.slice(0, 1) })}<a href="${sessionPath(s.job)}">${s.job.prompt}</a> <span class="muted">${when(t, s.job)}</span></li>`,
        )}</ul>`
  }
  ${
    d.sessionsNext === null
      ? ""
      : html`<nav class="pager" aria-label="${t("c_studio.moreSessions")}"><a class="button" rel="next" href="/studio?sessions_max_id=${encodeURIComponent(d.sessionsNext)}">${t("c_studio.moreSessions")}</a></nav>`
  }
</section>
<section class="panel narrow studio" aria-labelledby="creations-heading">
  <h2 id="creations-heading">${t("c_studio.myCreations")}</h2>
  <form method="get" action="/studio" class="inline" role="search">
    <label for="q">${t("c_studio.searchByPrompt")}</label>
    <input type="search" id="q" name="q" value="${d.q}" maxlength="200">
    <button type="submit" class="button">${t("common.search")}</button>
  </form>
  ${
    d.creations.length === 0
      ? html`<p class="muted">${t(d.q !== "" ? "c_studio.noMatch" : "c_studio.nothingYet")}</p>`
      : html`<ul class="studio-list">${d.creations.map(
          (s) => html`<li>${thumbnails(s)}
      <p><span class="muted">${t("c_studio.kindColon", { kind: kindLabel(t, s.job.kind) })}</span> ${s.job.prompt}</p>
      <p class="muted">${when(t, s.job)} · ${stateLabel(t, s.job.state)} · <a href="${sessionPath(s.job)}">${t("c_studio.openSession")}</a>${
        s.job.state === "succeeded" && s.images.length > 0
          ? html` · <a href="/compose/jobs/${s.job.id}">${t("c_studio.postThis")}</a>`
          : ""
      }</p></li>`,
        )}</ul>`
  }
  ${moreCreations === "" ? "" : html`<nav class="pager" aria-label="${t("c_studio.moreCreations")}"><a class="button" rel="next" href="${moreCreations}">${t("common.more")}</a></nav>`}
</section>`,
  );
}
