// Follow, Accept and Reject: remote actors following local accounts, and the answers to our Follows
// (answers to our QuoteRequests are quote.ts's).
import { type Accept, Follow, type Reject } from "@fedify/vocab";
import {
  findFollow,
  findFollowByIri,
  markFollowAccepted,
  markFollowRejected,
  receiveFollow,
} from "../../src/domain/follows.ts";
import { onQuoteAnswer } from "./quote.ts";
import { type Ctx, localAccountOf, log, sender } from "./support.ts";

export async function onFollow(ctx: Ctx, follow: Follow): Promise<void> {
  const follower = await sender(ctx, follow);
  if (follower === null) return;
  const target = await localAccountOf(ctx, follow.objectId);
  if (target === null) {
    log.info("Ignoring Follow {id} of an actor that is not ours.", { id: follow.id?.href });
    return;
  }
  const stored = await receiveFollow(ctx.data.db, { iri: follow.id!.href, follower, target });
  if (stored === null) {
    log.info("Rejecting Follow {id}: {target} blocked {actor} or its domain.", {
      id: follow.id?.href,
      target: target.iri,
      actor: follower.iri,
    });
  }
}

/** Finds our Follow an Accept/Reject answers, making sure the answerer is the one we followed. */
async function answeredFollow(ctx: Ctx, answer: Accept | Reject) {
  const answerer = await sender(ctx, answer);
  if (answerer === null) return null;
  const db = ctx.data.db;
  // The object is our Follow: by id (embedded or a bare URL), or, from servers that embed a Follow
  // without an id, by the pair it names.
  const objectId = answer.objectId;
  let follow = objectId ? await findFollowByIri(db, objectId.href) : undefined;
  if (follow === undefined) {
    const embedded = await answer.getObject({ crossOrigin: "trust" } as never).catch(() => null);
    if (embedded instanceof Follow) {
      const local = await localAccountOf(ctx, embedded.actorId);
      if (local !== null) follow = await findFollow(db, local.id, answerer.id);
    }
  }
  if (follow === undefined || follow.targetAccountId !== answerer.id) {
    log.info("Ignoring {type} {id}: no Follow of ours to {actor} matches.", {
      type: answer.constructor.name,
      id: answer.id?.href,
      actor: answerer.iri,
    });
    return null;
  }
  return follow;
}

export async function onAccept(ctx: Ctx, accept: Accept): Promise<void> {
  if (await onQuoteAnswer(ctx, accept)) return;
  const follow = await answeredFollow(ctx, accept);
  if (follow !== null) await markFollowAccepted(ctx.data.db, follow);
}

export async function onReject(ctx: Ctx, reject: Reject): Promise<void> {
  if (await onQuoteAnswer(ctx, reject)) return;
  const follow = await answeredFollow(ctx, reject);
  if (follow !== null) await markFollowRejected(ctx.data.db, follow);
}
