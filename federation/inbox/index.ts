// The inbox routing table (personal and shared inboxes): one handler per activity type, each idempotent
// (activity ids are unique in storage, and Fedify remembers processed ids) and checking that the signer
// owns what it acts on. Unknown types are logged and accepted.
import type { Federation } from "@fedify/fedify";
import {
  Accept,
  Activity,
  Add,
  Announce,
  Block,
  Create,
  Delete,
  EmojiReact,
  Flag,
  Follow,
  Like,
  Move,
  QuoteRequest,
  Reject,
  Remove,
  Undo,
  Update,
} from "@fedify/vocab";
import type { FederationDeps } from "../context.ts";
import { INSTANCE_ACTOR } from "../mappers/to-ap.ts";
import { onAnnounce } from "./announce.ts";
import { onCreate } from "./create.ts";
import { onDelete, onUnverifiedDelete } from "./delete.ts";
import { onAdd, onRemove } from "./featured.ts";
import { onAccept, onFollow, onReject } from "./follow.ts";
import { onEmojiReact, onLike } from "./like.ts";
import { onBlock, onFlag, onMove } from "./moderation.ts";
import { onQuoteRequest } from "./quote.ts";
import { log } from "./support.ts";
import { onUndo } from "./undo.ts";
import { onUpdate } from "./update.ts";

export function registerInbox(federation: Federation<FederationDeps>): void {
  federation
    .setInboxListeners("/users/{identifier}/inbox", "/inbox")
    .setSharedKeyDispatcher(() => ({ identifier: INSTANCE_ACTOR }))
    .on(Follow, onFollow)
    .on(Accept, onAccept)
    .on(Reject, onReject)
    .on(Create, onCreate)
    .on(Update, onUpdate)
    .on(Delete, onDelete)
    .on(Like, onLike)
    .on(EmojiReact, onEmojiReact)
    .on(Announce, onAnnounce)
    .on(Undo, onUndo)
    .on(Block, onBlock)
    .on(Flag, onFlag)
    .on(Move, onMove)
    .on(Add, onAdd)
    .on(Remove, onRemove)
    .on(QuoteRequest, onQuoteRequest)
    .on(Activity, (_ctx, activity) => {
      log.info("Accepting and ignoring an activity of unsupported type {type} ({id}).", {
        type: activity.constructor.name,
        id: activity.id?.href,
      });
    })
    .onUnverifiedActivity(onUnverifiedDelete)
    .onError((_ctx, error) => {
      log.error("Inbox handler failed: {error}", { error });
    });
}
