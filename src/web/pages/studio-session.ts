// A studio session as a conversation of steps — what was asked, what kind of step, from which step, the
// images large — where any finished step can be taken further (a one-button variation, or the refine,
// vary, reframe and inpaint forms opened for it with ?from=) and two steps compared side by side
// (?compare=A,B). Everything works without JavaScript: a pending step refreshes the page itself.
import { html } from "hono/html";
import type { GenerationJob } from "../../db/queries/rows.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";
import {
  csrfField,
  errorNotice,
  KIND_LABELS,
  STATE_LABELS,
  type StudioImage,
  type StudioOptions,
  type StudioStepView,
  studioStyles,
  when,
} from "./studio.ts";

export interface StudioSession {
  sessionId: string;
  steps: StudioStepView[];
  /** The step the "next step" forms work on (?from=); the latest step with an image when absent. */
  fromId?: string;
  /** Two steps shown side by side (?compare=A,B). */
  compare?: readonly [string, string];
}

const pending = (job: GenerationJob) => job.state === "queued" || job.state === "running";
const workable = (s: StudioStepView) => s.job.state === "succeeded" && s.images.length > 0;

/** The display file at the column's width; the thumbnail is offered to narrow screens by srcset. */
function largeImage(i: StudioImage, sizes: string, eager: boolean): Html {
  return html`<img class="studio-image" src="${i.full}"${i.srcset ? html` srcset="${i.srcset}" sizes="${sizes}"` : ""} alt="${i.alt}"${i.width && i.height ? html` width="${i.width}" height="${i.height}"` : ""} decoding="async"${eager ? "" : html` loading="lazy"`}>`;
}

/** About the width of the session's column (the panel less its padding) on a desktop. */
const STEP_SIZES = "(min-width: 1000px) 900px, 100vw";
const COMPARE_SIZES = "(min-width: 760px) 50vw, 100vw";

function stepNumberOf(steps: StudioStepView[], id: string | null): number | undefined {
  const n = id === null ? -1 : steps.findIndex((s) => s.job.id === id);
  return n < 0 ? undefined : n + 1;
}

/** What a finished step offers: post it, vary it at once, open the other forms for it, compare it. */
function stepActions(v: View, o: StudioOptions, d: StudioSession, step: StudioStepView): Html {
  const { job } = step;
  const base = `/studio/${d.sessionId}`;
  const parentN = stepNumberOf(d.steps, job.parentId);
  return html`<div class="studio-actions">
    <a class="button" href="/compose/jobs/${job.id}">Post this</a>
    <form method="post" action="/studio/steps" class="inline">
      ${csrfField(v)}<input type="hidden" name="session" value="${d.sessionId}">
      <input type="hidden" name="parent_id" value="${job.id}"><input type="hidden" name="kind" value="vary">
      <button type="submit" class="button">Vary this</button>
    </form>
    ${o.canEdit ? html`<a class="button" href="${base}?from=${job.id}#next-step">Refine this…</a>` : ""}
    ${
      parentN === undefined || job.parentId === null
        ? ""
        : html`<a class="button" href="${base}?compare=${job.parentId},${job.id}#compare">Compare with previous (step ${parentN})</a>`
    }
  </div>`;
}

/** One step of a session, like a message: what was asked, then what came of it. */
function stepBlock(v: View, o: StudioOptions, d: StudioSession, n: number, busy: boolean): Html {
  const step = d.steps[n - 1]!;
  const { job } = step;
  const parentN = stepNumberOf(d.steps, job.parentId);
  return html`<li class="studio-step" id="step-${job.id}">
    <p><strong>${n}. ${KIND_LABELS[job.kind]}</strong>${parentN === undefined ? "" : html` <span class="step-parent">from step ${parentN}</span>`} <span class="muted">${when(job)}</span></p>
    <p class="prompt">${job.prompt}${job.kind === "resize" ? html` <span class="muted">(${job.size})</span>` : ""}</p>
    ${step.images.length === 0 ? "" : html`<div class="studio-large">${step.images.map((i) => largeImage(i, STEP_SIZES, n === d.steps.length))}</div>`}
    ${
      job.state === "succeeded"
        ? step.images.length > 0 && !busy
          ? stepActions(v, o, d, step)
          : ""
        : job.state === "failed" || job.state === "cancelled"
          ? html`<p class="notice notice-error">${job.errorMessage ?? STATE_LABELS[job.state]}</p>`
          : html`<p class="muted" aria-live="polite">${STATE_LABELS[job.state]} <a href="">Refresh</a></p>`
    }
  </li>`;
}

