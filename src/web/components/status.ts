// Statuses on the pages: the card used in lists (timelines, profiles, replies), the post it quotes, and
// the AI label that shows where an image came from (prompt and model from the attachment's provenance).
import { html } from "hono/html";
import { idTime } from "../../db/ids.ts";
import type { MediaAttachment, Status } from "../../db/queries/rows.ts";
import type { Translator } from "../../i18n/index.ts";
import type { Html } from "../context.ts";
import type { StatusView } from "../views.ts";
import { accountLine, displayNameOf, profilePath, statusPath } from "./account.ts";
import { actionBar, actionTargetOf } from "./actions.ts";
import { type EmojiImages, emojifyHtml, emojifyText, emojiImages, NO_EMOJIS } from "./emoji.ts";
import type { View } from "./layout.ts";
import { altText, imageUrls, isAiGenerated, loadingAttrs, srcsetAttrs } from "./media.ts";
import { pollBlock } from "./poll.ts";
import { previewCardBlock } from "./preview-card.ts";
import { rich } from "./text.ts";

/** Who may see a status, in the page's language. */
function visibilityLabel(t: Translator, visibility: Status["visibility"]): string {
  return t(`status.visibility.${visibility}`);
}

export function timeTag(t: Translator, status: Status): Html {
  const at = status.createdAt ?? idTime(status.id);
  return html`<time datetime="${at.toISOString()}">${t.dateTime(at)}</time>`;
}

/**
 * "AI-generated" with the prompt, model and a Remix link, when the first AI image says how it was made.
 * On the post's page it is shown whole; in a timeline card (`collapsed`) it is a disclosure whose summary
 * is the label and model, so the image leads and a long prompt or a chain of steps is one click away.
 */
export function aiLabel(
  t: Translator,
  media: MediaAttachment[],
  remixHref: string | null,
  options: { collapsed?: boolean } = {},
): Html {
  const ai = media.find(isAiGenerated);
  if (ai === undefined) return html``;
  const p = ai.provenance!;
  const prompt = p.prompt ?? p.revisedPrompt;
  const label = html`<span class="tag tag-ai">${t("status.aiGenerated")}</span>${
    p.model
      ? html` ${rich(t, "status.withModel", { model: html`<strong>${p.model}</strong>` })}`
      : ""
  }${p.provider ? html` <span class="muted">(${p.provider})</span>` : ""}`;
  const details = html`${prompt ? html`<p class="prompt"><span class="muted">${t("status.prompt")}</span> ${prompt}</p>` : ""}
  ${p.negativePrompt ? html`<p class="prompt"><span class="muted">${t("status.negativePrompt")}</span> ${p.negativePrompt}</p>` : ""}
  ${lineageList(t, p.lineage ?? [])}
  ${remixHref ? html`<p><a class="button button-small" href="${remixHref}">${t("status.remixPrompt")}</a></p>` : ""}`;
  if (options.collapsed && prompt) {
    return html`<details class="ai-label ai-label-card"><summary>${label}</summary>
  ${details}
</details>`;
  }
  return html`<aside class="ai-label" aria-label="${t("status.howMade")}">
  <p>${label}</p>
  ${details}
</aside>`;
}

const STEP_KINDS = ["generate", "refine", "vary", "inpaint", "resize"] as const;

/** What a studio step did ("Refined"), or its kind as stored when it is one we do not know. */
function stepVerb(t: Translator, kind: string): string {
  const known = STEP_KINDS.find((k) => k === kind);
  return known === undefined ? kind : t(`status.steps.${known}`);
}

/** The studio steps that made the image, first step first: what each did, with which prompt and model. */
function lineageList(
  t: Translator,
  lineage: NonNullable<MediaAttachment["provenance"]>["lineage"] & object,
): Html {
  if (lineage.length < 2) return html``;
  return html`<details class="lineage" open><summary>${t("status.madeInSteps", { count: lineage.length })}</summary>
  <ol>${lineage.map(
    (step) =>
      html`<li data-step="${step.id}"${step.parentId ? html` data-parent="${step.parentId}"` : ""}><strong>${stepVerb(t, step.kind)}</strong>: ${step.prompt}${
        step.model ? html` <span class="muted">(${step.model})</span>` : ""
      }</li>`,
  )}</ol>
</details>`;
}

function counts(t: Translator, s: Status): Html {
  const count = (n: number, key: "status.replies" | "status.boosts" | "status.likes") =>
    html`<li><strong>${t.number(n)}</strong> ${t(key, { count: n })}</li>`;
  return html`<ul class="status-counts" aria-label="${t("status.reactions")}">
  ${count(s.repliesCount, "status.replies")}
  ${count(s.reblogsCount, "status.boosts")}
  ${count(s.favouritesCount, "status.likes")}
</ul>`;
}

function thumbs(v: View, view: StatusView): Html {
  const images = view.media.flatMap((m) => {
    const u = imageUrls(m, v.urls);
    return u === null ? [] : [{ m, u }];
  });
  if (images.length === 0) return html``;
  // The 680-pixel column holds one image 646 pixels wide, or two side by side: the 640-pixel thumbnail
  // is drawn there on a desktop (the display file would be several times the bytes for 6 pixels), and
  // the display file only where the screen has the pixels for it.
  const sizes =
    images.length === 1 ? "(min-width: 712px) 640px, 100vw" : "(min-width: 712px) 320px, 50vw";
  return html`<div class="status-media count-${Math.min(images.length, 4)}">${images
    .slice(0, 4)
    .map(
      ({ m, u }) =>
        html`<a href="${statusPath(view.account, view.status.id)}"><img class="ph-${m.id}" src="${u.thumbnail}" alt="${altText(m, v.t)}"${
          u.width && u.height ? html` width="${u.width}" height="${u.height}"` : ""
        }${srcsetAttrs(u, sizes)}${loadingAttrs(v)}></a>`,
    )}</div>`;
}

