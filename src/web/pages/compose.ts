// The compose pages: the prompt form (and uploading one's own image, or asking a question with a poll), a
// job's progress, and picking a candidate with caption, alt text, content warning and visibility before posting.
import { html } from "hono/html";
import type { GenerationJob, MediaAttachment } from "../../db/queries/rows.ts";
import { POLL_LIMITS } from "../../domain/polls.ts";
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

const VISIBILITY_OPTIONS = [
  ["public", "Public"],
  ["unlisted", "Unlisted (not in public timelines)"],
  ["private", "Followers only"],
] as const;

/** The choice starts at the user's default visibility (direct, not offered here: followers only). */
function visibilityFields(v: View): Html {
  const preferred = v.session?.user.defaultVisibility ?? "public";
  const chosen = preferred === "direct" ? "private" : preferred;
  return html`<label for="visibility">Who can see it</label>
  <select id="visibility" name="visibility">
    ${VISIBILITY_OPTIONS.map(
      ([value, label]) =>
        html`<option value="${value}"${value === chosen ? " selected" : ""}>${label}</option>`,
    )}
  </select>`;
}

/** The fields of a post; `withAlt` false where each candidate has its own alt text field. */
function postFields(v: View, withAlt: boolean): Html {
  return html`<label for="text">Caption</label>
  <textarea id="text" name="text" rows="3" maxlength="5000"></textarea>
  ${
    withAlt
      ? html`<label for="alt">Alt text (describe each image for people who cannot see it)</label>
  <textarea id="alt" name="alt" rows="2" aria-describedby="alt-hint"></textarea>
  <p class="hint" id="alt-hint">With several images, one line per image, in the order you chose them.</p>`
      : ""
  }
  <label for="cw">Content warning (optional)</label>
  <input type="text" id="cw" name="cw" maxlength="500">
  ${visibilityFields(v)}
  <div class="check">
    <input type="checkbox" id="dataset_opt_out" name="dataset_opt_out" value="1" aria-describedby="dataset_opt_out-hint">
    <label for="dataset_opt_out">Keep this post out of datasets</label>
    <p class="hint" id="dataset_opt_out-hint">Left out of every dataset export${v.session?.user.aiDataConsent ? "" : " (you have not allowed datasets anyway; see Settings)"}.</p>
  </div>
  <label for="scheduled_at">Schedule for (optional, UTC)</label>
  <input type="datetime-local" id="scheduled_at" name="scheduled_at" aria-describedby="scheduled_at-hint">
  <p class="muted" id="scheduled_at-hint">Leave empty to post now; a scheduled post goes out at least 5 minutes from now. <a href="/scheduled">Your scheduled posts</a></p>`;
}

function generateFields(o: ComposeOptions, d: ComposeDefaults): Html {
  const size = d.size ?? o.sizes[0];
  return html`<label for="prompt">Prompt</label>
  <textarea id="prompt" name="prompt" rows="4" maxlength="4000" required>${d.prompt ?? ""}</textarea>
  <label for="negative_prompt">Negative prompt (optional: what to avoid)</label>
  <input type="text" id="negative_prompt" name="negative_prompt" maxlength="1000" value="${d.negativePrompt ?? ""}">
  <label for="size">Size</label>
  <select id="size" name="size">${o.sizes.map((s) => html`<option value="${s}"${s === size ? " selected" : ""}>${s}</option>`)}</select>
  ${
    o.models.length > 1
      ? html`<label for="model">Model</label>
  <select id="model" name="model">${o.models.map((m) => html`<option value="${m}"${m === (d.model ?? o.defaultModel) ? " selected" : ""}>${m}</option>`)}</select>`
      : ""
  }
  ${d.remixOf ? html`<input type="hidden" name="remix_of" value="${d.remixOf}">` : ""}`;
}

export function composePage(v: View, o: ComposeOptions, d: ComposeDefaults, error?: string): Html {
  return layout(
    v,
    { title: "Create", noindex: true },
    html`<section class="panel narrow compose">
  <h1>${d.remixOf ? "Remix an image" : "Create an image"}</h1>
  ${error ? html`<p class="notice notice-error" role="alert">${error}</p>` : ""}
  ${d.remixOf ? html`<p class="muted">Your post will quote the original as a remix.</p>` : ""}
  <form method="post" action="/compose/generate" class="stack">
    ${hidden(v)}
    ${generateFields(o, d)}
    <button type="submit" class="button button-primary">Generate</button>
  </form>
</section>
<section class="panel narrow compose">
  <h2>Or post your own image</h2>
  <form method="post" action="/compose/upload" enctype="multipart/form-data" class="stack">
    ${hidden(v)}
    <label for="file">Images (JPEG, PNG, WebP, AVIF or GIF; up to ${o.maxAttachments})</label>
    <input id="file" name="file" type="file" accept="image/jpeg,image/png,image/webp,image/avif,image/gif" multiple required>
    ${postFields(v, true)}
    <button type="submit" class="button button-primary">Post</button>
  </form>
</section>
${pollForm(v)}`,
  );
}

