// Announce (boost) of a status: stored as a boost when the boosted status is known here (ours, or one
// fetched from its origin); Lemmy-style Announce(Create) from a group is unwrapped into the Create.
import { type Announce, Object as APObject, Create, isActor } from "@fedify/vocab";
import { boostStatus } from "../../src/domain/interactions.ts";
import { onCreate } from "./create.ts";
import { type Ctx, log, sender, statusOf, unlessBlocked } from "./support.ts";

export async function onAnnounce(ctx: Ctx, announce: Announce): Promise<void> {
  const account = await sender(ctx, announce);
  if (account === null) return;
  let status = await statusOf(ctx, announce.objectId);
  if (status === null) {
    // Not stored yet: fetch it from its own origin (Fedify does not trust an embedded copy from elsewhere).
    const object = await announce
      .getObject({ documentLoader: ctx.documentLoader } as never)
      .catch(() => null);
    if (object instanceof Create) {
      // A group relaying a member's post (Lemmy): the inner Create is handled as if delivered directly
      // (its author's signature is not on it, so onCreate trusts only what it fetches from the author's
      // origin). The group's relay then counts as its boost, as Mastodon shows a group's Announce, so
      // the group's followers here see the post.
      await onCreate(ctx, object);
      if (account.type !== "Group") return;
      status = await statusOf(ctx, object.objectId);
      if (status === null) return;
    } else {
      status = await storeAnnounced(ctx, announce, object);
      if (status === null) return;
    }
  }
  if (status.visibility === "private" || status.visibility === "direct") return;
  const published = announce.published ? new Date(announce.published.epochMilliseconds) : null;
  const stored = await unlessBlocked(
    announce,
    async () =>
      await boostStatus(ctx.data.db, ctx.data.urls, account, status, {
        iri: announce.id!.href,
        published,
      }),
  );
  if (!stored) return;
}

/** Stores a boosted post fetched from its origin (by way of its author's Create); null if it can't be. */
async function storeAnnounced(ctx: Ctx, announce: Announce, object: unknown) {
  if (!(object instanceof APObject) || isActor(object) || object.id === null) {
    log.debug("Announce {id} of something that cannot be stored.", { id: announce.id?.href });
    return null;
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
  return await statusOf(ctx, announce.objectId);
}
