// Update of a post (an edit, by its author only) and of an actor (a profile change, by itself only).
import { isActor, type Update } from "@fedify/vocab";
import { receiveRemoteStatus, updateRemoteStatus } from "../../src/domain/remote-statuses.ts";
import { noteToStatusInput } from "../mappers/from-ap.ts";
import { persistActor } from "../remote.ts";
import { readFeaturedCollections } from "../remote-featured.ts";
import { authoredPost, rawObject } from "./create.ts";
import { verifiedQuoteAuthorization } from "./quote-authorization.ts";
import { type Ctx, log, sender } from "./support.ts";

export async function onUpdate(ctx: Ctx, update: Update): Promise<void> {
  const author = await sender(ctx, update);
  if (author === null) return;
  const object = await update
    .getObject({ documentLoader: ctx.documentLoader } as never)
    .catch(() => null);
  if (isActor(object)) {
    // Only an actor may update itself.
    if (object.id?.href !== author.iri) {
      log.info("Dropping Update {id} of another actor.", { id: update.id?.href });
      return;
    }
    const account = await persistActor(ctx.data, object);
    // Mastodon sends an Update of the actor when its featured hashtags change.
    if (account !== null) await readFeaturedCollections(ctx, account);
    return;
  }
  const post = await authoredPost(ctx, update, author);
  if (post === null) return;
  const input = {
    ...(await noteToStatusInput(post, await rawObject(update), author.followersUrl)),
    quoteAuthorizationIri: await verifiedQuoteAuthorization(ctx, post),
  };
  const updated = await updateRemoteStatus(ctx.data.db, author, input);
  // An Update of a post we never saw is as good as its Create (Mastodon does the same).
  if (updated === null) await receiveRemoteStatus(ctx.data.db, author, input);
}
