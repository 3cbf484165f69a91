// Settings → Aliases and Settings → Moving to another account: the "also known as" list (an account
// moving here from elsewhere must be named first) and the move itself. The rules live in
// domain/account-moves.ts; these pages show its answers and its refusals.
import { html } from "hono/html";
import type { Account } from "../../db/queries/rows.ts";
import type { Alias, CurrentMove } from "../../domain/account-moves.ts";
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

function currentMoveSection(v: View, move: CurrentMove | null): Html | string {
  if (move === null) return "";
  const host = new URL(v.origin).host;
  const target = move.target;
  return html`<div class="notice" role="status">
    <p>This account has moved to ${target ? html`<a href="${profilePath(target)}"><strong>${handleOf(target, host)}</strong></a>` : "another account"}${move.movedAt ? html` on <time datetime="${move.movedAt.toISOString()}">${day(move.movedAt)}</time>` : ""}. Its profile says so, and its followers were asked to follow the new account.</p>
    ${move.cooldownEnd ? html`<p>You can move again after <time datetime="${move.cooldownEnd.toISOString()}">${day(move.cooldownEnd)}</time>.</p>` : ""}
  </div>`;
}

export function migrationPage(
  v: View,
  account: Account,
  move: CurrentMove | null,
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
  ${currentMoveSection(v, move)}
  <p class="muted">First, on the new account, add ${handleOf(account, host)} as an alias. Then name the new account here: your profile shows that you moved, and your followers, here and on the servers that honour moves, follow the new account instead. Your posts stay here and do not move. You can move once every 30 days.</p>
  <form method="post" action="/settings/migration" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="move-handle">The new account's handle</label>
    <input id="move-handle" name="handle" type="text" required maxlength="300" autocomplete="off" placeholder="@you@new.example" value="${typed}">
    <label for="move-password">Your current password</label>
    <input id="move-password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit" class="button button-danger">Move my followers</button>
  </form>
</section>`,
  );
}
