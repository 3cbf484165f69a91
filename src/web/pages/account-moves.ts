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
import { rich } from "../components/text.ts";
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
    { title: v.t("z_moves.aliasesTab"), noindex: true },
    html`<section class="panel">
  <h1 id="aliases-title">${v.t("z_moves.aliasesTitle")}</h1>
  <p><a href="/settings">${v.t("tags.backToSettings")}</a> · <a href="/settings/migration">${v.t("z_moves.moveTitle")}</a></p>
  ${noticeLine(notice)}
  <p class="muted">${v.t("z_moves.aliasesIntro", { handle: handleOf(account, host) })}</p>
  <form method="post" action="/settings/aliases" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="alias-handle">${v.t("z_moves.oldHandle")}</label>
    <input id="alias-handle" name="handle" type="text" required maxlength="300" autocomplete="off" placeholder="${v.t("z_moves.oldPlaceholder")}" value="${typed}">
    <button type="submit" class="button button-primary">${v.t("z_moves.addAlias")}</button>
  </form>
  ${
    aliases.length === 0
      ? html`<p class="empty">${v.t("z_moves.noAliases")}</p>`
      : html`<ul class="stack" aria-labelledby="aliases-title">${aliases.map((a) => {
          const name = a.account ? handleOf(a.account, host) : a.iri;
          return html`<li>${a.account ? html`<a href="${profilePath(a.account)}"><strong>${name}</strong></a>` : html`<strong>${name}</strong>`}
      <form method="post" action="/settings/aliases/delete" class="inline">
        <input type="hidden" name="csrf" value="${v.csrf}">
        <input type="hidden" name="iri" value="${a.iri}">
        <button type="submit" class="button button-small" aria-label="${v.t("z_moves.removeAlias", { name })}">${v.t("z_moves.remove")}</button>
      </form></li>`;
        })}</ul>`
  }
</section>`,
  );
}

function followersLine(v: View, job: FollowerMove): Html {
  // Followers who arrive during the move are moved too, so the count can pass the first total.
  const total = Math.max(job.totalItems, job.processedItems);
  const left = job.processedItems - job.movedItems;
  const moved = v.t("z_moves.followersMoved", {
    count: total,
    moved: v.t.number(job.movedItems),
    state: v.t(`z_moves.states.${job.state}`),
  });
  return html`<p class="move-progress">${moved}${left > 0 ? v.t("z_moves.stayed", { count: left }) : ""}${job.state === "failed" && job.errorMessage ? html`: ${job.errorMessage}` : ""}.</p>`;
}

function statusSection(v: View, status: MigrationStatus): Html | string {
  const host = new URL(v.origin).host;
  const redirect = status.redirect;
  const target = redirect?.target ?? null;
  const name = target
    ? html`<a href="${profilePath(target)}"><strong>${handleOf(target, host)}</strong></a>`
    : v.t("z_moves.anotherAccount");
  const last = status.lastMove;
  if (redirect === null && last === null) return "";
  return html`<div class="notice" role="status">
    ${
      redirect === null
        ? html`<p>${v.t("z_moves.noRedirect")}</p>`
        : redirect.byMove
          ? html`<p>${
              last
                ? rich(v.t, "z_moves.movedOn", {
                    name,
                    date: html`<time datetime="${last.at.toISOString()}">${day(last.at)}</time>`,
                  })
                : rich(v.t, "z_moves.moved", { name })
            }</p>`
          : html`<p>${rich(v.t, "z_moves.pointsTo", { name })}</p>`
    }
    ${last?.followers ? followersLine(v, last.followers) : ""}
    ${status.cooldownEnd ? html`<p>${rich(v.t, "z_moves.cooldown", { date: html`<time datetime="${status.cooldownEnd.toISOString()}">${day(status.cooldownEnd)}</time>` })}</p>` : ""}
    ${
      redirect === null
        ? ""
        : html`<form method="post" action="/settings/migration/cancel" class="stack narrow-form">
      <input type="hidden" name="csrf" value="${v.csrf}">
      <label for="cancel-password">${v.t("z_moves.currentPassword")}</label>
      <input id="cancel-password" name="password" type="password" autocomplete="current-password" required>
      <button type="submit" class="button">${v.t("z_moves.cancelRedirect")}</button>
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
    { title: v.t("z_moves.moveTab"), noindex: true },
    html`<section class="panel">
  <h1>${v.t("z_moves.moveTitle")}</h1>
  <p><a href="/settings">${v.t("tags.backToSettings")}</a> · <a href="/settings/aliases">${v.t("z_moves.aliases")}</a></p>
  ${noticeLine(notice)}
  ${statusSection(v, status)}
  <h2>${v.t("z_moves.moveFollowers")}</h2>
  <p class="muted">${v.t("z_moves.moveIntro", { handle: handleOf(account, host) })}</p>
  <form method="post" action="/settings/migration" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="move-handle">${v.t("z_moves.newHandle")}</label>
    <input id="move-handle" name="handle" type="text" required maxlength="300" autocomplete="off" placeholder="${v.t("z_moves.newPlaceholder")}" value="${typed}">
    <label for="move-password">${v.t("z_moves.currentPassword")}</label>
    <input id="move-password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit" class="button button-danger">${v.t("z_moves.moveButton")}</button>
  </form>
  <h2>${v.t("z_moves.redirectTitle")}</h2>
  <p class="muted">${v.t("z_moves.redirectIntro")}</p>
  <form method="post" action="/settings/migration/redirect" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="redirect-handle">${v.t("z_moves.otherHandle")}</label>
    <input id="redirect-handle" name="handle" type="text" required maxlength="300" autocomplete="off" placeholder="${v.t("z_moves.newPlaceholder")}">
    <label for="redirect-password">${v.t("z_moves.currentPassword")}</label>
    <input id="redirect-password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit" class="button">${v.t("z_moves.redirectButton")}</button>
  </form>
</section>`,
  );
}
