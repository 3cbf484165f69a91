// Actor dispatchers: every local user as a Person at /users/:username (with RSA and Ed25519 keys), the
// instance actor, WebFinger handles (acct:user@host and the profile URL as resource).
import type { Federation } from "@fedify/fedify";
import type { DatabaseLike } from "../src/db/client.ts";
import { findAccountById, loadAccountMedia } from "../src/db/queries/accounts.ts";
import type { Account } from "../src/db/schema/index.ts";
import { findLocalAccount } from "../src/domain/accounts.ts";
import { hasDatasetConsent } from "../src/domain/data-mining.ts";
import { fetchAuthorized } from "./authorized-fetch.ts";
import type { FederationDeps } from "./context.ts";
import { ensureInstanceActor, loadKeyPairs } from "./keys.ts";
import { accountToActor, INSTANCE_ACTOR } from "./mappers/to-ap.ts";

/** A local account by username; the instance actor is made on first use. */
async function localActor(deps: FederationDeps, identifier: string) {
  if (identifier === INSTANCE_ACTOR) return ensureInstanceActor(deps.db, deps.urls);
  return await findLocalAccount(deps.db, identifier);
}

/** The IRI of the account a local account moved to (its actor's `movedTo`), or null. */
export async function movedToIri(db: DatabaseLike, account: Account): Promise<string | null> {
  if (account.movedToAccountId === null) return null;
  const target = await findAccountById(db, account.movedToAccountId, { includeSuspended: true });
  return target?.iri ?? null;
}

export function registerActors(federation: Federation<FederationDeps>): void {
  federation
    .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
      const account = await localActor(ctx.data, identifier);
      // A suspended user answers with a minimal actor marked `suspended` (the mapper); a deleted one
      // never reaches here (410 Gone with a Tombstone, federation/middleware.ts).
      if (account === undefined || account.deletedAt !== null) return null;
      // The URL scheme uses the stored spelling; a differently-cased request is the same actor but
      // must not mint a second id.
      if (account.username !== identifier) return null;
      const keys = await ctx.getActorKeyPairs(identifier);
      return accountToActor(
        account,
        ctx.data.urls,
        keys,
        await loadAccountMedia(ctx.data.db, [account]),
        await hasDatasetConsent(ctx.data.db, account.id),
        await movedToIri(ctx.data.db, account),
      );
    })
    // The instance actor stays public in secure mode: servers fetch its key to check our signed fetches.
    .authorize((ctx, identifier) => identifier === INSTANCE_ACTOR || fetchAuthorized(ctx))
    .setKeyPairsDispatcher(async (ctx, identifier) => {
      const account = await localActor(ctx.data, identifier);
      if (account === undefined) return [];
      return loadKeyPairs(ctx.data.db, account.id);
    })
    .mapHandle(async (ctx, username) => {
      // A deleted account's name stays taken, but WebFinger no longer knows it.
      const account = await findLocalAccount(ctx.data.db, username);
      return account === undefined || account.deletedAt !== null ? null : account.username;
    })
    .mapAlias(async (ctx, resource) => {
      // The profile page URL (https://host/@alice) as a WebFinger resource, as Mastodon allows.
      if (resource.origin !== new URL(ctx.data.config.origin).origin) return null;
      const m = /^\/@([^/]+)$/.exec(resource.pathname);
      if (m === null) return null;
      const account = await findLocalAccount(ctx.data.db, decodeURIComponent(m[1]!));
      return account === undefined || account.deletedAt !== null
        ? null
        : { identifier: account.username };
    });
}