/** Two steps side by side on a wide screen, one above the other on a phone (a CSS grid). */
function compareBlock(d: StudioSession, ids: readonly [string, string]): Html {
  const shown = ids.map((id) => ({
    n: stepNumberOf(d.steps, id)!,
    step: d.steps.find((s) => s.job.id === id)!,
  }));
  return html`<section class="studio-compare" id="compare" aria-labelledby="compare-heading">
    <h2 id="compare-heading">Step ${shown[0]!.n} and step ${shown[1]!.n} side by side</h2>
    <div class="studio-compare-grid">${shown.map(
      ({ n, step }) => html`<figure>
      ${step.images[0] ? largeImage(step.images[0], COMPARE_SIZES, true) : html`<p class="muted">No image (${STATE_LABELS[step.job.state]})</p>`}
      <figcaption><strong>${n}. ${KIND_LABELS[step.job.kind]}</strong>: ${step.job.prompt}</figcaption>
    </figure>`,
    )}</div>
    <p><a href="/studio/${d.sessionId}">Close the comparison</a></p>
  </section>`;
}

/** The forms that take `base` (a finished step with an image) one step further. */
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
  ${inpaintForm(common, first)}`;
}

const REGION_INPUTS = [
  ["mask_left", "Left"],
  ["mask_top", "Top"],
  ["mask_width", "Width"],
  ["mask_height", "Height"],
] as const;

/**
 * Inpainting: the region to change is painted over the image in the browser (studio.js draws on a canvas
 * over it and hands the form a PNG mask), typed as a rectangle in percent (no script needed, and the
 * keyboard's way), or uploaded as a PNG mask.
 */
function inpaintForm(common: Html, first: StudioImage | undefined): Html {
  const size = `${first?.width ?? "?"}×${first?.height ?? "?"}`;
  return html`<form method="post" action="/studio/steps" enctype="multipart/form-data" class="stack" data-inpaint>
    ${common}<input type="hidden" name="kind" value="inpaint">
    <h3>Inpaint: change one region</h3>
    ${
      first?.width && first.height
        ? html`<div class="mask-editor" data-mask-editor data-width="${first.width}" data-height="${first.height}" hidden>
      <div class="mask-canvas"><img class="mask-image" src="${first.full}" alt="${first.alt}" width="${first.width}" height="${first.height}"></div>
      <p class="hint" id="mask-paint-hint">Paint over what may change (drag with the mouse, a finger or a pen).</p>
      <div class="inline"><label for="mask-brush">Brush</label><input type="range" id="mask-brush" min="2" max="30" value="8" data-mask-brush> <button type="button" class="button" data-mask-clear>Clear the painting</button></div>
    </div>`
        : ""
    }
    <fieldset class="mask-region">
      <legend>Or the region as a rectangle, in percent of the picture</legend>
      ${REGION_INPUTS.map(
        ([name, label]) =>
          html`<label>${label} <input type="number" name="${name}" min="0" max="100" step="any" inputmode="decimal" data-mask-field></label>`,
      )}
    </fieldset>
    <label for="mask">Or a mask (PNG)</label>
    <input type="file" id="mask" name="mask" accept="image/png" aria-describedby="mask-hint">
    <p class="hint" id="mask-hint">A PNG with transparency, ${size} pixels like the image: its transparent pixels are what may change.</p>
    <label for="inpaint-instruction">What to paint there</label>
    <textarea id="inpaint-instruction" name="prompt" rows="2" maxlength="4000" required></textarea>
    <button type="submit" class="button">Inpaint</button>
  </form>`;
}

export function studioSessionPage(
  v: View,
  o: StudioOptions,
  d: StudioSession,
  error?: string,
): Html {
  const { steps } = d;
  const waiting = steps.some((s) => pending(s.job));
  const base =
    d.fromId === undefined ? steps.findLast(workable) : steps.find((s) => s.job.id === d.fromId);
  return layout(
    v,
    {
      title: `Studio: ${steps[0]?.job.prompt ?? "session"}`,
      noindex: true,
      // The refresh names the page without a fragment: a step's form redirects to .../S#step-X, and a
      // refresh to a URL differing only by its fragment is a scroll, not a reload (HTML's navigate).
      // The mask painting's script comes with this page only (app.js is on every page, and kept small).
      head: html`${studioStyles(v)}<script nonce="${v.nonce}" src="${v.assets.url("studio.js")}" defer></script>${
        waiting
          ? html`<meta http-equiv="refresh" content="2; url=/studio/${d.sessionId}${d.compare ? `?compare=${d.compare.join(",")}` : ""}">`
          : ""
      }`,
    },
    html`<section class="panel studio studio-session">
  <p><a href="/studio">← Studio</a></p>
  <h1>Session</h1>
  ${d.compare ? compareBlock(d, d.compare) : ""}
  <ol class="studio-steps">${steps.map((_, i) => stepBlock(v, o, d, i + 1, waiting))}</ol>
  ${errorNotice(error)}
  <div id="next-step">${
    waiting
      ? html`<p class="muted">The next step can be asked for once this one is done.</p>`
      : base === undefined
        ? html`<p class="muted">No image to work on in this session; <a href="/studio">start another</a>.</p>`
        : html`<h2>Next step, from step ${steps.indexOf(base) + 1}</h2>${stepForms(v, o, d.sessionId, base)}`
  }</div>
</section>`,
  );
}
