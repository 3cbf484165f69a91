// A studio session as a conversation of steps — what was asked, what kind of step, from which step, the
// images large — where any finished step can be taken further (a one-button variation, or the refine,
// vary, reframe and inpaint forms opened for it with ?from=) and two steps compared side by side
// (?compare=A,B). Everything works without JavaScript: a pending step refreshes the page itself.
import { html } from "hono/html";
import type { GenerationJob } from "../../db/queries/rows.ts";
import type { Translator } from "../../i18n/index.ts";
import { layout, type View } from "../components/layout.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";
import {
  csrfField,
  errorNotice,
  kindLabel,
  type StudioImage,
  type StudioOptions,
  type StudioStepView,
  stateLabel,
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
  const t = v.t;
  return html`<div class="studio-actions">
    <a class="button" href="/compose/jobs/${job.id}">${t("c_studio.postThis")}</a>
    <form method="post" action="/studio/steps" class="inline">
      ${csrfField(v)}<input type="hidden" name="session" value="${d.sessionId}">
      <input type="hidden" name="parent_id" value="${job.id}"><input type="hidden" name="kind" value="vary">
      <button type="submit" class="button">${t("c_studio.varyThis")}</button>
    </form>
    ${o.canEdit ? html`<a class="button" href="${base}?from=${job.id}#next-step">${t("c_studio.refineThis")}</a>` : ""}
    ${
      parentN === undefined || job.parentId === null
        ? ""
        : html`<a class="button" href="${base}?compare=${job.parentId},${job.id}#compare">${t("c_studio.compareWithPrevious", { n: t.number(parentN) })}</a>`
    }
  </div>`;
}

/** One step of a session, like a message: what was asked, then what came of it. */
function stepBlock(v: View, o: StudioOptions, d: StudioSession, n: number, busy: boolean): Html {
  const step = d.steps[n - 1]!;
  const { job } = step;
  const parentN = stepNumberOf(d.steps, job.parentId);
  const t = v.t;
  return html`<li class="studio-step" id="step-${job.id}">
    <p><strong>${t.number(n)}. ${kindLabel(t, job.kind)}</strong>${parentN === undefined ? "" : html` <span class="step-parent">${t("c_studio.fromStep", { n: t.number(parentN) })}</span>`} <span class="muted">${when(t, job)}</span></p>
    <p class="prompt">${job.prompt}${job.kind === "resize" ? html` <span class="muted">(${job.size})</span>` : ""}</p>
    ${step.images.length === 0 ? "" : html`<div class="studio-large">${step.images.map((i) => largeImage(i, STEP_SIZES, n === d.steps.length))}</div>`}
    ${
      job.state === "succeeded"
        ? step.images.length > 0 && !busy
          ? stepActions(v, o, d, step)
          : ""
        : job.state === "failed" || job.state === "cancelled"
          ? html`<p class="notice notice-error">${job.errorMessage ?? stateLabel(t, job.state)}</p>`
          : html`<p class="muted" aria-live="polite">${stateLabel(t, job.state)} <a href="">${t("c_studio.refresh")}</a></p>`
    }
  </li>`;
}

