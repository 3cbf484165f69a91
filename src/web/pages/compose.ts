// The compose pages: the prompt form (and uploading one's own image, or asking a question with a poll), a
// job's progress, and picking a candidate with caption, alt text, content warning and visibility before posting.
import { html } from "hono/html";
import type { GenerationJob, MediaAttachment } from "../../db/queries/rows.ts";
import { POLL_LIMITS } from "../../domain/polls.ts";
import type { Translator } from "../../i18n/index.ts";
import { type Duration, durationText } from "../components/duration.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

export interface ComposeOptions {
  models: string[];
  defaultModel: string;
  sizes: readonly string[];
  /** Images a post may carry (MAX_MEDIA_ATTACHMENTS). */
  maxAttachments: number;
}

export interface ComposeDefaults {
  prompt?: string;
  negativePrompt?: string;
  size?: string;
  model?: string;
  remixOf?: string;
}

function hidden(v: View): Html {
  return html`<input type="hidden" name="csrf" value="${v.csrf}">`;
}

const VISIBILITY_OPTIONS = ["public", "unlisted", "private"] as const;

/** The choice starts at the user's default visibility (direct, not offered here: followers only). */
function visibilityFields(v: View): Html {
  const preferred = v.session?.user.defaultVisibility ?? "public";
  const chosen = preferred === "direct" ? "private" : preferred;
  return html`<label for="visibility">${v.t("c_compose.whoCanSee")}</label>
  <select id="visibility" name="visibility">
    ${VISIBILITY_OPTIONS.map(
      (value) =>
        html`<option value="${value}"${value === chosen ? " selected" : ""}>${v.t(`c_compose.visibility.${value}`)}</option>`,
    )}
  </select>`;
}

/** The fields of a post; `withAlt` false where each candidate has its own alt text field. */
function postFields(v: View, withAlt: boolean): Html {
  const t = v.t;
  return html`<label for="text">${t("c_compose.caption")}</label>
  <textarea id="text" name="text" rows="3" maxlength="5000"></textarea>
  ${
    withAlt
      ? html`<label for="alt">${t("c_compose.alt")}</label>
  <textarea id="alt" name="alt" rows="2" aria-describedby="alt-hint"></textarea>
  <p class="hint" id="alt-hint">${t("c_compose.altHint")}</p>`
      : ""
  }
  <label for="cw">${t("c_compose.cw")}</label>
  <input type="text" id="cw" name="cw" maxlength="500">
  ${visibilityFields(v)}
  <div class="check">
    <input type="checkbox" id="dataset_opt_out" name="dataset_opt_out" value="1" aria-describedby="dataset_opt_out-hint">
    <label for="dataset_opt_out">${t("c_compose.datasetOptOut")}</label>
    <p class="hint" id="dataset_opt_out-hint">${t(v.session?.user.aiDataConsent ? "c_compose.datasetOptOutHint" : "c_compose.datasetOptOutHintNoConsent")}</p>
  </div>
  <label for="scheduled_at">${t("c_compose.scheduleFor")}</label>
  <input type="datetime-local" id="scheduled_at" name="scheduled_at" aria-describedby="scheduled_at-hint">
  <p class="muted" id="scheduled_at-hint">${t("c_compose.scheduleHint")} <a href="/scheduled">${t("c_compose.yourScheduled")}</a></p>`;
}

function generateFields(t: Translator, o: ComposeOptions, d: ComposeDefaults): Html {
  const size = d.size ?? o.sizes[0];
  return html`<label for="prompt">${t("c_compose.prompt")}</label>
  <textarea id="prompt" name="prompt" rows="4" maxlength="4000" required>${d.prompt ?? ""}</textarea>
  <label for="negative_prompt">${t("c_compose.negativePrompt")}</label>
  <input type="text" id="negative_prompt" name="negative_prompt" maxlength="1000" value="${d.negativePrompt ?? ""}">
  <label for="size">${t("c_compose.size")}</label>
  <select id="size" name="size">${o.sizes.map((s) => html`<option value="${s}"${s === size ? " selected" : ""}>${s}</option>`)}</select>
  ${
    o.models.length > 1
      ? html`<label for="model">${t("c_compose.model")}</label>
  <select id="model" name="model">${o.models.map((m) => html`<option value="${m}"${m === (d.model ?? o.defaultModel) ? " selected" : ""}>${m}</option>`)}</select>`
      : ""
  }
  ${d.remixOf ? html`<input type="hidden" name="remix_of" value="${d.remixOf}">` : ""}`;
}