// Mastodon's apps offer these lengths; all lie within POLL_LIMITS (5 minutes … a month).
const POLL_LENGTHS: [number, string][] = [
  [300, "5 minutes"],
  [1800, "30 minutes"],
  [3600, "1 hour"],
  [21_600, "6 hours"],
  [86_400, "1 day"],
  [259_200, "3 days"],
  [604_800, "7 days"],
];

/** A question with two to four answers (a poll has no image, as on Mastodon). */
function pollForm(v: View): Html {
  const { maxOptions, maxCharactersPerOption } = POLL_LIMITS;
  return html`<section class="panel narrow compose">
  <h2>Or ask a question</h2>
  <form method="post" action="/compose/poll" class="stack">
    ${hidden(v)}
    <label for="poll-text">Question</label>
    <textarea id="poll-text" name="text" rows="2" maxlength="5000" required></textarea>
    ${Array.from(
      { length: maxOptions },
      (_, i) =>
        html`<label for="poll-option-${i}">Answer ${i + 1}${i >= 2 ? " (optional)" : ""}</label>
    <input type="text" id="poll-option-${i}" name="option_${i}" maxlength="${maxCharactersPerOption}"${i < 2 ? " required" : ""}>`,
    )}
    <label for="poll-expires">Open for</label>
    <select id="poll-expires" name="expires_in">${POLL_LENGTHS.map(
      ([s, label]) =>
        html`<option value="${s}"${s === 86_400 ? " selected" : ""}>${label}</option>`,
    )}</select>
    <label><input type="checkbox" name="multiple" value="true"> Allow several answers</label>
    <label><input type="checkbox" name="hide_totals" value="true"> Hide the results until it closes</label>
    <label for="poll-visibility">Who can see it</label>
    <select id="poll-visibility" name="visibility">
      <option value="public" selected>Public</option>
      <option value="unlisted">Unlisted (not in public timelines)</option>
      <option value="private">Followers only</option>
    </select>
    <button type="submit" class="button button-primary">Post the question</button>
  </form>
</section>`;
}

/** A job still queued or running: a progress state; app.js polls the JSON, <noscript> refreshes. */
export function jobProgressPage(v: View, job: GenerationJob): Html {
  return layout(
    v,
    {
      title: "Generating…",
      noindex: true,
      head: html`<noscript><meta http-equiv="refresh" content="2"></noscript>`,
    },
    html`<section class="panel narrow compose" data-job-poll="/compose/jobs/${job.id}.json" aria-live="polite">
  <h1>Generating…</h1>
  <p class="prompt"><span class="muted">Prompt:</span> ${job.prompt}</p>
  <progress aria-label="Generating the image"></progress>
  <p class="muted" data-job-state>${job.state === "queued" ? "Waiting for a free generator…" : "Making your image…"}</p>
  <p><a href="/compose/jobs/${job.id}">Refresh</a></p>
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

function flaggedNotice(c: ShownCandidate, policy: "block" | "sensitive"): Html {
  if (c.flagged === undefined) return html``;
  const what = c.flagged.length > 0 ? ` (${c.flagged.join(", ")})` : "";
  return html`<p class="notice notice-error">Flagged by moderation${what}: ${
    policy === "block"
      ? "this instance does not allow posting it."
      : "it will be posted as sensitive, behind a content warning."
  }</p>`;
}

/** One candidate: pick it, read and edit its drafted alt text, see whether moderation flagged it. */
function candidateCard(
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
      <img src="${c.url}" alt="Candidate ${i + 1}: ${c.media.description ?? ""}"${size}></label>
      <label for="alt_${c.media.id}">Alt text of image ${i + 1} (drafted; edit it before posting)</label>
      <textarea id="alt_${c.media.id}" name="alt_${c.media.id}" rows="3" maxlength="1500">${c.media.description ?? ""}</textarea>
      ${flaggedNotice(c, policy)}
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
    <details><summary>Change the prompt</summary>
    ${generateFields(o, {
      prompt: job.prompt,
      negativePrompt: job.negativePrompt ?? "",
      size: job.size,
      model: job.model,
      ...(job.remixOfStatusId ? { remixOf: job.remixOfStatusId } : {}),
    })}
    </details>
    <button type="submit" class="button">Regenerate</button>
  </form>`;
  if (job.state !== "succeeded" || candidates.length === 0) {
    return layout(
      v,
      { title: "Generation failed", noindex: true },
      html`<section class="panel narrow compose">
  <h1>${job.state === "cancelled" ? "Cancelled" : "That did not work"}</h1>
  <p class="notice notice-error" role="alert">${job.errorMessage ?? "The image could not be made."}</p>
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
    { title: "Pick an image", noindex: true },
    html`<section class="panel compose">
  <h1>Pick an image</h1>
  <p class="prompt"><span class="muted">Prompt:</span> ${job.prompt}</p>
  <form method="post" action="/compose/post" class="stack">
    ${hidden(v)}
    <input type="hidden" name="job" value="${job.id}">
    <fieldset class="candidates"><legend>Candidates (pick up to ${o.maxAttachments})</legend>
    ${candidates.map((c, i) => candidateCard(c, i, i === firstPostable, outputPolicy))}
    </fieldset>
    ${postFields(v, false)}
    <button type="submit" class="button button-primary">Post</button>
  </form>
  ${regenerate}
</section>`,
  );
}
