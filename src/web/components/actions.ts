// The signed-in actions on a post: reply, boost and like (toggle buttons with counts and aria-pressed),
// pin (to the top of one's profile) and delete for one's own. Each is a plain POST form with the session's CSRF token, so it works without
// JavaScript and under the strict CSP; app.js sends the same forms with fetch and updates the buttons.
import { html } from "hono/html";
import type { Account, Visibility } from "../../db/queries/rows.ts";
import type { Html } from "../context.ts";
import type { StatusView, ViewerState } from "../views.ts";
import { statusPath } from "./account.ts";
import type { View } from "./layout.ts";

export type { ViewerState };

/** What the buttons need of a status, from a card or from a gallery tile. */
export interface ActionTarget {
  id: string;
  author: Pick<Account, "id" | "username" | "domain">;
  visibility: Visibility;
  counts: { replies: number; reblogs: number; favourites: number };
  viewer: ViewerState;
}

export function actionTargetOf(view: StatusView): ActionTarget {
  const s = view.status;
  return {
    id: s.id,
    author: view.account,
    visibility: s.visibility,
    counts: { replies: s.repliesCount, reblogs: s.reblogsCount, favourites: s.favouritesCount },
    viewer: view.viewer ?? { favourited: false, reblogged: false, pinned: false },
  };
}

/** A like or boost toggle: the button posts the verb that flips the current state. */
function toggle(v: View, t: ActionTarget, kind: "favourite" | "reblog"): Html {
  const pressed = kind === "favourite" ? t.viewer.favourited : t.viewer.reblogged;
  const count = kind === "favourite" ? t.counts.favourites : t.counts.reblogs;
  return html`<button type="submit" formaction="/statuses/${t.id}/${pressed ? `un${kind}` : kind}" class="action" data-toggle="${kind}" aria-pressed="${pressed ? "true" : "false"}">${v.t(kind === "favourite" ? "actions.like" : "actions.boost")} <span class="count">${v.t.number(count)}</span></button>`;
}

/**
 * Reply (a link to the post's reply form), boost (public and unlisted posts), like and, on one's own
 * posts, delete: one form (one CSRF token per post, which keeps long lists light) whose buttons name
 * their own action. `removable` marks cards that app.js takes off the page after a delete.
 */
export function actionBar(
  v: View,
  t: ActionTarget,
  returnTo: string,
  /** compact: only boost and like (gallery tiles, where the image is the link to everything else). */
  options: { removable?: boolean; reply?: boolean; compact?: boolean } = {},
): Html {
  const session = v.session;
  if (session === undefined) return html``;
  const own = t.author.id === session.account.id;
  const boostable = t.visibility === "public" || t.visibility === "unlisted";
  return html`<form method="post" action="/statuses/${t.id}/favourite" class="action-bar" role="group" aria-label="${v.t("actions.label")}">
<input type="hidden" name="csrf" value="${v.csrf}"><input type="hidden" name="return_to" value="${returnTo}">
${
  options.reply === false || options.compact
    ? ""
    : html`<a class="action" href="${statusPath(t.author, t.id)}#reply-text">${v.t("actions.reply")} <span class="count">${v.t.number(t.counts.replies)}</span></a>`
}
${boostable ? toggle(v, t, "reblog") : ""}
${toggle(v, t, "favourite")}
${
  own && !options.compact && t.visibility !== "direct"
    ? html`<button type="submit" formaction="/statuses/${t.id}/${t.viewer.pinned ? "unpin" : "pin"}" class="action" aria-pressed="${t.viewer.pinned ? "true" : "false"}">${v.t(t.viewer.pinned ? "actions.unpin" : "actions.pin")}</button>`
    : ""
}
${
  own && !options.compact
    ? html`<button type="submit" formaction="/statuses/${t.id}/delete" class="action action-delete" data-confirm="${v.t("actions.confirmDelete")}"${options.removable ? html` data-remove` : ""}>${v.t("actions.delete")}</button>`
    : ""
}
</form>`;
}

/** The post page's actions: the bar and the reply form. */
export function statusActions(v: View, view: StatusView, returnTo: string): Html {
  if (v.session === undefined) return html``;
  const base = `/statuses/${view.status.id}`;
  return html`${actionBar(v, actionTargetOf(view), returnTo, { reply: false })}
<form method="post" action="${base}/reply" class="stack reply-form">
  <input type="hidden" name="csrf" value="${v.csrf}">
  <label for="reply-text">${v.t("actions.reply")}</label>
  <textarea id="reply-text" name="text" rows="2" maxlength="5000" required></textarea>
  <button type="submit" class="button">${v.t("actions.reply")}</button>
</form>`;
}
