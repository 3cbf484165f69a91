// Announce (boost) of a status: stored as a boost when the boosted status is known here (ours, or one
// fetched from its origin); Lemmy-style Announce(Create) from a group is unwrapped into the Create.
import { type Announce, Create, isActor } from "@fedify/vocab";
import { boostStatus } from "../../src/domain/interactions.ts";
import { onCreate } from "./create.ts";
import { type Ctx, log, sender, statusOf } from "./support.ts";

export async function onAnnounce(ctx: Ctx, announce: Announce): Promise<void> {
  const account = await sender(ctx, announce);
  if (account === null) return;
  let status = statusOf(ctx, announce.objectId);
  if (status === null) {
    // Not stored yet: fetch it from its own origin (Fedify does not trust an embedded copy from elsewhere).
    const object = await announce
      .getObject({ documentLoader: ctx.documentLoader } as never)
      .catch(() => null);
    if (object instanceof Create) {
      // A group relaying a member's post (Lemmy): the inner Create is handled as if delivered directly.
      await onCreate(ctx, object);
      return;
    }
    if (object === null || isActor(object) || object.id === null) {
      log.debug("Announce {id} of something that cannot be stored.", { id: announce.id?.href });
      return;
    }
    const author = object.attributionId;
    if (author !== null && object.id.origin === author.origin) {
      await onCreate(
        ctx,
        new Create({
          id: new URL(`${object.id.href}#create`),
          actor: author,
          object,
          tos: object.toIds,
          ccs: object.ccIds,
        }),
      ).catch(() => undefined);
    }
    status = statusOf(ctx, announce.objectId);
    if (status === null) return;
  }
  if (status.visibility === "private" || status.visibility === "direct") return;
  const published = announce.published ? new Date(announce.published.epochMilliseconds) : null;
  boostStatus(ctx.data.db, ctx.data.urls, account, status, { iri: announce.id!.href, published });
  ctx.data.events.kick();
}
