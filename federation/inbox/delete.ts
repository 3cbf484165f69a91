// Delete of a post (Note or Tombstone) by its author, and of a whole actor by itself.
import type { Delete } from "@fedify/vocab";
import { deleteRemoteAccount } from "../../src/domain/remote-accounts.ts";
import { deleteRemoteStatus } from "../../src/domain/remote-statuses.ts";
import { type Ctx, log, sender } from "./support.ts";

export async function onDelete(ctx: Ctx, del: Delete): Promise<void> {
  const actorId = del.actorId;
  const objectId = del.objectId;
  if (actorId === null || objectId === null) return;
  if (objectId.href === actorId.href) {
    // The actor deleted itself: it cannot be fetched any more, so the signature check Fedify made is
    // what proves it (its key was fetched, or cached, before the deletion).
    deleteRemoteAccount(ctx.data.db, actorId.href);
    ctx.data.events.kick();
    return;
  }
  const author = await sender(ctx, del);
  if (author === null) return;
  // Only the author's own statuses go (checked inside), whatever the object claims.
  if (!deleteRemoteStatus(ctx.data.db, author, objectId.href)) {
    log.debug("Delete {id}: nothing of {actor} stored as {object}.", {
      id: del.id?.href,
      actor: author.iri,
      object: objectId.href,
    });
  }
}
