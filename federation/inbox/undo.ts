// Undo of a Follow, Like, EmojiReact, Announce or Block, by the actor who did it.

import { Activity, Announce, Block, EmojiReact, Follow, Like, type Undo } from "@fedify/vocab";
import { undoReactionByIri } from "../../src/domain/emoji-reactions.ts";
import { findFollow, findFollowByIri, removeFollow } from "../../src/domain/follows.ts";
import { unblockByIri, unboostByIri, unfavouriteByIri } from "../../src/domain/interactions.ts";
import { type Ctx, localAccountOf, log, sender } from "./support.ts";

export async function onUndo(ctx: Ctx, undo: Undo): Promise<void> {
  const account = await sender(ctx, undo);
  if (account === null) return;
  const db = ctx.data.db;
  const objectId = undo.objectId;
  // The undone activity is usually embedded; its id is what we stored. An embedded copy is only used
  // for what it says about its own id and type, and the stored row must belong to the sender.
  const object = await undo.getObject({ crossOrigin: "trust" } as never).catch(() => null);
  if (
    object instanceof Activity &&
    object.actorId !== null &&
    object.actorId.href !== account.iri
  ) {
    log.info("Dropping Undo {id} of another actor's activity.", { id: undo.id?.href });
    return;
  }
  const iri = objectId?.href ?? null;
  if (
    object instanceof Follow ||
    (object === null && iri !== null && (await findFollowByIri(db, iri)))
  ) {
    let follow = iri ? await findFollowByIri(db, iri) : undefined;
    if (follow === undefined && object instanceof Follow) {
      const target = await localAccountOf(ctx, object.objectId);
      if (target !== null) follow = await findFollow(db, account.id, target.id);
    }
    if (follow !== undefined && follow.accountId === account.id) {
      await db.transaction(async (tx) => await removeFollow(tx, follow));
    }
    return;
  }
  if (iri === null) return;
  if (object instanceof Like || object instanceof EmojiReact) {
    // A Like with content made both a favourite and a reaction under the same id.
    await unfavouriteByIri(db, account, iri);
    await undoReactionByIri(db, account, iri);
    return;
  }
  if (object instanceof Announce) {
    await unboostByIri(db, account, iri);
    return;
  }
  if (object instanceof Block) {
    await unblockByIri(db, account, iri);
    return;
  }
  // Unknown or unfetchable object: try each kind by id; each only matches the sender's own rows.
  const unliked = await unfavouriteByIri(db, account, iri);
  const unreacted = await undoReactionByIri(db, account, iri);
  if (!unliked && !unreacted && !(await unboostByIri(db, account, iri)))
    await unblockByIri(db, account, iri);
}