export function composePage(v: View, o: ComposeOptions, d: ComposeDefaults, error?: string): Html {
  return layout(
    v,
    { title: v.t("c_compose.title"), noindex: true },
    html`<section class="panel narrow compose">
  <h1>${v.t(d.remixOf ? "c_compose.remixImage" : "c_compose.createImage")}</h1>
  ${error ? html`<p class="notice notice-error" role="alert">${error}</p>` : ""}
  ${d.remixOf ? html`<p class="muted">${v.t("c_compose.remixNote")}</p>` : ""}
  <form method="post" action="/compose/generate" class="stack">
    ${hidden(v)}
    ${generateFields(v.t, o, d)}
    <button type="submit" class="button button-primary">${v.t("c_compose.generate")}</button>
  </form>
</section>
<section class="panel narrow compose">
  <h2>${v.t("c_compose.uploadHeading")}</h2>
  <form method="post" action="/compose/upload" enctype="multipart/form-data" class="stack">
    ${hidden(v)}
    <label for="file">${v.t("c_compose.images", { max: v.t.number(o.maxAttachments) })}</label>
    <input id="file" name="file" type="file" accept="image/jpeg,image/png,image/webp,image/avif,image/gif" multiple required>
    ${postFields(v, true)}
    <button type="submit" class="button button-primary">${v.t("c_compose.post")}</button>
  </form>
</section>
${pollForm(v)}`,
  );
}

// Mastodon's apps offer these lengths; all lie within POLL_LIMITS (5 minutes … a month).
const POLL_LENGTHS: [number, Duration][] = [
  [300, ["minutes", 5]],
  [1800, ["minutes", 30]],
  [3600, ["hours", 1]],
  [21_600, ["hours", 6]],
  [86_400, ["days", 1]],
  [259_200, ["days", 3]],
  [604_800, ["days", 7]],
];

/** A question with two to four answers (a poll has no image, as on Mastodon). */
function pollForm(v: View): Html {
  const { maxOptions, maxCharactersPerOption } = POLL_LIMITS;
  const t = v.t;
  return html`<section class="panel narrow compose">
  <h2>${t("c_compose.pollHeading")}</h2>
  <form method="post" action="/compose/poll" class="stack">
    ${hidden(v)}
    <label for="poll-text">${t("c_compose.question")}</label>
    <textarea id="poll-text" name="text" rows="2" maxlength="5000" required></textarea>
    ${Array.from(
      { length: maxOptions },
      (_, i) =>
        html`<label for="poll-option-${i}">${t(i >= 2 ? "c_compose.answerOptional" : "c_compose.answer", { n: t.number(i + 1) })}</label>
    <input type="text" id="poll-option-${i}" name="option_${i}" maxlength="${maxCharactersPerOption}"${i < 2 ? " required" : ""}>`,
    )}
    <label for="poll-expires">${t("c_compose.openFor")}</label>
    <select id="poll-expires" name="expires_in">${POLL_LENGTHS.map(
      ([s, length]) =>
        html`<option value="${s}"${s === 86_400 ? " selected" : ""}>${durationText(t, length)}</option>`,
    )}</select>
    <label><input type="checkbox" name="multiple" value="true"> ${t("c_compose.multiple")}</label>
    <label><input type="checkbox" name="hide_totals" value="true"> ${t("c_compose.hideTotals")}</label>
    <label for="poll-visibility">${t("c_compose.whoCanSee")}</label>
    <select id="poll-visibility" name="visibility">
      ${VISIBILITY_OPTIONS.map(
        (value) =>
          html`<option value="${value}"${value === "public" ? " selected" : ""}>${t(`c_compose.visibility.${value}`)}</option>`,
      )}
    </select>
    <button type="submit" class="button button-primary">${t("c_compose.postQuestion")}</button>
  </form>
</section>`;
}

/** A job still queued or running: a progress state; app.js polls the JSON, <noscript> refreshes. */
export function jobProgressPage(v: View, job: GenerationJob): Html {
  return layout(
    v,
    {
      title: v.t("c_compose.generating"),
      noindex: true,
      head: html`<noscript><meta http-equiv="refresh" content="2"></noscript>`,
    },
    html`<section class="panel narrow compose" data-job-poll="/compose/jobs/${job.id}.json" aria-live="polite">
  <h1>${v.t("c_compose.generating")}</h1>
  <p class="prompt"><span class="muted">${v.t("c_compose.promptLabel")}</span> ${job.prompt}</p>
  <progress aria-label="${v.t("c_compose.generatingImage")}"></progress>
  <p class="muted" data-job-state>${v.t(job.state === "queued" ? "c_compose.waiting" : "c_compose.making")}</p>
  <p><a href="/compose/jobs/${job.id}">${v.t("c_compose.refresh")}</a></p>
</section>`,
  );
}

