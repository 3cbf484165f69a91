// Settings: profile (name, bio, fields), follower approval, discoverability, the AI-data consent, and
// the posting and reading preferences (domain/preferences.ts); links to the security, blocked-domains,
// followed and featured hashtags, and filters pages.

import { html } from "hono/html";
import type { DatasetOptOut } from "../../db/queries/datasets.ts";
import type { Account, User } from "../../db/queries/rows.ts";
import { DATASET_LICENSES, LICENSE_NAMES } from "../../domain/datasets/choices.ts";
import { EXPORT_KINDS } from "../../domain/imports/export.ts";
import {
  DISPLAY_NAME_MAX,
  FIELD_NAME_MAX,
  FIELD_VALUE_MAX,
  FIELDS_MAX,
  NOTE_MAX,
  noteToText,
} from "../../domain/profiles.ts";
import { LOCALE_NAMES, LOCALES } from "../../i18n/index.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

const VISIBILITY_CHOICES = ["public", "unlisted", "private", "direct"] as const;
const MEDIA_CHOICES = ["default", "show_all", "hide_all"] as const;

/** The interface language select: the browser's choice, or one of the languages the pages speak. */
function localeSelect(v: View, user: User): Html {
  return html`<label for="locale">${v.t("settings.interfaceLanguage")}</label>
    <select id="locale" name="locale" aria-describedby="locale-hint">
      <option value=""${user.locale === null ? " selected" : ""}>${v.t("settings.browserLanguage")}</option>
      ${LOCALES.map(
        (code) =>
          html`<option value="${code}" lang="${code}"${user.locale === code ? " selected" : ""}>${LOCALE_NAMES[code]}</option>`,
      )}
    </select>
    <p class="hint" id="locale-hint">${v.t("settings.interfaceLanguageHint")}</p>`;
}

function checkbox(name: string, label: string, checked: boolean, hint: string): Html {
  return html`<div class="check">
  <input type="checkbox" id="${name}" name="${name}" value="1"${checked ? " checked" : ""} aria-describedby="${name}-hint">
  <label for="${name}">${label}</label>
  <p class="hint" id="${name}-hint">${hint}</p>
</div>`;
}

