// Settings: profile (name, bio, fields), follower approval, discoverability, the AI-data consent, and
// the posting and reading preferences (domain/preferences.ts); links to the security, blocked-domains,
// followed and featured hashtags, and filters pages.
import { html } from "hono/html";
import type { DatasetOptOut } from "../../db/queries/datasets.ts";
import type { Account, User } from "../../db/queries/rows.ts";
import { DATASET_LICENSES, LICENSE_NAMES } from "../../domain/datasets/choices.ts";
import {
  DISPLAY_NAME_MAX,
  FIELD_NAME_MAX,
  FIELD_VALUE_MAX,
  FIELDS_MAX,
  NOTE_MAX,
  noteToText,
} from "../../domain/profiles.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

const VISIBILITY_CHOICES = [
  ["public", "Public"],
  ["unlisted", "Quiet public (not in public timelines)"],
  ["private", "Followers only"],
  ["direct", "Mentioned people only"],
] as const;

const MEDIA_CHOICES = [
  ["default", "Hide those marked sensitive"],
  ["show_all", "Always show"],
  ["hide_all", "Always hide"],
] as const;

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
    { title: "Settings", noindex: true },
    html`<section class="panel">
  <h1>Settings</h1>
  ${notice ? html`<p class="${notice.kind === "ok" ? "success" : "error"}" role="${notice.kind === "ok" ? "status" : "alert"}">${notice.text}</p>` : ""}
  <form method="post" action="/settings/profile" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <h2>Profile</h2>
    <label for="display_name">Display name</label>
    <input id="display_name" name="display_name" type="text" maxlength="${DISPLAY_NAME_MAX}" value="${account.displayName}">
    <label for="bio">Bio</label>
    <textarea id="bio" name="bio" rows="4" maxlength="${NOTE_MAX}">${noteToText(account.note)}</textarea>
    <fieldset>
      <legend>Profile fields</legend>
      <p class="hint">Up to ${FIELDS_MAX} label and value pairs shown on your profile (a website, pronouns…).</p>
      ${fields.slice(0, FIELDS_MAX).map(
        (f, i) => html`<div class="field-pair">
        <div><label for="field_name_${i}">Label ${i + 1}</label>
        <input id="field_name_${i}" name="field_name_${i}" type="text" maxlength="${FIELD_NAME_MAX}" value="${f.name}"></div>
        <div><label for="field_value_${i}">Value ${i + 1}</label>
        <input id="field_value_${i}" name="field_value_${i}" type="text" maxlength="${FIELD_VALUE_MAX}" value="${noteToText(f.value)}"></div>
      </div>`,
      )}
    </fieldset>
    <h2>Privacy and reach</h2>
    ${checkbox("locked", "Approve followers by hand", account.locked, "People ask to follow you and you decide; followers-only posts then reach only those you accepted.")}
    ${checkbox("discoverable", "Suggest my account to others", account.discoverable, "Lets your profile and posts appear in directories and recommendations.")}
    ${checkbox("indexable", "Let search engines and search features index my public posts", account.indexable, "Off asks search engines not to index your pages and other servers not to include your posts in full-text search.")}
    <h2>AI data</h2>
    ${checkbox("ai_data_consent", "Allow my prompts and images in datasets exported from this server", user.aiDataConsent, "Off by default. When on, the administrator may include your public AI images and their prompts in datasets for research or training, under the licence below. Turning it off keeps you out of every export made after that.")}
    <label for="dataset_license">Licence of your images in datasets</label>
    <select id="dataset_license" name="dataset_license" aria-describedby="dataset_license-hint">
      ${DATASET_LICENSES.map(
        (l) =>
          html`<option value="${l}"${user.datasetLicense === l ? " selected" : ""}>${LICENSE_NAMES[l].name}</option>`,
      )}
    </select>
    <p class="hint" id="dataset_license-hint">"No dataset use" keeps your images out even with consent on.</p>
    <fieldset>
      <legend>In a dataset, name me by</legend>
      <div class="check">
        <input type="radio" id="dataset-attribution-anonymous" name="dataset_attribution" value="anonymous"${user.datasetAttribution === "anonymous" ? " checked" : ""}>
        <label for="dataset-attribution-anonymous">An anonymous id (the same for all my images, not linked to my handle)</label>
      </div>
      <div class="check">
        <input type="radio" id="dataset-attribution-handle" name="dataset_attribution" value="handle"${user.datasetAttribution === "handle" ? " checked" : ""}>
        <label for="dataset-attribution-handle">My handle</label>
      </div>
    </fieldset>
    <p class="hint">Each change is kept, with its date, in the history included when you download your data.</p>
    <h3 id="opt-outs-title">Posts kept out of datasets (${optOuts.total})</h3>
    ${
      optOuts.total === 0
        ? html`<p class="hint">None. Tick "Keep this post out of datasets" when posting to leave a post out whatever your consent says.</p>`
        : html`<ul aria-labelledby="opt-outs-title">${optOuts.posts.map(
            (p) =>
              html`<li><a href="${p.url}"><time datetime="${p.createdAt.toISOString()}">${p.createdAt.toISOString().slice(0, 10)}</time></a></li>`,
          )}</ul>${optOuts.total > optOuts.posts.length ? html`<p class="hint">and ${optOuts.total - optOuts.posts.length} more.</p>` : ""}`
    }
    <p><a href="/about/data">What this server stores and what goes to an AI provider</a></p>
    <button type="submit" class="button button-primary">Save settings</button>
  </form>
</section>
<section class="panel">
  <h2>Followed hashtags</h2>
  <p><a href="/settings/followed_tags">See and unfollow the hashtags whose public posts join your home timeline</a></p>
  <h2>Filters</h2>
  <p><a href="/settings/filters">Hide or warn about posts with words you choose, in your timelines, notifications and conversations</a></p>
  <h2>Featured hashtags</h2>
  <p><a href="/settings/featured_tags">Choose the hashtags shown on your profile</a></p>
</section>
<section class="panel">
  <form method="post" action="/settings/preferences" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <h2>Preferences</h2>
    <p class="hint">Your posts get these unless you choose otherwise when posting; apps read them too.</p>
    <label for="default_visibility">Who can see your posts by default</label>
    <select id="default_visibility" name="default_visibility">
      ${VISIBILITY_CHOICES.map(
        ([value, label]) =>
          html`<option value="${value}"${user.defaultVisibility === value ? " selected" : ""}>${label}</option>`,
      )}
    </select>
    ${checkbox("default_sensitive", "Mark my images as sensitive by default", user.defaultSensitive, "Sensitive images are hidden behind a warning until someone chooses to see them.")}
    <label for="default_language">Language of your posts (ISO 639 code such as en, fr; empty for none)</label>
    <input id="default_language" name="default_language" type="text" maxlength="3" pattern="[A-Za-z]{2,3}" value="${user.defaultLanguage ?? ""}">
    <label for="expand_media">Showing images marked sensitive (in apps)</label>
    <select id="expand_media" name="expand_media">
      ${MEDIA_CHOICES.map(
        ([value, label]) =>
          html`<option value="${value}"${user.expandMedia === value ? " selected" : ""}>${label}</option>`,
      )}
    </select>
    ${checkbox("expand_spoilers", "Always expand posts with a content warning (in apps)", user.expandSpoilers, "Apps that read your preferences open content warnings for you.")}
    <button type="submit" class="button button-primary">Save preferences</button>
  </form>
</section>
<section class="panel">
  <h2>Security</h2>
  <p><a href="/settings/security">Change your password or e-mail address, set up two-factor sign-in, see where you are signed in and which apps have access</a></p>
</section>
<section class="panel">
  <h2>Moving accounts</h2>
  <p><a href="/settings/aliases">Aliases: name the account you are moving here from</a></p>
  <p><a href="/settings/migration">Move to another account, taking your followers with you, or only point your profile to it</a></p>
</section>
<section class="panel">
  <h2>Blocked domains</h2>
  <p><a href="/settings/domain_blocks">Hide a whole server's posts and notifications from you, and end follows with its accounts</a></p>
</section>
<section class="panel">
  <h2>Your data</h2>
  <p>Download everything you made here: your profile, posts with their alt text, every prompt you generated with, and the image files (a .tar archive).</p>
  <form method="post" action="/settings/archive" class="inline">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <button type="submit" class="button">Download my data</button>
  </form>
  <p><a href="/settings/import">Import follows, blocks, mutes, blocked domains, bookmarks or lists from Mastodon's CSV files</a></p>
  <p>Export them as CSV: <a href="/settings/export/follows.csv" download>follows</a> · <a href="/settings/export/followers.csv" download>followers</a> · <a href="/settings/export/lists.csv" download>lists</a> · <a href="/settings/export/blocks.csv" download>blocks</a> · <a href="/settings/export/mutes.csv" download>mutes</a> · <a href="/settings/export/domain_blocks.csv" download>blocked domains</a> · <a href="/settings/export/bookmarks.csv" download>bookmarks</a></p>
</section>
<section class="panel danger-zone" aria-labelledby="delete-title">
  <h2 id="delete-title">Delete account</h2>
  ${deleteError ? html`<p class="error" role="alert">${deleteError}</p>` : ""}
  <p class="warning" id="delete-warning"><strong>This cannot be undone.</strong> Your posts, images, prompts, likes, follows and notifications are removed from this server, and the servers of your followers are asked to delete their copies (most do, some may keep them). Your username stays reserved and cannot be used again. Download your data first if you want to keep it.</p>
  <form method="post" action="/settings/delete" class="stack" data-confirm="Delete your account and everything in it? This cannot be undone.">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="delete-password">Your password</label>
    <input id="delete-password" name="password" type="password" autocomplete="current-password" required aria-describedby="delete-warning">
    <div class="check">
      <input type="checkbox" id="delete-confirm" name="confirm" value="1" required>
      <label for="delete-confirm">I understand that my account and everything in it will be deleted</label>
    </div>
    <button type="submit" class="button button-danger">Delete my account</button>
  </form>
</section>`,
  );
}
