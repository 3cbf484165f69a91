// The only caller of sendActivity: signs as a local actor and delivers once per inbox (shared inboxes
// preferred) through Fedify's durable queue and its retries, never to a blocked domain or to ourselves.
import type { Federation } from "@fedify/fedify";
import type { Activity, Recipient } from "@fedify/vocab";
import { and, inArray, isNotNull } from "drizzle-orm";
import type { DatabaseLike } from "../../src/db/client.ts";
import { type Account, accounts } from "../../src/db/schema/index.ts";
import { federationMatcher } from "../../src/domain/federation-policy.ts";
import { logger } from "../../src/logging.ts";
import type { FederationDeps } from "../context.ts";
import { type Addressee, remoteFollowers } from "../loaders.ts";

export const log = logger("federation", "outbox");

export interface Outbox {
  readonly federation: Federation<FederationDeps>;
  readonly deps: FederationDeps;
}

export function toRecipient(account: Addressee): Recipient {
  const id = new URL(account.iri);
  return {
    id,
    inboxId: account.inboxUrl ? new URL(account.inboxUrl) : null,
    endpoints: { sharedInbox: sameOriginSharedInbox(id, account.sharedInboxUrl) },
  };
}

/**
 * The shared inbox to deliver to, or null (the actor's own inbox is used) when it is not on the actor's
 * origin: an account stored before that rule (federation/remote.ts) must not redirect deliveries either.
 */
export function sameOriginSharedInbox(actor: URL, sharedInbox: string | null): URL | null {
  const url = sharedInbox === null ? null : URL.parse(sharedInbox);
  return url !== null && url.origin === actor.origin ? url : null;
}

/** Which of these accounts a moderator suspended: nothing is delivered to them. */
async function suspendedAmong(db: DatabaseLike, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(inArray(accounts.id, [...ids]), isNotNull(accounts.suspendedAt)));
  return new Set(rows.map((r) => r.id));
}

/**
 * Remote followers of `sender` plus `others`, without duplicates, blocked domains, suspended accounts
 * or local accounts.
 */
export async function audience(
  outbox: Outbox,
  sender: Account,
  others: Addressee[],
  withFollowers: boolean,
): Promise<Addressee[]> {
  const all = [
    ...(withFollowers ? await remoteFollowers(outbox.deps.db, sender.id) : []),
    ...others,
  ];
  const mayDeliver = await federationMatcher(outbox.deps.db, outbox.deps.config);
  // Followers lose their follow when suspended; the others (mentioned, quoted) are checked here.
  const suspended = await suspendedAmong(
    outbox.deps.db,
    others.map((a) => a.id),
  );
  const seen = new Set<string>();
  return all.filter((a) => {
    if (a.domain === null || seen.has(a.id) || a.inboxUrl === null) return false;
    seen.add(a.id);
    return mayDeliver(a.domain) && !suspended.has(a.id);
  });
}

/** Queues `activity` from local `sender` to `recipients` (nothing happens for an empty list). */
export async function send(
  outbox: Outbox,
  sender: Account,
  recipients: Addressee[],
  activity: Activity,
): Promise<void> {
  if (sender.domain !== null || recipients.length === 0) return;
  const ctx = outbox.federation.createContext(new URL(outbox.deps.config.origin), outbox.deps);
  await ctx.sendActivity({ identifier: sender.username }, recipients.map(toRecipient), activity, {
    preferSharedInbox: true,
    excludeBaseUris: [new URL(outbox.deps.config.origin)],
  });
  log.debug("Queued {type} {id} for {count} recipients.", {
    type: activity.constructor.name,
    id: activity.id?.href,
    count: recipients.length,
  });
}
