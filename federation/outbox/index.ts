// Subscribes the outbox to domain events (called from src/deps.ts): each event that concerns a remote
// actor becomes an activity. Handlers are idempotent enough for the dispatcher's retries: a repeated
// delivery carries the same activity id, which receivers deduplicate.
import type { Federation } from "@fedify/fedify";
import type { EventDispatcher } from "../../src/domain/events.ts";
import type { FederationDeps } from "../context.ts";
import { sendActorDelete, sendMove } from "./accounts.ts";
import { sendPinAdd, sendPinRemove } from "./featured.ts";
import { sendAccept, sendFollow, sendReject, sendUnfollow } from "./follows.ts";
import { sendBlock, sendLike, sendProfileUpdate, sendUnblock, sendUnlike } from "./interactions.ts";
import { sendPollEnd, sendPollVote } from "./polls.ts";
import { sendQuoteAnswer, sendQuoteRequest, sendQuoteRevoked } from "./quotes.ts";
import { sendReaction, sendUnreaction } from "./reactions.ts";
import { sendFlag } from "./reports.ts";
import type { Outbox } from "./send.ts";
import { sendBoost, sendStatusCreate, sendStatusDelete, sendStatusUpdate } from "./statuses.ts";

export function subscribeOutbox(
  events: EventDispatcher,
  federation: Federation<FederationDeps>,
  deps: FederationDeps,
): void {
  const outbox: Outbox = { federation, deps };
  events
    .on("status.published", "federation.create", (e) => sendStatusCreate(outbox, e))
    .on("status.edited", "federation.update", (e) => sendStatusUpdate(outbox, e))
    .on("status.deleted", "federation.delete", (e) => sendStatusDelete(outbox, e))
    .on("reblog.created", "federation.announce", (e) => sendBoost(outbox, e))
    .on("follow.requested", "federation.follow", (e) => sendFollow(outbox, e))
    .on("follow.accepted", "federation.accept", (e) => sendAccept(outbox, e))
    .on("follow.rejected", "federation.reject", (e) => sendReject(outbox, e))
    .on("follow.undone", "federation.unfollow", (e) => sendUnfollow(outbox, e))
    .on("favourite.created", "federation.like", (e) => sendLike(outbox, e))
    .on("favourite.undone", "federation.unlike", (e) => sendUnlike(outbox, e))
    .on("reaction.created", "federation.emoji-react", (e) => sendReaction(outbox, e))
    .on("reaction.undone", "federation.undo-emoji-react", (e) => sendUnreaction(outbox, e))
    .on("block.created", "federation.block", (e) => sendBlock(outbox, e))
    .on("block.undone", "federation.unblock", (e) => sendUnblock(outbox, e))
    .on("account.updated", "federation.update-person", (e) => sendProfileUpdate(outbox, e))
    .on("account.deleted", "federation.delete-person", (e) => sendActorDelete(outbox, e))
    .on("account.moved", "federation.move", (e) => sendMove(outbox, e))
    .on("report.created", "federation.flag", (e) => sendFlag(outbox, e))
    .on("status.pinned", "federation.add-featured", (e) => sendPinAdd(outbox, e))
    .on("status.unpinned", "federation.remove-featured", (e) => sendPinRemove(outbox, e))
    .on("poll.voted", "federation.poll-vote", (e) => sendPollVote(outbox, e))
    .on("poll.ended", "federation.poll-end", (e) => sendPollEnd(outbox, e))
    .on("status.published", "federation.quote-request", (e) => sendQuoteRequest(outbox, e))
    .on("status.edited", "federation.quote-request-again", (e) => sendQuoteRequest(outbox, e))
    .on("quote.answered", "federation.quote-answer", (e) => sendQuoteAnswer(outbox, e))
    .on("quote.revoked", "federation.quote-revoked", (e) => sendQuoteRevoked(outbox, e));
}
