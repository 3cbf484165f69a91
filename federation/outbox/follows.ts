// Follows going out: Follow and Undo(Follow) for local users following remote actors, Accept and Reject
// for remote actors following local users.
import { Accept, Follow, Reject, Undo } from "@fedify/vocab";
import { findAccountById } from "../../src/db/queries/accounts.ts";
import type { Account } from "../../src/db/schema/index.ts";
import type { EventOf } from "../../src/domain/events.ts";
import { findFollowById } from "../../src/domain/follows.ts";
import { type Outbox, send } from "./send.ts";

async function pair(outbox: Outbox, accountId: string, targetAccountId: string) {
  const follower = await findAccountById(outbox.deps.db, accountId, { includeSuspended: true });
  const target = await findAccountById(outbox.deps.db, targetAccountId, { includeSuspended: true });
  return follower === undefined || target === undefined ? null : { follower, target };
}

const followOf = (iri: string | null, follower: Account, target: Account) =>
  new Follow({
    id: iri ? new URL(iri) : null,
    actor: new URL(follower.iri),
    object: new URL(target.iri),
  });

export async function sendFollow(outbox: Outbox, event: EventOf<"follow.requested">) {
  const follow = await findFollowById(outbox.deps.db, event.followId);
  if (follow === undefined || follow.state === "accepted") return;
  const p = await pair(outbox, follow.accountId, follow.targetAccountId);
  if (p === null || p.follower.domain !== null || p.target.domain === null) return;
  await send(outbox, p.follower, [p.target], followOf(follow.iri, p.follower, p.target));
}

export async function sendAccept(outbox: Outbox, event: EventOf<"follow.accepted">) {
  const follow = await findFollowById(outbox.deps.db, event.followId);
  if (follow === undefined) return;
  const p = await pair(outbox, follow.accountId, follow.targetAccountId);
  if (p === null || p.target.domain !== null || p.follower.domain === null) return;
  const accept = new Accept({
    id: new URL(`${p.target.iri}#accepts/follows/${follow.id}`),
    actor: new URL(p.target.iri),
    object: followOf(follow.iri, p.follower, p.target),
    to: new URL(p.follower.iri),
  });
  await send(outbox, p.target, [p.follower], accept);
}

export async function sendReject(outbox: Outbox, event: EventOf<"follow.rejected">) {
  const p = await pair(outbox, event.accountId, event.targetAccountId);
  if (p === null || p.target.domain !== null || p.follower.domain === null) return;
  const reject = new Reject({
    id: new URL(`${p.target.iri}#rejects/follows/${event.followId}`),
    actor: new URL(p.target.iri),
    object: followOf(event.followIri, p.follower, p.target),
    to: new URL(p.follower.iri),
  });
  await send(outbox, p.target, [p.follower], reject);
}

export async function sendUnfollow(outbox: Outbox, event: EventOf<"follow.undone">) {
  const p = await pair(outbox, event.accountId, event.targetAccountId);
  if (p === null || p.follower.domain !== null || p.target.domain === null) return;
  const undo = new Undo({
    id: new URL(`${event.followIri ?? `${p.follower.iri}#follows/${event.followId}`}#undo`),
    actor: new URL(p.follower.iri),
    object: followOf(event.followIri, p.follower, p.target),
    to: new URL(p.target.iri),
  });
  await send(outbox, p.follower, [p.target], undo);
}
