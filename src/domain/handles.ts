// Handles as people type them (`alice`, `@alice`, `alice@host`, `@alice@host:3102`), parsed into a
// username and a host written the way we store accounts' domains, so that every door (API lookup and
// resolve, profile paths, mentions in a status, remote lookup) finds the same account for one handle.
import { domainToASCII } from "node:url";
import type { DatabaseLike } from "../db/client.ts";
import { findAccountByUsername } from "../db/queries/accounts.ts";
import type { Account } from "../db/schema/index.ts";

export interface Handle {
  /** As typed (it may be shown back); usernames are matched case-insensitively. */
  username: string;
  /** Lowercase ASCII (punycode) host with its port, if any; null when the handle names no host. */
  host: string | null;
}

// Wider than Mastodon's [a-z0-9_] because other servers allow more ('.', '-', non-ASCII letters); what
// is refused are the characters that would make the text a URL, a path or two handles.
const USERNAME = /^[^\s\p{Cc}@/\\?#:]{1,100}$/u;
const HOST_MAX_LENGTH = 260;
const IPV6_LITERAL = /^\[[0-9a-f:.]{2,45}\]$/;
const DNS_NAME = /^[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*\.?$/;

/**
 * A host as stored in `accounts.domain` (a URL's `host`): lowercase, international names in punycode,
 * the port kept (several instances on one machine differ only by it), leading zeros of the port dropped.
 * Null when `host` is not a host name, an IPv4 address or a bracketed IPv6 address, or its port is not
 * 1–65535.
 */
export function normalizeHost(host: string): string | null {
  if (host.length === 0 || host.length > HOST_MAX_LENGTH) return null;
  // The port is split off first: domainToASCII("localhost:3102") is "" (the same trap that empties
  // Fedify's normalizeActorHandle for hosts with a port).
  const m = /^(.*?)(?::(\d{1,5}))?$/.exec(host);
  if (m === null) return null;
  const [, name = "", portText] = m;
  let port = "";
  if (portText !== undefined) {
    const n = Number(portText);
    if (n < 1 || n > 65535) return null;
    port = `:${n}`;
  }
  const lower = name.toLowerCase();
  if (IPV6_LITERAL.test(lower)) return lower + port;
  // domainToASCII reads its input as a URL's host: it stops at '/', '?', '#' or a backslash and
  // decodes %XX ("host/path" gives "host"), so any ASCII outside a host name's letters is refused first.
  if (/(?![a-z0-9._-])\p{ASCII}/u.test(lower)) return null;
  const ascii = domainToASCII(lower);
  if (ascii === "" || !DNS_NAME.test(ascii)) return null;
  return ascii + port;
}

/**
 * Parses `alice`, `@alice`, `alice@host` or `@alice@host[:port]` (surrounding white space ignored).
 * Null for anything else: an empty username or host, a third `@`, a URL, a bad port.
 */
export function parseHandle(text: string): Handle | null {
  const parts = text.trim().replace(/^@/, "").split("@");
  if (parts.length > 2) return null;
  const [username = "", host] = parts;
  if (!USERNAME.test(username)) return null;
  if (host === undefined) return { username, host: null };
  const normalized = normalizeHost(host);
  return normalized === null ? null : { username, host: normalized };
}

/** Whether the handle names an account of this instance: no host, or our own domain. */
export function isLocalHandle(handle: Handle, localDomain: string): boolean {
  return handle.host === null || handle.host === normalizeHost(localDomain);
}

/**
 * The stored, unsuspended account a handle names (`handle` as typed, or already parsed); our own
 * domain counts as local. Undefined when the text is not a handle or no such account is stored: this
 * never asks a remote server (federation/lookup.ts does).
 */
export async function findAccountByHandle(
  db: DatabaseLike,
  handle: Handle | string,
  localDomain: string,
  options: { includeSuspended?: boolean } = {},
): Promise<Account | undefined> {
  const parsed = typeof handle === "string" ? parseHandle(handle) : handle;
  if (parsed === null) return undefined;
  const account = await findAccountByUsername(
    db,
    parsed.username,
    isLocalHandle(parsed, localDomain) ? null : parsed.host,
    options,
  );
  // A deleted local account is a tombstone, never shown even where suspended ones are.
  return account === undefined || account.deletedAt === null ? account : undefined;
}