/** Content (sanitized HTML in the database), behind a disclosure when it has a content warning. */
export function statusBody(
  t: Translator,
  s: Status,
  inner: Html,
  emojis: EmojiImages = NO_EMOJIS,
): Html {
  const content = html`${s.content ? html`<div class="prose">${emojifyHtml(s.content, emojis)}</div>` : ""}${inner}`;
  if (s.spoilerText !== "" || s.sensitive) {
    return html`<details class="cw"><summary>${s.spoilerText ? emojifyText(s.spoilerText, emojis) : t("common.sensitiveContent")} <span class="muted">${t("common.show")}</span></summary>${content}</details>`;
  }
  return content;
}

/** The titles of the filters of `action` a status matched, or "" when none. */
function filterTitles(view: StatusView, action: "warn" | "blur"): string {
  return (view.filtered ?? [])
    .filter((m) => m.filter.action === action)
    .map((m) => m.filter.title)
    .join(", ");
}

/**
 * A status in a list; signed-in viewers get its action buttons (returning to this spot of the list).
 * One the viewer's warn filters matched is collapsed behind "Filtered: <titles>", as Mastodon's apps
 * show it; a blur filter puts only its images behind such a disclosure.
 */
export function statusCard(v: View, view: StatusView): Html {
  const anchor = `c-${view.cursor}`;
  const warned = filterTitles(view, "warn");
  const card = statusCardBody(v, view, anchor);
  return html`<article class="status${warned ? " status-filtered" : ""}" id="${anchor}" aria-label="${v.t("status.postBy", { name: displayNameOf(view.account) })}">
  ${
    warned
      ? html`<details class="filtered"><summary>${v.t("status.filtered", { titles: warned })} <span class="muted">${v.t("common.show")}</span></summary>${card}</details>`
      : card
  }
</article>`;
}

function statusCardBody(v: View, view: StatusView, anchor: string): Html {
  const s = view.status;
  const blurred = filterTitles(view, "blur");
  const media = blurred
    ? html`<details class="filtered filtered-media"><summary>${v.t("status.imagesFiltered", { titles: blurred })} <span class="muted">${v.t("common.show")}</span></summary>${thumbs(v, view)}</details>`
    : thumbs(v, view);
  return html`${
    view.boostedBy
      ? html`<p class="boosted-by muted">${rich(v.t, "status.boosted", { name: html`<a href="${profilePath(view.boostedBy)}">${displayNameOf(view.boostedBy)}</a>` })}</p>`
      : ""
  }
  <header class="status-header">
    ${accountLine(v, view.account, emojiImages(view.accountEmojis, v.urls))}
    <a class="status-time" href="${statusPath(view.account, s.id)}">${timeTag(v.t, s)}</a>
  </header>
  ${s.inReplyToId || s.inReplyToIri ? html`<p class="muted reply-note">${v.t("status.reply")}</p>` : ""}
  ${statusBody(v.t, s, html`${media}${quoteBlock(v, view.quote)}${previewCardBlock(v, view.card)}${pollBlock(v, view, `${v.here.split("#")[0]}#${anchor}`)}${aiLabel(v.t, view.media, null, { collapsed: true })}`, emojiImages(view.emojis, v.urls))}
  <footer class="status-footer">
    ${
      v.session
        ? actionBar(v, actionTargetOf(view), `${v.here.split("#")[0]}#${anchor}`, {
            removable: true,
          })
        : counts(v.t, s)
    }
    ${s.visibility !== "public" ? html`<span class="tag">${visibilityLabel(v.t, s.visibility)}</span>` : ""}
  </footer>`;
}

// A quoted post inside a status (Mastodon 4.5's quotes): the quoted author, text and first images,
// linking to its page; or, when it cannot be shown, why (awaiting approval, refused, deleted, hidden).

/** The quote block of a status card or page, or nothing when the status quotes nothing. */
export function quoteBlock(v: View, quote: StatusView["quote"]): Html {
  if (quote === undefined) return html``;
  const q = quote.quoted;
  if (quote.state !== "accepted" || q === undefined) {
    const reason = v.t(
      `status.unavailable.${quote.state === "accepted" ? "deleted" : quote.state}`,
    );
    return html`<p class="quoted-status quoted-unavailable muted">${reason}</p>`;
  }
  const images = q.media.flatMap((m) => {
    const u = imageUrls(m, v.urls);
    return u === null
      ? []
      : [
          html`<img src="${u.thumbnail}" alt="${altText(m, v.t)}"${
            u.width && u.height ? html` width="${u.width}" height="${u.height}"` : ""
          } loading="lazy" decoding="async">`,
        ];
  });
  return html`<blockquote class="quoted-status" aria-label="${v.t("status.quotedPost")}">
  <header class="status-header">
    ${accountLine(v, q.account, emojiImages(q.accountEmojis, v.urls))}
    <a class="status-time" href="${statusPath(q.account, q.status.id)}">${timeTag(v.t, q.status)}</a>
  </header>
  ${statusBody(
    v.t,
    q.status,
    images.length > 0
      ? html`<div class="status-media count-${Math.min(images.length, 4)}">${images.slice(0, 4)}</div>`
      : html``,
    emojiImages(q.emojis, v.urls),
  )}
</blockquote>`;
}

export { counts as statusCounts, visibilityLabel };
