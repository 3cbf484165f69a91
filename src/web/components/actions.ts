// The signed-in actions under a post: reply, like, boost, delete (own posts). Each is a plain POST form
// with the session's CSRF token, so they work without JavaScript and under the strict CSP.
import { html } from "hono/html";
import type { Html } from "../context.ts";
import type { StatusView } from "../queries/statuses.ts";
import type { View } from "./layout.ts";

export interface ViewerState {
  favourited: boolean;
  reblogged: boolean;
}

function actionForm(
  v: View,
  action: string,
  label: string,
  returnTo: string,
  cls = "",
  confirm = "",
): Html {
  return html`<form method="post" action="${action}" class="inline"${confirm ? html` data-confirm="${confirm}"` : ""}>
  <input type="hidden" name="csrf" value="${v.csrf}">
  <input type="hidden" name="return_to" value="${returnTo}">
  <button type="submit" class="button button-small${cls}">${label}</button>
</form>`;
}

/** Like / boost / delete buttons and a reply form, for a signed-in viewer. */
export function statusActions(
  v: View,
  view: StatusView,
  state: ViewerState,
  returnTo: string,
): Html {
  const session = v.session;
  if (session === undefined) return html``;
  const s = view.status;
  const base = `/statuses/${s.id}`;
  const own = view.account.id === session.account.id;
  const boostable = s.visibility === "public" || s.visibility === "unlisted";
  return html`<div class="status-actions" aria-label="Actions">
  ${actionForm(v, `${base}/${state.favourited ? "unfavourite" : "favourite"}`, state.favourited ? "Unlike" : "Like", returnTo)}
  ${boostable ? actionForm(v, `${base}/${state.reblogged ? "unreblog" : "reblog"}`, state.reblogged ? "Undo boost" : "Boost", returnTo) : ""}
  ${own ? actionForm(v, `${base}/delete`, "Delete", "/home", " button-danger", "Delete this post? This cannot be undone.") : ""}
</div>
<form method="post" action="${base}/reply" class="stack reply-form">
  <input type="hidden" name="csrf" value="${v.csrf}">
  <label for="reply-text">Reply</label>
  <textarea id="reply-text" name="text" rows="2" maxlength="5000" required></textarea>
  <button type="submit" class="button">Reply</button>
</form>`;
}
