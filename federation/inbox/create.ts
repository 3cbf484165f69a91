// Create of posts (Note, Article, Page, Question, Video): stored as remote statuses with their attachments,
// mentions, hashtags, content warning, language and visibility; only the author may post them. A Note
// named after an option of one of our polls, in reply to it, is a vote (Mastodon's way): counted, never
// stored as a status.
import { type Object as APObject, type Create, Note, type Update } from "@fedify/vocab";
import type { Account } from "../../src/db/schema/index.ts";
import { receiveRemoteVote } from "../../src/domain/polls.ts";
import { findStatusByIri, receiveRemoteStatus } from "../../src/domain/remote-statuses.ts";
import { isPost, noteToStatusInput } from "../mappers/from-ap.ts";
import { verifiedQuoteAuthorization } from "./quote-authorization.ts";
import { type Ctx, log, sender } from "./support.ts";

type Json = Record<string, unknown>;

/** The embedded object's JSON as it arrived (Fedify keeps the activity's original document). */
export function rawObject(activity: Create | Update): Promise<Json | undefined> {
  return rawEmbedded(activity, "object");
}

/**
 * The JSON of an object an activity embeds under `property` (`object`, a QuoteRequest's `instrument`),
 * as it arrived: Fedify's vocabulary drops the terms it does not know (Atelier's remixOf, blurhash), which
 * the mappers read from here. Undefined when the property holds only an id.
 */
export async function rawEmbedded(
  activity: { toJsonLd(): Promise<unknown> },
  property: "object" | "instrument",
): Promise<Json | undefined> {
  const json = (await activity.toJsonLd()) as Json;
  // Compact, or expanded JSON-LD (the full property IRI holding a one-element array).
  const expanded = json[`https://www.w3.org/ns/activitystreams#${property}`];
  const object = json[property] ?? (Array.isArray(expanded) ? expanded[0] : expanded);
  return object !== null && typeof object === "object" && !Array.isArray(object)
    ? (object as Json)
    : undefined;
}

/** The post an activity carries, if its author is the sender and it is on the sender's origin. */
export async function authoredPost(ctx: Ctx, activity: Create | Update, author: Account) {
  // Fedify refetches an embedded object whose id is on another origin than the activity, so a
  // forged copy of someone else's post is replaced by the real one (whose author then won't match).
  const object: APObject | null = await activity
    .getObject({ documentLoader: ctx.documentLoader } as never)
    .catch(() => null);
  if (!isPost(object) || object.id === null) return null;
  if (
    object.attributionId?.href !== author.iri &&
    !object.attributionIds.some((a) => a.href === author.iri)
  ) {
    log.info("Dropping {type} {id}: the post is not attributed to its sender {actor}.", {
      type: activity.constructor.name,
      id: activity.id?.href,
      actor: author.iri,
    });
    return null;
  }
  if (object.id.origin !== new URL(author.iri).origin) return null;
  return object;
}

export async function onCreate(ctx: Ctx, create: Create): Promise<void> {
  const author = await sender(ctx, create);
  if (author === null) return;
  const post = await authoredPost(ctx, create, author);
  if (post === null) {
    log.info("Ignoring Create {id} of something that is not a post of its sender.", {
      id: create.id?.href,
    });
    return;
  }
  if (post instanceof Note && post.name !== null && post.replyTargetId !== null) {
    const poll = await findStatusByIri(ctx.data.db, post.replyTargetId.href);
    if (poll?.local && poll.poll !== null) {
      await receiveRemoteVote(
        ctx.data.db,
        author,
        poll,
        String(post.name),
        post.id!.href,
        new Date(),
      );
      return;
    }
  }
  const input = {
    ...(await noteToStatusInput(post, await rawObject(create), author.followersUrl)),
    quoteAuthorizationIri: await verifiedQuoteAuthorization(ctx, post),
  };
  await receiveRemoteStatus(ctx.data.db, author, input);
}
