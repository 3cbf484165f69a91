// Remote actors and objects as stored rows: fetch (signed by the instance actor, through Fedify's document
// loader, which refuses private addresses unless configured otherwise), check, persist, and refresh after
// a TTL. Used by the inbox and by remote lookup.
import type { Context } from "@fedify/fedify";
import { type Actor, isActor } from "@fedify/vocab";
import type { Account } from "../src/db/schema/index.ts";
import { mayFederateWith } from "../src/domain/federation-policy.ts";
import {
  findAccountByIri,
  isRemoteAccountStale,
  isValidRemoteUsername,
  upsertRemoteAccount,
} from "../src/domain/remote-accounts.ts";
import { logger } from "../src/logging.ts";
import type { FederationDeps } from "./context.ts";
import { actorToAccountInput } from "./mappers/from-ap.ts";
import { INSTANCE_ACTOR } from "./mappers/to-ap.ts";
import { readFeaturedCollections } from "./remote-featured.ts";

const log = logger("federation", "remote");

/** Stores (or refreshes) a fetched actor. Returns null for actors we must not store. */
export async function persistActor(deps: FederationDeps, actor: Actor): Promise<Account | null> {
  const id = actor.id;
  if (id === null || (id.protocol !== "https:" && id.protocol !== "http:")) return null;
  if (!(await mayFederateWith(deps.db, id.host, deps.config))) return null;
  const local = await findAccountByIri(deps.db, id.href);
  if (local?.domain === null) return local;
  // An actor's inboxes (its own and the shared one) must be on its own origin, or anyone could redirect
  // its deliveries (with retries) to a server of their choosing; a foreign shared inbox is dropped, and
  // deliveries go to the actor's own inbox.
  const input = await actorToAccountInput(actor);
  for (const key of [
    "inboxUrl",
    "sharedInboxUrl",
    "outboxUrl",
    "followersUrl",
    "followingUrl",
    "featuredUrl",
    "featuredTagsUrl",
  ] as const) {
    const url = input[key];
    if (url && new URL(url).origin !== id.origin) input[key] = null;
  }
  if (input.inboxUrl === null) {
    log.info("Ignoring actor {iri} without an inbox on its own origin.", { iri: id.href });
    return null;
  }
  if (!isValidRemoteUsername(input.username)) {
    log.info("Ignoring actor {iri} with an invalid preferredUsername {username}.", {
      iri: id.href,
      username: input.username.slice(0, 100),
    });
    return null;
  }
  return await upsertRemoteAccount(deps.db, input);
}

/** A documentLoader signed by the instance actor (servers in authorized-fetch mode require it). */
export function instanceLoader(ctx: Context<FederationDeps>) {
  return ctx.getDocumentLoader({ identifier: INSTANCE_ACTOR });
}

/**
 * The stored account for an actor id, fetching it when unknown or stale. Null when it cannot be fetched,
 * is not an actor, or belongs to a blocked domain.
 */
export async function resolveActor(
  ctx: Context<FederationDeps>,
  iri: string | URL,
  options: { refresh?: boolean } = {},
): Promise<Account | null> {
  const url = new URL(iri);
  const deps = ctx.data;
  if (!(await mayFederateWith(deps.db, url.host, deps.config))) return null;
  const stored = await findAccountByIri(deps.db, url.href);
  if (
    stored !== undefined &&
    (stored.domain === null || (!options.refresh && !isRemoteAccountStale(stored)))
  ) {
    return stored;
  }
  try {
    const object = await ctx.lookupObject(url, { documentLoader: await instanceLoader(ctx) });
    if (!isActor(object) || object.id?.href !== url.href) return stored ?? null;
    const account = await persistActor(deps, object);
    // Fetched afresh (new or stale): its pins and featured hashtags may have changed too.
    if (account !== null) await readFeaturedCollections(ctx, account);
    return account ?? stored ?? null;
  } catch (error) {
    log.info("Could not fetch actor {iri}: {error}", { iri: url.href, error });
    return stored ?? null;
  }
}