/** Two steps side by side on a wide screen, one above the other on a phone (a CSS grid). */
function compareBlock(t: Translator, d: StudioSession, ids: readonly [string, string]): Html {
  const shown = ids.map((id) => ({
    n: stepNumberOf(d.steps, id)!,
    step: d.steps.find((s) => s.job.id === id)!,
  }));
  return html`<section class="studio-compare" id="compare" aria-labelledby="compare-heading">
    <h2 id="compare-heading">${t("c_studio.sideBySide", { a: t.number(shown[0]!.n), b: t.number(shown[1]!.n) })}</h2>
    <div class="studio-compare-grid">${shown.map(
      ({ n, step }) => html`<figure>
      ${step.images[0] ? largeImage(step.images[0], COMPARE_SIZES, true) : html`<p class="muted">${t("c_studio.noImage", { state: stateLabel(t, step.job.state) })}</p>`}
      <figcaption>${rich(t, "c_studio.stepCaption", { step: html`<strong>${t.number(n)}. ${kindLabel(t, step.job.kind)}</strong>`, prompt: step.job.prompt })}</figcaption>
    </figure>`,
    )}</div>
    <p><a href="/studio/${d.sessionId}">${t("c_studio.closeComparison")}</a></p>
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
  const t = v.t;
  const vary = html`<form method="post" action="/studio/steps" class="stack">
    ${common}<input type="hidden" name="kind" value="vary">
    <button type="submit" class="button">${t("c_studio.varyButton")}</button>
  </form>`;
  if (!o.canEdit) return vary;
  return html`<form method="post" action="/studio/steps" class="stack">
    ${common}<input type="hidden" name="kind" value="refine">
    <label for="instruction">${t("c_studio.refineLabel")}</label>
    <textarea id="instruction" name="prompt" rows="2" maxlength="4000" required></textarea>
    <button type="submit" class="button button-primary">${t("c_studio.refine")}</button>
  </form>
  ${vary}
  ${
    otherSizes.length === 0
      ? ""
      : html`<form method="post" action="/studio/steps" class="stack">
    ${common}<input type="hidden" name="kind" value="resize">
    <label for="resize-size">${t("c_studio.reframeLabel")}</label>
    <select id="resize-size" name="size">${otherSizes.map((s) => html`<option value="${s}">${s}</option>`)}</select>
    <button type="submit" class="button">${t("c_studio.reframe")}</button>
  </form>`
  }
  ${inpaintForm(t, common, first)}`;
}

const REGION_INPUTS = [
  ["mask_left", "left"],
  ["mask_top", "top"],
  ["mask_width", "width"],
  ["mask_height", "height"],
] as const;

/**
 * Inpainting: the region to change is painted over the image in the browser (studio.js draws on a canvas
 * over it and hands the form a PNG mask), typed as a rectangle in percent (no script needed, and the
 * keyboard's way), or uploaded as a PNG mask.
 */
function inpaintForm(t: Translator, common: Html, first: StudioImage | undefined): Html {
  const size = `${first?.width ?? "?"}×${first?.height ?? "?"}`;
  return html`<form method="post" action="/studio/steps" enctype="multipart/form-data" class="stack" data-inpaint>
    ${common}<input type="hidden" name="kind" value="inpaint">
    <h3>${t("c_studio.inpaintHeading")}</h3>
    ${
      first?.width && first.height
        ? html`<div class="mask-editor" data-mask-editor data-width="${first.width}" data-height="${first.height}" hidden>
      <div class="mask-canvas"><img class="mask-image" src="${first.full}" alt="${first.alt}" width="${first.width}" height="${first.height}"></div>
      <p class="hint" id="mask-paint-hint">${t("c_studio.paintHint")}</p>
      <div class="inline"><label for="mask-brush">${t("c_studio.brush")}</label><input type="range" id="mask-brush" min="2" max="30" value="8" data-mask-brush> <button type="button" class="button" data-mask-clear>${t("c_studio.clearPainting")}</button></div>
    </div>`
        : ""
    }
    <fieldset class="mask-region">
      <legend>${t("c_studio.regionLegend")}</legend>
      ${REGION_INPUTS.map(
        ([name, side]) =>
          html`<label>${t(`c_studio.region.${side}`)} <input type="number" name="${name}" min="0" max="100" step="any" inputmode="decimal" data-mask-field></label>`,
      )}
    </fieldset>
    <label for="mask">${t("c_studio.maskLabel")}</label>
    <input type="file" id="mask" name="mask" accept="image/png" aria-describedby="mask-hint">
    <p class="hint" id="mask-hint">${t("c_studio.maskHint", { size })}</p>
    <label for="inpaint-instruction">${t("c_studio.inpaintInstruction")}</label>
    <textarea id="inpaint-instruction" name="prompt" rows="2" maxlength="4000" required></textarea>
    <button type="submit" class="button">${t("c_studio.inpaint")}</button>
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
      title:
        steps[0] === undefined
          ? v.t("c_studio.sessionTitleEmpty")
          : v.t("c_studio.sessionTitle", { prompt: steps[0].job.prompt }),
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
  <p><a href="/studio">${v.t("c_studio.back")}</a></p>
  <h1>${v.t("c_studio.session")}</h1>
  ${d.compare ? compareBlock(v.t, d, d.compare) : ""}
  <ol class="studio-steps">${steps.map((_, i) => stepBlock(v, o, d, i + 1, waiting))}</ol>
  ${errorNotice(error)}
  <div id="next-step">${
    waiting
      ? html`<p class="muted">${v.t("c_studio.nextWhenDone")}</p>`
      : base === undefined
        ? html`<p class="muted">${rich(v.t, "c_studio.noImageToWork", { link: html`<a href="/studio">${v.t("c_studio.startAnother")}</a>` })}</p>`
        : html`<h2>${v.t("c_studio.nextStep", { n: v.t.number(steps.indexOf(base) + 1) })}</h2>${stepForms(v, o, d.sessionId, base)}`
  }</div>
</section>`,
  );
}
