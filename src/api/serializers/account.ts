// Account rows → Mastodon Account (and CredentialAccount for the signed-in user). acct is the bare
// username for local accounts and username@domain for remote ones; missing images fall back to defaults.
import type { AccountMedia } from "../../db/queries/accounts.ts";
import type { Account, MediaAttachment, User } from "../../db/schema/index.ts";
import { noteToText } from "../../domain/profiles.ts";
import type { ApiAccount, ApiCredentialAccount, ApiField, ApiRole } from "../types.ts";
import { missingAvatar, missingHeader, type SerializeContext } from "./context.ts";
import { toApiCustomEmoji } from "./custom-emoji.ts";

function mediaUrl(
  ctx: SerializeContext,
  mediaId: string | null,
  media: ReadonlyMap<string, MediaAttachment>,
): string | null {
  if (mediaId === null) return null;
  const m = media.get(mediaId);
  const key = m?.displayKey ?? m?.originalKey;
  if (key) return ctx.urls.media(key);
  return m?.remoteUrl ?? null;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function fields(account: Account): ApiField[] {
  return account.fields.map((f) => ({
    name: f.name,
    // Local values are plain text typed by the user; remote ones are already sanitized HTML.
    value: account.domain === null ? escapeHtml(f.value) : f.value,
    verified_at: f.verifiedAt ?? null,
  }));
}

/** Mastodon dates account creation to midnight UTC (it only shows the day). */
const midnight = (d: Date) => `${d.toISOString().slice(0, 10)}T00:00:00.000Z`;

// What Mastodon shows of a suspended account: its name and counts, nothing of its profile.
function blanked(account: Account): Account {
  return {
    ...account,
    displayName: "",
    note: "",
    fields: [],
    avatarMediaId: null,
    avatarUrl: null,
    headerMediaId: null,
    headerUrl: null,
    locked: false,
    bot: false,
    discoverable: false,
    indexable: false,
  };
}

export function toApiAccount(row: Account, media: AccountMedia, ctx: SerializeContext): ApiAccount {
  const account = row.suspendedAt === null ? row : blanked(row);
  const avatar = mediaUrl(ctx, account.avatarMediaId, media.files) ?? account.avatarUrl;
  const header = mediaUrl(ctx, account.headerMediaId, media.files) ?? account.headerUrl;
  const local = account.domain === null;
  return {
    id: account.id,
    username: account.username,
    acct: local ? account.username : `${account.username}@${account.domain}`,
    url: account.url ?? account.iri,
    uri: account.iri,
    display_name: account.displayName,
    note: account.note,
    avatar: avatar ?? missingAvatar(ctx.origin),
    avatar_static: avatar ?? missingAvatar(ctx.origin),
    header: header ?? missingHeader(ctx.origin),
    header_static: header ?? missingHeader(ctx.origin),
    locked: account.locked,
    fields: fields(account),
    // A suspended account shows nothing of its profile, so none of its emojis either.
    emojis:
      row.suspendedAt === null
        ? (media.emojis.get(account.id) ?? []).map((e) => toApiCustomEmoji(e, ctx))
        : [],
    bot: account.bot || account.type === "Service" || account.type === "Application",
    group: account.type === "Group",
    discoverable: account.discoverable,
    indexable: account.indexable,
    noindex: !account.indexable,
    hide_collections: false,
    ...(account.suspendedAt !== null ? { suspended: true } : {}),
    // Mastodon shows `limited` only when moderators limited the account.
    ...(account.limitedAt !== null ? { limited: true } : {}),
    created_at: midnight(account.createdAt),
    last_status_at: account.lastStatusAt ? account.lastStatusAt.toISOString().slice(0, 10) : null,
    statuses_count: account.statusesCount,
    followers_count: account.followersCount,
    following_count: account.followingCount,
    roles: [],
  };
}

/** The signed-in user's own account, with the editable `source` and their role. */
export function toApiCredentialAccount(
  account: Account,
  user: User,
  media: AccountMedia,
  ctx: SerializeContext,
  followRequestsCount: number,
): ApiCredentialAccount {
  return {
    ...toApiAccount(account, media, ctx),
    source: {
      // The text the user edits (local notes are stored as HTML, see domain/profiles.ts).
      note: noteToText(account.note),
      fields: account.fields.map((f) => ({
        name: f.name,
        value: f.value,
        verified_at: f.verifiedAt ?? null,
      })),
      // The posting preferences (domain/preferences.ts), which statuses that say nothing get.
      privacy: user.defaultVisibility,
      sensitive: user.defaultSensitive,
      language: user.defaultLanguage,
      follow_requests_count: followRequestsCount,
      hide_collections: false,
      discoverable: account.discoverable,
      indexable: account.indexable,
    },
    role: roleOf(user.admin),
  };
}

/**
 * Mastodon's Role of a local user: administrators hold every permission (bit 1); everyone else the
 * default role with none of the moderation ones (this server has no user-made invites).
 */
export function roleOf(admin: boolean): ApiRole {
  return admin
    ? { id: "3", name: "Owner", color: "", permissions: "1", highlighted: true }
    : { id: "-99", name: "", color: "", permissions: "0", highlighted: false };
}
