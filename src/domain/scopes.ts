// OAuth scopes as Mastodon defines them: the top-level read/write/follow/push/profile and their granular
// forms (read:statuses, write:media, …). A token's scopes grant a required scope when they hold it, its
// top-level parent, or (for the legacy `follow`) one of the relationship scopes it stood for.
import { unprocessable } from "../errors.ts";

const GRANULAR = {
  read: [
    "accounts",
    "blocks",
    "bookmarks",
    "favourites",
    "filters",
    "follows",
    "lists",
    "mutes",
    "notifications",
    "search",
    "statuses",
  ],
  write: [
    "accounts",
    "blocks",
    "bookmarks",
    "conversations",
    "favourites",
    "filters",
    "follows",
    "lists",
    "media",
    "mutes",
    "notifications",
    "reports",
    "statuses",
  ],
} as const;

// The admin API's scopes, which `read` and `write` do not grant: only admin:read / admin:write and their
// granular forms. Only those this server's admin API serves are listed.
const ADMIN_GRANULAR = [
  "accounts",
  "reports",
  "domain_allows",
  "domain_blocks",
  "email_domain_blocks",
] as const;

/** Every scope this server knows, in the order the discovery document lists them. */
export const SUPPORTED_SCOPES: readonly string[] = [
  "read",
  "write",
  "follow",
  "push",
  "profile",
  ...GRANULAR.read.map((s) => `read:${s}`),
  ...GRANULAR.write.map((s) => `write:${s}`),
  "admin:read",
  "admin:write",
  ...ADMIN_GRANULAR.map((s) => `admin:read:${s}`),
  ...ADMIN_GRANULAR.map((s) => `admin:write:${s}`),
];

const known = new Set(SUPPORTED_SCOPES);

// The deprecated `follow` scope stood for these (Mastodon keeps honouring it).
const FOLLOW_GRANTS = new Set([
  "read:follows",
  "write:follows",
  "read:blocks",
  "write:blocks",
  "read:mutes",
  "write:mutes",
]);

/**
 * Parses a space- (or `+`-) separated scope string, rejecting unknown scopes with a 422.
 * An empty string gives `fallback` (Mastodon's default is "read").
 */
export function parseScopes(input: string | undefined | null, fallback = "read"): string[] {
  const raw = (input ?? "").trim() === "" ? fallback : (input as string);
  const scopes = [...new Set(raw.split(/[\s+]+/).filter((s) => s !== ""))];
  const unknown = scopes.filter((s) => !known.has(s));
  if (unknown.length > 0) {
    throw unprocessable(`Validation failed: Scopes are invalid (${unknown.join(", ")})`, {
      scopes: unknown.map((s) => ({ error: "ERR_INVALID", description: `unknown scope ${s}` })),
    });
  }
  return scopes;
}

/** Whether a set of granted scopes covers one required scope. */
export function scopeGrants(granted: readonly string[], required: string): boolean {
  if (granted.includes(required)) return true;
  // The parent of a granular scope is all but its last part: read:statuses → read,
  // admin:read:accounts → admin:read.
  const cut = required.lastIndexOf(":");
  if (cut > 0 && granted.includes(required.slice(0, cut))) return true;
  if (granted.includes("follow") && FOLLOW_GRANTS.has(required)) return true;
  // `profile` is the narrowest read: it only grants reading one's own account.
  return false;
}

/** Whether every scope in `requested` is allowed by `allowed` (an app's registered scopes). */
export function scopesWithin(requested: readonly string[], allowed: readonly string[]): boolean {
  return requested.every((s) => scopeGrants(allowed, s));
}
