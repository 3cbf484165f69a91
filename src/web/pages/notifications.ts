// Notifications: follows, follow requests, likes, boosts, replies and mentions, newest first.
import { html } from "hono/html";
import type { Notification } from "../../db/queries/rows.ts";
import { accountLine, displayNameOf, statusPath } from "../components/account.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";
import type { NotificationView } from "../views.ts";

// The catalogue's key of each type ("admin.sign_up" → admin_sign_up: a dot would be a key path).
const VERB_KEYS = {
  follow: "follow",
  follow_request: "follow_request",
  favourite: "favourite",
  reblog: "reblog",
  mention: "mention",
  status: "status",
  update: "update",
  quote: "quote",
  quoted_update: "quoted_update",
  emoji_reaction: "emoji_reaction",
  moved: "moved",
  "admin.sign_up": "admin_sign_up",
  "admin.report": "admin_report",
  moderation_warning: "moderation_warning",
} as const satisfies Partial<Record<Notification["type"], string>>;

function verbOf(v: View, type: Notification["type"]): string {
  const key = (VERB_KEYS as Partial<Record<string, (typeof VERB_KEYS)[keyof typeof VERB_KEYS]>>)[
    type
  ];
  return key === undefined ? type : v.t(`notifications.verbs.${key}`);
}

function item(
  v: View,
  n: NotificationView,
  localUsername: string,
  lastReadId: string | null,
): Html {
  // Newer than the notifications marker as it stood before this page was shown (ids sort as text).
  const unread = lastReadId === null || n.notification.id > lastReadId;
  const verb = verbOf(v, n.notification.type);
  const statusLink =
    n.status === null
      ? ""
      : html` · <a class="notification-link" href="${
          n.status.accountId === n.from.id
            ? statusPath(n.from, n.status.id)
            : statusPath({ username: localUsername, domain: null }, n.status.id)
        }">${v.t("notifications.openPost")}</a>`;
  // A warn or blur filter of the notifications context: the post is only linked here, so its titles say so.
  const filtered = (n.filtered ?? []).map((m) => m.filter.title).join(", ");
  return html`<li class="notification${unread ? " unread" : ""}">
  ${accountLine(v, n.from)}
  <p><span class="visually-hidden">${displayNameOf(n.from)}</span> ${verb}${n.notification.emoji ? ` ${n.notification.emoji}` : ""}${statusLink}${filtered ? html` <span class="tag">${v.t("notifications.filtered", { titles: filtered })}</span>` : ""}${
    unread ? html` <span class="tag tag-new">${v.t("notifications.new")}</span>` : ""
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
    { title: v.t("notifications.title"), noindex: true },
    html`<section class="intro column"><h1>${v.t("notifications.title")}</h1></section>
${
  list.items.length === 0
    ? html`<p class="empty">${v.t("notifications.none")}</p>`
    : html`<ul class="notifications">${list.items.map((n) => item(v, n, username, lastReadId))}</ul>`
}
${
  list.next
    ? html`<nav class="pager" aria-label="${v.t("common.more")}"><a class="button" rel="next" href="/notifications?max_id=${encodeURIComponent(list.next)}">${v.t("notifications.older")}</a></nav>`
    : ""
}`,
  );
}
