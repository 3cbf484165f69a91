// The one rule of whom this instance federates with: no blocked server (moderation.ts), and, in limited
// federation mode (Mastodon's LIMITED_FEDERATION_MODE), only the servers on the allow list
// (domain-allows.ts). Every federation gate asks it: the inbox, deliveries, lookups and fetches of remote
// actors and statuses, and authorized fetch.
import { eq, or } from "drizzle-orm";
import type { Config } from "../config.ts";
import type { DatabaseLike } from "../db/client.ts";
import { domainAllows } from "../db/schema/index.ts";
import { canonicalDomain, domainBlockMatcher, isDomainBlocked } from "./moderation.ts";

/** What the rule needs of the configuration: whether the instance is in limited federation mode. */
export type FederationMode = Pick<Config, "limitedFederationMode">;

/**
 * The allow-list entries that name `host`: itself, and its name without the port. Unlike a block, an
 * allow covers no subdomain (as Mastodon's, which matches the host exactly): allowing a server must not
 * let in every name under its domain.
 */
function allowCandidates(host: string): string[] {
  const h = canonicalDomain(host) ?? host.trim().toLowerCase();
  return [...new Set([h, h.replace(/:\d+$/, "")])];
}

/**
 * Whether we may exchange activities with `host` (host[:port]): accept what it sends, deliver to it,
 * fetch its actors and objects. A blocked host never; in limited federation mode, only an allowed one.
 */
export async function mayFederateWith(
  db: DatabaseLike,
  host: string,
  mode: FederationMode,
): Promise<boolean> {
  if (await isDomainBlocked(db, host)) return false;
  if (!mode.limitedFederationMode) return true;
  const candidates = allowCandidates(host);
  const hit = await db
    .select({ domain: domainAllows.domain })
    .from(domainAllows)
    .where(or(...candidates.map((c) => eq(domainAllows.domain, c))))
    .limit(1);
  return hit.length > 0;
}

/**
 * `mayFederateWith` for many hosts at once (a delivery's audience): the block and allow lists are read
 * once, instead of queries per host.
 */
export async function federationMatcher(
  db: DatabaseLike,
  mode: FederationMode,
): Promise<(host: string) => boolean> {
  const isBlocked = await domainBlockMatcher(db);
  if (!mode.limitedFederationMode) return (host) => !isBlocked(host);
  const allowed = new Set(
    (await db.select({ domain: domainAllows.domain }).from(domainAllows)).map((a) => a.domain),
  );
  return (host) => !isBlocked(host) && allowCandidates(host).some((c) => allowed.has(c));
}
