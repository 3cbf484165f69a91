// A local account deleted by its owner: Delete(Person) to every server that knew it, signed with the
// actor's own key (receivers only accept an actor's deletion from that actor), then the keys go. A local
// account that moved: Move to its followers' servers, so that they re-follow the new account.
import { Delete, Move, PUBLIC_COLLECTION, type Recipient } from "@fedify/vocab";
import { findAccountById } from "../../src/db/queries/accounts.ts";
import { discardActorKeys } from "../../src/domain/account-deletion.ts";
import type { EventOf } from "../../src/domain/events.ts";
import { federationMatcher } from "../../src/domain/federation-policy.ts";
import { forgetKeyPairs, loadKeyPairs } from "../keys.ts";
import { audience, log, type Outbox, sameOriginSharedInbox, send } from "./send.ts";

export async function sendActorDelete(
  outbox: Outbox,
  event: EventOf<"account.deleted">,
): Promise<void> {
  // A remote actor's deletion (received) has nothing to send.
  if (event.local === undefined) return;
  const { db, config } = outbox.deps;
  const account = await findAccountById(db, event.accountId, { includeSuspended: true });
  if (account === undefined || account.domain !== null || account.deletedAt === null) return;
  // A retry after the keys went (the Delete was queued then): nothing left to sign with.
  if ((await loadKeyPairs(db, account.id)).length === 0) return;
  // One read of the block and allow lists for all recipients; a stored URL that does not parse skips that one
  // recipient instead of failing the whole Delete (and keeping the keys).
  const mayDeliver = await federationMatcher(db, config);
  const recipients: Recipient[] = event.local.recipients.flatMap((r) => {
    const id = URL.parse(r.iri);
    const inboxId = URL.parse(r.inboxUrl);
    if (id === null || inboxId === null || !mayDeliver(id.host)) return [];
    return [
      { id, inboxId, endpoints: { sharedInbox: sameOriginSharedInbox(id, r.sharedInboxUrl) } },
    ];
  });
  if (recipients.length > 0) {
    const ctx = outbox.federation.createContext(new URL(config.origin), outbox.deps);
    const del = new Delete({
      id: new URL(`${event.iri}#delete`),
      actor: new URL(event.iri),
      object: new URL(event.iri),
      to: PUBLIC_COLLECTION,
    });
    // Fedify signs now and queues the signed key material with each delivery, so the keys can go
    // as soon as this returns; retries of the deliveries do not need them.
    await ctx.sendActivity({ identifier: event.local.username }, recipients, del, {
      preferSharedInbox: true,
      excludeBaseUris: [new URL(config.origin)],
    });
    log.info("Queued Delete(Person) of {iri} for {count} actors.", {
      iri: event.iri,
      count: recipients.length,
    });
  }
  await discardActorKeys(db, account.id);
  forgetKeyPairs(db, account.id);
}

/**
 * Move(actor → target) to the remote followers, as Mastodon's MoveDistributionWorker: each server checks
 * that the target names the actor in alsoKnownAs, then moves its followers. The id is fixed per move
 * (its moment), so a retried delivery is deduplicated and a later move is a new activity.
 */
export async function sendMove(outbox: Outbox, event: EventOf<"account.moved">): Promise<void> {
  const { db } = outbox.deps;
  const account = await findAccountById(db, event.accountId);
  const target = await findAccountById(db, event.targetAccountId, { includeSuspended: true });
  if (account === undefined || account.domain !== null || target === undefined) return;
  // A later move (or cancelled redirect) superseded this one: its own event tells the followers.
  if (account.movedToAccountId !== target.id || account.movedAt === null) return;
  const move = new Move({
    id: new URL(`${account.iri}#moves/${account.movedAt.getTime()}`),
    actor: new URL(account.iri),
    object: new URL(account.iri),
    target: new URL(target.iri),
    to: new URL(account.followersUrl ?? outbox.deps.urls.followers(account.username)),
  });
  await send(outbox, account, await audience(outbox, account, [], true), move);
}
