// Settings → Aliases and Settings → Moving to another account: the "also known as" list (an account
// moving here from elsewhere must be named first), the move itself with its followers' progress, and
// the redirect without moving (set and cancelled). The rules live in
// domain/account-moves.ts; these pages show its answers and its refusals.
import { html } from "hono/html";
import type { Account } from "../../db/queries/rows.ts";
import type { Alias, MigrationStatus } from "../../domain/account-moves.ts";
import type { FollowerMove } from "../../domain/follower-moves.ts";
import { handleOf, profilePath } from "../components/account.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

export interface MovesNotice {
  kind: "ok" | "error";
  text: string;
}

function noticeLine(notice: MovesNotice | undefined): Html | string {
  if (notice === undefined) return "";
  return html`<p class="${notice.kind === "ok" ? "success" : "error"}" role="${notice.kind === "ok" ? "status" : "alert"}">${notice.text}</p>`;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

export function aliasesPage(
  v: View,
  account: Account,
  aliases: readonly Alias[],
  notice?: MovesNotice,
  typed = "",
): Html {
  const host = new URL(v.origin).host;
  return layout(
    v,
    { title: "Aliases · Settings", noindex: true },
    html`<section class="panel">
  <h1 id="aliases-title">Account aliases</h1>
  <p><a href="/settings">Back to settings</a> · <a href="/settings/migration">Move to another account</a></p>
  ${noticeLine(notice)}
  <p class="muted">Moving here from another account? Name it below first: your profile then says that you are also known as that account, and its server lets it move its followers to ${handleOf(account, host)}. An alias alone changes nothing else.</p>
  <form method="post" action="/settings/aliases" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="alias-handle">The old account's handle</label>
    <input id="alias-handle" name="handle" type="text" required maxlength="300" autocomplete="off" placeholder="@you@old.example" value="${typed}">
    <button type="submit" class="button button-primary">Add alias</button>
  </form>
  ${
    aliases.length === 0
      ? html`<p class="empty">You have no aliases.</p>`
      : html`<ul class="stack" aria-labelledby="aliases-title">${aliases.map((a) => {
          const name = a.account ? handleOf(a.account, host) : a.iri;
          return html`<li>${a.account ? html`<a href="${profilePath(a.account)}"><strong>${name}</strong></a>` : html`<strong>${name}</strong>`}
      <form method="post" action="/settings/aliases/delete" class="inline">
        <input type="hidden" name="csrf" value="${v.csrf}">
        <input type="hidden" name="iri" value="${a.iri}">
        <button type="submit" class="button button-small" aria-label="Remove alias ${name}">Remove</button>
      </form></li>`;
        })}</ul>`
  }
</section>`,
  );
}

const FOLLOWER_STATES: Record<FollowerMove["state"], string> = {
  queued: "waiting to start",
  running: "under way",
  finished: "done",
  failed: "stopped",
};

function followersLine(job: FollowerMove): Html {
  // Followers who arrive during the move are moved too, so the count can pass the first total.
  const total = Math.max(job.totalItems, job.processedItems);
  const left = job.processedItems - job.movedItems;
  return html`<p class="move-progress">${job.movedItems} of ${total} followers moved (${FOLLOWER_STATES[job.state]})${left > 0 ? `; ${left} stayed because of a block` : ""}${job.state === "failed" && job.errorMessage ? html`: ${job.errorMessage}` : ""}.</p>`;
}

function statusSection(v: View, status: MigrationStatus): Html | string {
  const host = new URL(v.origin).host;
  const redirect = status.redirect;
  const target = redirect?.target ?? null;
  const name = target
    ? html`<a href="${profilePath(target)}"><strong>${handleOf(target, host)}</strong></a>`
    : "another account";
  const last = status.lastMove;
  if (redirect === null && last === null) return "";
  return html`<div class="notice" role="status">
    ${
      redirect === null
        ? html`<p>Your profile does not point to another account.</p>`
        : redirect.byMove
          ? html`<p>This account has moved to ${name}${last ? html` on <time datetime="${last.at.toISOString()}">${day(last.at)}</time>` : ""}. Its profile says so, and its followers were asked to follow the new account.</p>`
          : html`<p>Your profile points to ${name}: it says that you moved, but no followers were moved.</p>`
    }
    ${last?.followers ? followersLine(last.followers) : ""}
    ${status.cooldownEnd ? html`<p>You can move again after <time datetime="${status.cooldownEnd.toISOString()}">${day(status.cooldownEnd)}</time>.</p>` : ""}
    ${
      redirect === null
        ? ""
        : html`<form method="post" action="/settings/migration/cancel" class="stack narrow-form">
      <input type="hidden" name="csrf" value="${v.csrf}">
      <label for="cancel-password">Your current password</label>
      <input id="cancel-password" name="password" type="password" autocomplete="current-password" required>
      <button type="submit" class="button">Cancel the redirect</button>
    </form>`
    }
  </div>`;
}

export function migrationPage(
  v: View,
  account: Account,
  status: MigrationStatus,
  notice?: MovesNotice,
  typed = "",
): Html {
  const host = new URL(v.origin).host;
  return layout(
    v,
    { title: "Move to another account · Settings", noindex: true },
    html`<section class="panel">
  <h1>Move to another account</h1>
  <p><a href="/settings">Back to settings</a> · <a href="/settings/aliases">Aliases</a></p>
  ${noticeLine(notice)}
  ${statusSection(v, status)}
  <h2>Move your followers</h2>
  <p class="muted">First, on the new account, add ${handleOf(account, host)} as an alias. Then name the new account here: your profile shows that you moved, and your followers, here and on the servers that honour moves, follow the new account instead. Your posts stay here and do not move. You can move once every 30 days.</p>
  <form method="post" action="/settings/migration" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="move-handle">The new account's handle</label>
    <input id="move-handle" name="handle" type="text" required maxlength="300" autocomplete="off" placeholder="@you@new.example" value="${typed}">
    <label for="move-password">Your current password</label>
    <input id="move-password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit" class="button button-danger">Move my followers</button>
  </form>
  <h2>Redirect to a different account</h2>
  <p class="muted">Only shows on your profile that you can be found at another account: no followers are moved and no alias is needed. You can cancel it at any time.</p>
  <form method="post" action="/settings/migration/redirect" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="redirect-handle">The other account's handle</label>
    <input id="redirect-handle" name="handle" type="text" required maxlength="300" autocomplete="off" placeholder="@you@new.example">
    <label for="redirect-password">Your current password</label>
    <input id="redirect-password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit" class="button">Redirect my profile</button>
  </form>
</section>`,
  );
}
