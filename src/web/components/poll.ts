// A status's poll on the pages: each option with its share (a <meter>, so no inline style is needed
// under the strict CSP), the viewer's own choices, the end time, and for a signed-in viewer who may still
// vote a plain POST form (radio buttons, or checkboxes for several choices) that works without JavaScript.
// Hidden totals stay hidden until the end, except from the author, as the API shows them.
import { html } from "hono/html";
import type { Status } from "../../db/queries/rows.ts";
import type { Html } from "../context.ts";
import type { StatusView } from "../views.ts";
import type { View } from "./layout.ts";

export function pollBlock(v: View, view: StatusView, returnTo: string, now = new Date()): Html {
  const poll: Status["poll"] = view.status.poll;
  if (poll === null) return html``;
  const ended = poll.expiresAt !== null && Date.parse(poll.expiresAt) <= now.getTime();
  const viewerId = v.session?.account.id;
  const own = viewerId !== undefined && viewerId === view.status.accountId;
  const mine = view.pollVotes ?? [];
  const showTotals = !poll.hideTotals || ended || own;
  const total = poll.options.reduce((sum, o) => sum + o.votesCount, 0);
  const canVote = v.session !== undefined && !own && !ended && mine.length === 0;
  const input = poll.multiple ? "checkbox" : "radio";
  const end =
    poll.expiresAt === null
      ? ""
      : html`<p class="poll-end muted">${v.t(ended ? "poll.closed" : "poll.closes")} <time datetime="${poll.expiresAt}">${v.t.dateTime(poll.expiresAt)}</time> · ${v.t("poll.people", { count: poll.votersCount ?? total })}</p>`;
  if (canVote) {
    return html`<form method="post" action="/statuses/${view.status.id}/vote" class="poll stack">
  <input type="hidden" name="csrf" value="${v.csrf}"><input type="hidden" name="return_to" value="${returnTo}">
  <fieldset><legend>${v.t(poll.multiple ? "poll.chooseSeveral" : "poll.chooseOne")}</legend>
  ${poll.options.map(
    (o, i) =>
      html`<label class="poll-option"><input type="${input}" name="choices" value="${i}"${!poll.multiple && i === 0 ? " required" : ""}> ${o.title}</label>`,
  )}
  </fieldset>
  <button type="submit" class="button button-small">${v.t("poll.vote")}</button>
  ${end}
</form>`;
  }
  return html`<div class="poll" aria-label="${v.t("poll.results")}">
  <ul class="poll-results">${poll.options.map((o, i) => {
    const share = total === 0 ? 0 : Math.round((o.votesCount / total) * 100);
    const chosen = mine.includes(i);
    return html`<li class="poll-option${chosen ? " poll-chosen" : ""}"><span>${o.title}${chosen ? html` <span class="tag">${v.t("poll.yourVote")}</span>` : ""}</span>${
      showTotals
        ? html` <meter min="0" max="100" value="${share}">${share}%</meter> <strong>${share}%</strong>`
        : ""
    }</li>`;
  })}</ul>
  ${showTotals ? "" : html`<p class="muted">${v.t("poll.hiddenResults")}</p>`}
  ${end}
</div>`;
}
