// The studio: one's sessions and "my creations" (searchable by prompt, paged by a plain link), and a
// session as a conversation of steps — what was asked, what kind of step, the images — with forms that
// take the latest image further (refine, vary, reframe, inpaint with a mask file) and a way to post a step.
// Everything works without JavaScript: a pending step refreshes the page itself.
import { html } from "hono/html";
import type { GenerationJob } from "../../db/queries/rows.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

/** A generation as the studio shows it: the job and its images' thumbnails. */
export interface StudioStepView {
  job: GenerationJob;
  images: { url: string; width: number | null; height: number | null; alt: string }[];
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

const KIND_LABELS: Record<GenerationJob["kind"], string> = {
  generate: "Generated",
  refine: "Refined",
  vary: "Variation",
  inpaint: "Inpainted",
  resize: "Reframed",
};

const STATE_LABELS: Record<GenerationJob["state"], string> = {
  queued: "Waiting for a free generator…",
  running: "Making the image…",
  succeeded: "Done",
  failed: "Failed",
  cancelled: "Cancelled",
};

const pending = (job: GenerationJob) => job.state === "queued" || job.state === "running";

function csrfField(v: View): Html {
  return html`<input type="hidden" name="csrf" value="${v.csrf}">`;
}

function errorNotice(error: string | undefined): Html {
  return error ? html`<p class="notice notice-error" role="alert">${error}</p>` : html``;
}

function thumbnails(step: StudioStepView): Html {
  if (step.images.length === 0) return html``;
  return html`<div class="studio-images">${step.images.map(
    (i) =>
      html`<img class="studio-image" src="${i.url}" alt="${i.alt}"${i.width && i.height ? html` width="${i.width}" height="${i.height}"` : ""} loading="lazy">`,
  )}</div>`;
}

function when(job: GenerationJob): Html {
  return html`<time datetime="${job.createdAt.toISOString()}">${job.createdAt.toLocaleString(
    "en-GB",
    {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "UTC",
    },
  )} UTC</time>`;
}

const sessionPath = (job: GenerationJob) => `/studio/${job.sessionId ?? job.id}`;

function startForm(v: View, o: StudioOptions, prompt: string): Html {
  return html`<form method="post" action="/studio" class="stack">
    ${csrfField(v)}
    <label for="prompt">Start a session with a prompt</label>
    <textarea id="prompt" name="prompt" rows="3" maxlength="4000" required>${prompt}</textarea>
    <label for="size">Size</label>
    <select id="size" name="size">${o.sizes.map((s, i) => html`<option value="${s}"${i === 0 ? " selected" : ""}>${s}</option>`)}</select>
    <button type="submit" class="button button-primary">Start</button>
  </form>`;
}

export function studioIndexPage(v: View, o: StudioOptions, d: StudioIndex, error?: string): Html {
  const moreCreations =
    d.creationsNext === null
      ? ""
      : `/studio?${new URLSearchParams({ ...(d.q !== "" ? { q: d.q } : {}), max_id: d.creationsNext })}`;
  return layout(
    v,
    { title: "Studio", noindex: true },
    html`<section class="panel narrow studio">
  <h1>Studio</h1>
  ${errorNotice(error)}
  ${startForm(v, o, d.prompt ?? "")}
</section>
<section class="panel narrow studio" aria-labelledby="sessions-heading">
  <h2 id="sessions-heading">Your sessions</h2>
  ${
    d.sessions.length === 0
      ? html`<p class="muted">No sessions yet: start one above.</p>`
      : html`<ul class="studio-list">${d.sessions.map(
          (s) =>
            html`<li>${thumbnails({ ...s, images: s.images.slice(0, 1) })}<a href="${sessionPath(s.job)}">${s.job.prompt}</a> <span class="muted">${when(s.job)}</span></li>`,
        )}</ul>`
  }
  ${
    d.sessionsNext === null
      ? ""
      : html`<nav class="pager" aria-label="More sessions"><a class="button" rel="next" href="/studio?sessions_max_id=${encodeURIComponent(d.sessionsNext)}">More sessions</a></nav>`
  }
</section>
<section class="panel narrow studio" aria-labelledby="creations-heading">
  <h2 id="creations-heading">My creations</h2>
  <form method="get" action="/studio" class="inline" role="search">
    <label for="q">Search by prompt</label>
    <input type="search" id="q" name="q" value="${d.q}" maxlength="200">
    <button type="submit" class="button">Search</button>
  </form>
  ${
    d.creations.length === 0
      ? html`<p class="muted">${d.q !== "" ? "Nothing whose prompt contains that." : "Nothing made yet."}</p>`
      : html`<ul class="studio-list">${d.creations.map(
          (s) => html`<li>${thumbnails(s)}
      <p><span class="muted">${KIND_LABELS[s.job.kind]}:</span> ${s.job.prompt}</p>
      <p class="muted">${when(s.job)} · ${STATE_LABELS[s.job.state]} · <a href="${sessionPath(s.job)}">Open its session</a>${
        s.job.state === "succeeded" && s.images.length > 0
          ? html` · <a href="/compose/jobs/${s.job.id}">Post this</a>`
          : ""
      }</p></li>`,
        )}</ul>`
  }
  ${moreCreations === "" ? "" : html`<nav class="pager" aria-label="More creations"><a class="button" rel="next" href="${moreCreations}">More</a></nav>`}
</section>`,
  );
}

/** One step of a session, like a message: what was asked, then what came of it. */
function stepBlock(step: StudioStepView, n: number): Html {
  const { job } = step;
  return html`<li class="studio-step" id="step-${job.id}">
    <p><strong>${n}. ${KIND_LABELS[job.kind]}</strong> <span class="muted">${when(job)}</span></p>
    <p class="prompt">${job.prompt}${job.kind === "resize" ? html` <span class="muted">(${job.size})</span>` : ""}</p>
    ${thumbnails(step)}
    ${
      job.state === "succeeded"
        ? step.images.length > 0
          ? html`<p><a class="button" href="/compose/jobs/${job.id}">Post this</a></p>`
          : ""
        : job.state === "failed" || job.state === "cancelled"
          ? html`<p class="notice notice-error">${job.errorMessage ?? STATE_LABELS[job.state]}</p>`
          : html`<p class="muted" aria-live="polite">${STATE_LABELS[job.state]} <a href="">Refresh</a></p>`
    }
  </li>`;
}

/** The forms that take `base` (the latest step with an image) one step further. */
function stepForms(v: View, o: StudioOptions, sessionId: string, base: StudioStepView): Html {
  const { job } = base;
  const first = base.images[0];
  const common = html`${csrfField(v)}
    <input type="hidden" name="session" value="${sessionId}">
    <input type="hidden" name="parent_id" value="${job.id}">`;
  const otherSizes = o.sizes.filter((s) => s !== job.size);
  const vary = html`<form method="post" action="/studio/steps" class="stack">
    ${common}<input type="hidden" name="kind" value="vary">
    <button type="submit" class="button">Vary (draw the prompt again)</button>
  </form>`;
  if (!o.canEdit) return vary;
  return html`<form method="post" action="/studio/steps" class="stack">
    ${common}<input type="hidden" name="kind" value="refine">
    <label for="instruction">Refine: what to change</label>
    <textarea id="instruction" name="prompt" rows="2" maxlength="4000" required></textarea>
    <button type="submit" class="button button-primary">Refine</button>
  </form>
  ${vary}
  ${
    otherSizes.length === 0
      ? ""
      : html`<form method="post" action="/studio/steps" class="stack">
    ${common}<input type="hidden" name="kind" value="resize">
    <label for="resize-size">Reframe at another size or aspect</label>
    <select id="resize-size" name="size">${otherSizes.map((s) => html`<option value="${s}">${s}</option>`)}</select>
    <button type="submit" class="button">Reframe</button>
  </form>`
  }
  <form method="post" action="/studio/steps" enctype="multipart/form-data" class="stack">
    ${common}<input type="hidden" name="kind" value="inpaint">
    <label for="mask">Inpaint: a mask (PNG)</label>
    <input type="file" id="mask" name="mask" accept="image/png" required aria-describedby="mask-hint">
    <p class="hint" id="mask-hint">A PNG with transparency, ${first?.width ?? "?"}×${first?.height ?? "?"} pixels like the image: its transparent pixels are what may change.</p>
    <label for="inpaint-instruction">What to paint there</label>
    <textarea id="inpaint-instruction" name="prompt" rows="2" maxlength="4000" required></textarea>
    <button type="submit" class="button">Inpaint</button>
  </form>`;
}

export function studioSessionPage(
  v: View,
  o: StudioOptions,
  sessionId: string,
  steps: StudioStepView[],
  error?: string,
): Html {
  const waiting = steps.some((s) => pending(s.job));
  const base = steps.findLast((s) => s.job.state === "succeeded" && s.images.length > 0);
  return layout(
    v,
    {
      title: `Studio: ${steps[0]?.job.prompt ?? "session"}`,
      noindex: true,
      ...(waiting ? { head: html`<meta http-equiv="refresh" content="2">` } : {}),
    },
    html`<section class="panel narrow studio">
  <p><a href="/studio">← Studio</a></p>
  <h1>Session</h1>
  <ol class="studio-steps">${steps.map((s, i) => stepBlock(s, i + 1))}</ol>
  ${errorNotice(error)}
  ${
    waiting
      ? html`<p class="muted">The next step can be asked for once this one is done.</p>`
      : base === undefined
        ? html`<p class="muted">No image to work on in this session; <a href="/studio">start another</a>.</p>`
        : html`<h2>Next step, from step ${steps.indexOf(base) + 1}</h2>${stepForms(v, o, sessionId, base)}`
  }
</section>`,
  );
}