export function settingsPage(
  v: View,
  account: Account,
  user: User,
  notice?: { kind: "ok" | "error"; text: string },
  /** Why deleting the account did not happen, shown in that section. */
  deleteError?: string,
  /** The posts kept out of datasets (a few of the newest, and how many in all). */
  optOuts: { total: number; posts: DatasetOptOut[] } = { total: 0, posts: [] },
): Html {
  const fields = [...account.fields];
  while (fields.length < FIELDS_MAX) fields.push({ name: "", value: "" });
  return layout(
    v,
    { title: v.t("settings.title"), noindex: true },
    html`<section class="panel">
  <h1>${v.t("settings.title")}</h1>
  ${notice ? html`<p class="${notice.kind === "ok" ? "success" : "error"}" role="${notice.kind === "ok" ? "status" : "alert"}">${notice.text}</p>` : ""}
  <form method="post" action="/settings/profile" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <h2>${v.t("settings.profile")}</h2>
    <label for="display_name">${v.t("settings.displayName")}</label>
    <input id="display_name" name="display_name" type="text" maxlength="${DISPLAY_NAME_MAX}" value="${account.displayName}">
    <label for="bio">${v.t("settings.bio")}</label>
    <textarea id="bio" name="bio" rows="4" maxlength="${NOTE_MAX}">${noteToText(account.note)}</textarea>
    <fieldset>
      <legend>${v.t("settings.fields")}</legend>
      <p class="hint">${v.t("settings.fieldsHint", { max: FIELDS_MAX })}</p>
      ${fields.slice(0, FIELDS_MAX).map(
        (f, i) => html`<div class="field-pair">
        <div><label for="field_name_${i}">${v.t("settings.fieldLabel", { n: i + 1 })}</label>
        <input id="field_name_${i}" name="field_name_${i}" type="text" maxlength="${FIELD_NAME_MAX}" value="${f.name}"></div>
        <div><label for="field_value_${i}">${v.t("settings.fieldValue", { n: i + 1 })}</label>
        <input id="field_value_${i}" name="field_value_${i}" type="text" maxlength="${FIELD_VALUE_MAX}" value="${noteToText(f.value)}"></div>
      </div>`,
      )}
    </fieldset>
    <h2>${v.t("settings.privacy")}</h2>
    ${checkbox("locked", v.t("settings.locked"), account.locked, v.t("settings.lockedHint"))}
    ${checkbox("discoverable", v.t("settings.discoverable"), account.discoverable, v.t("settings.discoverableHint"))}
    ${checkbox("indexable", v.t("settings.indexable"), account.indexable, v.t("settings.indexableHint"))}
    <h2>${v.t("settings.aiData")}</h2>
    ${checkbox("ai_data_consent", v.t("settings.aiConsent"), user.aiDataConsent, v.t("settings.aiConsentHint"))}
    <label for="dataset_license">${v.t("settings.license")}</label>
    <select id="dataset_license" name="dataset_license" aria-describedby="dataset_license-hint">
      ${DATASET_LICENSES.map(
        (l) =>
          html`<option value="${l}"${user.datasetLicense === l ? " selected" : ""}>${LICENSE_NAMES[l].name}</option>`,
      )}
    </select>
    <p class="hint" id="dataset_license-hint">${v.t("settings.licenseHint")}</p>
    <fieldset>
      <legend>${v.t("settings.nameMeBy")}</legend>
      <div class="check">
        <input type="radio" id="dataset-attribution-anonymous" name="dataset_attribution" value="anonymous"${user.datasetAttribution === "anonymous" ? " checked" : ""}>
        <label for="dataset-attribution-anonymous">${v.t("settings.anonymous")}</label>
      </div>
      <div class="check">
        <input type="radio" id="dataset-attribution-handle" name="dataset_attribution" value="handle"${user.datasetAttribution === "handle" ? " checked" : ""}>
        <label for="dataset-attribution-handle">${v.t("settings.handle")}</label>
      </div>
    </fieldset>
    <p class="hint">${v.t("settings.history")}</p>
    <h3 id="opt-outs-title">${v.t("settings.optOuts", { total: v.t.number(optOuts.total) })}</h3>
    ${
      optOuts.total === 0
        ? html`<p class="hint">${v.t("settings.noOptOuts")}</p>`
        : html`<ul aria-labelledby="opt-outs-title">${optOuts.posts.map(
            (p) =>
              html`<li><a href="${p.url}"><time datetime="${p.createdAt.toISOString()}">${v.t.date(p.createdAt)}</time></a></li>`,
          )}</ul>${optOuts.total > optOuts.posts.length ? html`<p class="hint">${v.t("settings.andMore", { n: v.t.number(optOuts.total - optOuts.posts.length) })}</p>` : ""}`
    }
    <p><a href="/about/data">${v.t("settings.whatStored")}</a></p>
    <button type="submit" class="button button-primary">${v.t("settings.saveSettings")}</button>
  </form>
</section>
<section class="panel">
  <h2>${v.t("settings.followedTags")}</h2>
  <p><a href="/settings/followed_tags">${v.t("settings.followedTagsLink")}</a></p>
  <h2>${v.t("settings.filters")}</h2>
  <p><a href="/settings/filters">${v.t("settings.filtersLink")}</a></p>
  <h2>${v.t("settings.featuredTags")}</h2>
  <p><a href="/settings/featured_tags">${v.t("settings.featuredTagsLink")}</a></p>
</section>
<section class="panel">
  <form method="post" action="/settings/preferences" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <h2>${v.t("settings.preferences")}</h2>
    ${localeSelect(v, user)}
    <p class="hint">${v.t("settings.preferencesHint")}</p>
    <label for="default_visibility">${v.t("settings.defaultVisibility")}</label>
    <select id="default_visibility" name="default_visibility">
      ${VISIBILITY_CHOICES.map(
        (value) =>
          html`<option value="${value}"${user.defaultVisibility === value ? " selected" : ""}>${v.t(`settings.visibility.${value}`)}</option>`,
      )}
    </select>
    ${checkbox("default_sensitive", v.t("settings.defaultSensitive"), user.defaultSensitive, v.t("settings.defaultSensitiveHint"))}
    <label for="default_language">${v.t("settings.defaultLanguage")}</label>
    <input id="default_language" name="default_language" type="text" maxlength="3" pattern="[A-Za-z]{2,3}" value="${user.defaultLanguage ?? ""}">
    <label for="expand_media">${v.t("settings.expandMedia")}</label>
    <select id="expand_media" name="expand_media">
      ${MEDIA_CHOICES.map(
        (value) =>
          html`<option value="${value}"${user.expandMedia === value ? " selected" : ""}>${v.t(`settings.media.${value}`)}</option>`,
      )}
    </select>
    ${checkbox("expand_spoilers", v.t("settings.expandSpoilers"), user.expandSpoilers, v.t("settings.expandSpoilersHint"))}
    <button type="submit" class="button button-primary">${v.t("settings.savePreferences")}</button>
  </form>
</section>
<section class="panel">
  <h2>${v.t("settings.security")}</h2>
  <p><a href="/settings/security">${v.t("settings.securityLink")}</a></p>
</section>
<section class="panel">
  <h2>${v.t("settings.moving")}</h2>
  <p><a href="/settings/aliases">${v.t("settings.aliasesLink")}</a></p>
  <p><a href="/settings/migration">${v.t("settings.migrationLink")}</a></p>
</section>
<section class="panel">
  <h2>${v.t("settings.domainBlocks")}</h2>
  <p><a href="/settings/domain_blocks">${v.t("settings.domainBlocksLink")}</a></p>
</section>
<section class="panel">
  <h2>${v.t("settings.yourData")}</h2>
  <p>${v.t("settings.yourDataIntro")}</p>
  <form method="post" action="/settings/archive" class="inline">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <button type="submit" class="button">${v.t("settings.downloadData")}</button>
  </form>
  <p><a href="/settings/import">${v.t("settings.importLink")}</a></p>
  <p>${v.t("settings.exportAs")} ${EXPORT_KINDS.map(
    (name, i) =>
      html`${i > 0 ? " · " : ""}<a href="/settings/export/${name}.csv" download>${v.t(`settings.exports.${name}`)}</a>`,
  )}</p>
</section>
<section class="panel danger-zone" aria-labelledby="delete-title">
  <h2 id="delete-title">${v.t("settings.deleteAccount")}</h2>
  ${deleteError ? html`<p class="error" role="alert">${deleteError}</p>` : ""}
  <p class="warning" id="delete-warning"><strong>${v.t("settings.cannotUndo")}</strong> ${v.t("settings.deleteWarning")}</p>
  <form method="post" action="/settings/delete" class="stack" data-confirm="${v.t("settings.deleteConfirm")}">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="delete-password">${v.t("settings.yourPassword")}</label>
    <input id="delete-password" name="password" type="password" autocomplete="current-password" required aria-describedby="delete-warning">
    <div class="check">
      <input type="checkbox" id="delete-confirm" name="confirm" value="1" required>
      <label for="delete-confirm">${v.t("settings.deleteUnderstand")}</label>
    </div>
    <button type="submit" class="button button-danger">${v.t("settings.deleteMine")}</button>
  </form>
</section>`,
  );
}
