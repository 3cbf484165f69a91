// The signed-in actions on a post: reply, boost and like (toggle buttons with counts and aria-pressed),
// delete for one's own. Each is a plain POST form with the session's CSRF token, so it works without
// JavaScript and under the strict CSP; app.js sends the same forms with fetch and updates the buttons.
import { html } from "hono/html";
import type { Account, Visibility } from "../../db/schema/index.ts";
import type { Html } from "../context.ts";
import type { StatusView } from "../queries/statuses.ts";
import type { ViewerState } from "../queries/viewer-state.ts";
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
    viewer: view.viewer ?? { favourited: false, reblogged: false },
  };
}

const hidden = (v: View, returnTo: string) =>
  html`<input type="hidden" name="csrf" value="${v.csrf}"><input type="hidden" name="return_to" value="${returnTo}">`;

/** A like or boost toggle: the form posts the verb that flips the current state. */
function toggle(v: View, t: ActionTarget, kind: "favourite" | "reblog", returnTo: string): Html {
  const pressed = kind === "favourite" ? t.viewer.favourited : t.viewer.reblogged;
  const count = kind === "favourite" ? t.counts.favourites : t.counts.reblogs;
  const label = kind === "favourite" ? "Like" : "Boost";
  return html`<form method="post" action="/statuses/${t.id}/${pressed ? `un${kind}` : kind}" class="inline" data-toggle="${kind}">
  ${hidden(v, returnTo)}
  <button type="submit" class="action action-${kind}" aria-pressed="${pressed ? "true" : "false"}">${label} <span class="count">${count}</span></button>
</form>`;
}

/**
 * Reply (a link to the post's reply form), boost (public and unlisted posts), like and, on one's own
 * posts, delete. `removable` marks cards that app.js takes off the page after a delete.
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
  return html`<div class="action-bar" role="group" aria-label="Actions">
  ${
    options.reply === false || options.compact
      ? ""
      : html`<a class="action action-reply" href="${statusPath(t.author, t.id)}#reply-text">Reply <span class="count">${t.counts.replies}</span></a>`
  }
  ${boostable ? toggle(v, t, "reblog", returnTo) : ""}
  ${toggle(v, t, "favourite", returnTo)}
  ${
    own && !options.compact
      ? html`<form method="post" action="/statuses/${t.id}/delete" class="inline" data-confirm="Delete this post? This cannot be undone."${options.removable ? html` data-remove` : ""}>
  ${hidden(v, returnTo)}
  <button type="submit" class="action action-delete">Delete</button>
</form>`
      : ""
  }
</div>`;
}

/** The post page's actions: the bar and the reply form. */
export function statusActions(v: View, view: StatusView, returnTo: string): Html {
  if (v.session === undefined) return html``;
  const base = `/statuses/${view.status.id}`;
  return html`${actionBar(v, actionTargetOf(view), returnTo, { reply: false })}
<form method="post" action="${base}/reply" class="stack reply-form">
  <input type="hidden" name="csrf" value="${v.csrf}">
  <label for="reply-text">Reply</label>
  <textarea id="reply-text" name="text" rows="2" maxlength="5000" required></textarea>
  <button type="submit" class="button">Reply</button>
</form>`;
}
