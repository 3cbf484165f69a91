// Notifications: follows, follow requests, likes, boosts, replies and mentions, newest first.
import { html } from "hono/html";
import type { Notification } from "../../db/queries/rows.ts";
import { accountLine, displayNameOf, statusPath } from "../components/account.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";
import type { NotificationView } from "../views.ts";

const verbs: Partial<Record<Notification["type"], string>> = {
  follow: "followed you",
  follow_request: "asked to follow you",
  favourite: "liked your post",
  reblog: "boosted your post",
  mention: "mentioned you",
  status: "posted",
  update: "edited a post you boosted",
  quote: "quoted your post",
  quoted_update: "edited a post you quoted",
  emoji_reaction: "reacted to your post",
  moved: "moved to a new account",
  "admin.sign_up": "signed up",
  "admin.report": "filed a report",
  moderation_warning: "sent you a moderation decision",
};

function item(
  v: View,
  n: NotificationView,
  localUsername: string,
  lastReadId: string | null,
): Html {
  // Newer than the notifications marker as it stood before this page was shown (ids sort as text).
  const unread = lastReadId === null || n.notification.id > lastReadId;
  const verb = verbs[n.notification.type] ?? n.notification.type;
  const statusLink =
    n.status === null
      ? ""
      : html` · <a class="notification-link" href="${
          n.status.accountId === n.from.id
            ? statusPath(n.from, n.status.id)
            : statusPath({ username: localUsername, domain: null }, n.status.id)
        }">open the post</a>`;
  // A warn or blur filter of the notifications context: the post is only linked here, so its titles say so.
  const filtered = (n.filtered ?? []).map((m) => m.filter.title).join(", ");
  return html`<li class="notification${unread ? " unread" : ""}">
  ${accountLine(v, n.from)}
  <p><span class="visually-hidden">${displayNameOf(n.from)}</span> ${verb}${n.notification.emoji ? ` ${n.notification.emoji}` : ""}${statusLink}${filtered ? html` <span class="tag">Filtered: ${filtered}</span>` : ""}${
    unread ? html` <span class="tag tag-new">New</span>` : ""
  }</p>
</li>`;
}

export function notificationsPage(
  v: View,
  list: { items: NotificationView[]; next: string | null },
  lastReadId: string | null,
): Html {
  const username = v.session!.account.username;
  return layout(
    v,
    { title: "Notifications", noindex: true },
    html`<section class="intro column"><h1>Notifications</h1></section>
${
  list.items.length === 0
    ? html`<p class="empty">No notifications yet.</p>`
    : html`<ul class="notifications">${list.items.map((n) => item(v, n, username, lastReadId))}</ul>`
}
${
  list.next
    ? html`<nav class="pager" aria-label="More"><a class="button" rel="next" href="/notifications?max_id=${encodeURIComponent(list.next)}">Older</a></nav>`
    : ""
}`,
  );
}