/** A candidate as the result page shows it, with output moderation's verdict. */
export interface ShownCandidate {
  media: MediaAttachment;
  url: string;
  /** The flagged categories; undefined when the image was not flagged. */
  flagged: string[] | undefined;
}

function flaggedNotice(t: Translator, c: ShownCandidate, policy: "block" | "sensitive"): Html {
  if (c.flagged === undefined) return html``;
  // The categories are the moderation provider's own names (sexual, violence…), shown as they come.
  const what = c.flagged.length > 0 ? ` (${c.flagged.join(", ")})` : "";
  return html`<p class="notice notice-error">${t(
    policy === "block" ? "c_compose.flaggedBlock" : "c_compose.flaggedSensitive",
    { what },
  )}</p>`;
}

/** One candidate: pick it, read and edit its drafted alt text, see whether moderation flagged it. */
function candidateCard(
  t: Translator,
  c: ShownCandidate,
  i: number,
  checked: boolean,
  policy: "block" | "sensitive",
): Html {
  const blocked = c.flagged !== undefined && policy === "block";
  const size =
    c.media.width && c.media.height
      ? html` width="${c.media.width}" height="${c.media.height}"`
      : "";
  return html`<div class="candidate-card">
      <label class="candidate"><input type="checkbox" name="media" value="${c.media.id}"${checked ? " checked" : ""}${blocked ? " disabled" : ""}>
      <img src="${c.url}" alt="${t("c_compose.candidateAlt", { n: t.number(i + 1), description: c.media.description ?? "" })}"${size}></label>
      <label for="alt_${c.media.id}">${t("c_compose.candidateAltLabel", { n: t.number(i + 1) })}</label>
      <textarea id="alt_${c.media.id}" name="alt_${c.media.id}" rows="3" maxlength="1500">${c.media.description ?? ""}</textarea>
      ${flaggedNotice(t, c, policy)}
    </div>`;
}

export function jobResultPage(
  v: View,
  job: GenerationJob,
  candidates: ShownCandidate[],
  o: ComposeOptions,
  outputPolicy: "block" | "sensitive",
): Html {
  const regenerate = html`<form method="post" action="/compose/generate" class="stack">
    ${hidden(v)}
    <details><summary>${v.t("c_compose.changePrompt")}</summary>
    ${generateFields(v.t, o, {
      prompt: job.prompt,
      negativePrompt: job.negativePrompt ?? "",
      size: job.size,
      model: job.model,
      ...(job.remixOfStatusId ? { remixOf: job.remixOfStatusId } : {}),
    })}
    </details>
    <button type="submit" class="button">${v.t("c_compose.regenerate")}</button>
  </form>`;
  if (job.state !== "succeeded" || candidates.length === 0) {
    return layout(
      v,
      { title: v.t("c_compose.failedTitle"), noindex: true },
      html`<section class="panel narrow compose">
  <h1>${v.t(job.state === "cancelled" ? "c_compose.cancelled" : "c_compose.didNotWork")}</h1>
  <p class="notice notice-error" role="alert">${job.errorMessage ?? v.t("c_compose.couldNotMake")}</p>
  ${regenerate}
</section>`,
    );
  }
  // The first candidate that may be posted starts picked; none is when moderation blocked them all.
  const firstPostable = candidates.findIndex(
    (c) => c.flagged === undefined || outputPolicy !== "block",
  );
  return layout(
    v,
    { title: v.t("c_compose.pickTitle"), noindex: true },
    html`<section class="panel compose">
  <h1>${v.t("c_compose.pickTitle")}</h1>
  <p class="prompt"><span class="muted">${v.t("c_compose.promptLabel")}</span> ${job.prompt}</p>
  <form method="post" action="/compose/post" class="stack">
    ${hidden(v)}
    <input type="hidden" name="job" value="${job.id}">
    <fieldset class="candidates"><legend>${v.t("c_compose.candidates", { max: v.t.number(o.maxAttachments) })}</legend>
    ${candidates.map((c, i) => candidateCard(v.t, c, i, i === firstPostable, outputPolicy))}
    </fieldset>
    ${postFields(v, false)}
    <button type="submit" class="button button-primary">${v.t("c_compose.post")}</button>
  </form>
  ${regenerate}
</section>`,
  );
}
