// FEP-044f's consent exchange, as Mastodon 4.5 runs it: a QuoteRequest for one of our posts (answered by
// the post's policy, domain/quotes.ts), the Accept or Reject of our own QuoteRequests, and the Delete of
// a QuoteAuthorization (a remote author revoking a quote of their post).
import { type Accept, type Delete, type QuoteRequest, Reject } from "@fedify/vocab";
import {
  answerQuoteRequest,
  receiveAuthorizationDeleted,
  receiveQuoteAnswer,
} from "../../src/domain/quotes.ts";
import { findStatusByIri, receiveRemoteStatus } from "../../src/domain/remote-statuses.ts";
import { isPost, noteToStatusInput } from "../mappers/from-ap.ts";
import { rawEmbedded } from "./create.ts";
import { type Ctx, log, sender, statusOf } from "./support.ts";

type Json = Record<string, unknown>;

/** The id our QuoteRequests carry: the quoting status's, with a fragment (see outbox/quotes.ts). */
export const quoteRequestId = (statusIri: string) => `${statusIri}#quote-request`;

export async function onQuoteRequest(ctx: Ctx, request: QuoteRequest): Promise<void> {
  const requester = await sender(ctx, request);
  if (requester === null) return;
  const quoted = await statusOf(ctx, request.objectId);
  if (quoted === null || !quoted.local || quoted.reblogOfId !== null) {
    log.info("Ignoring QuoteRequest {id} for a post that is not ours.", { id: request.id?.href });
    return;
  }
  const quotingIri = request.instrumentId;
  if (quotingIri === null || quotingIri.origin !== new URL(requester.iri).origin) return;
  let quoting = await findStatusByIri(ctx.data.db, quotingIri.href);
  if (quoting === undefined) {
    // The quote post comes embedded (Mastodon) or by id; Fedify fetches one on another origin.
    const post = await request
      .getInstrument({ documentLoader: ctx.documentLoader } as never)
      .catch(() => null);
    const byRequester =
      isPost(post) &&
      post.id?.href === quotingIri.href &&
      (post.attributionId?.href === requester.iri ||
        post.attributionIds.some((a) => a.href === requester.iri));
    if (!byRequester) {
      log.info("Ignoring QuoteRequest {id}: its quote post is not its sender's.", {
        id: request.id?.href,
      });
      return;
    }
    // With the post's JSON as it came, as a Create's: Atelier's remixOf (and blurhash, focal points) are
    // read from there. A QuoteRequest processed before the post's Create stores the post; the Create
    // then finds it stored, so nothing read here is read again.
    const raw =
      (await rawEmbedded(request, "instrument")) ?? ((await post.toJsonLd()) as Json | undefined);
    const input = await noteToStatusInput(post, raw, requester.followersUrl);
    quoting = await receiveRemoteStatus(ctx.data.db, requester, input);
  }
  if (quoting.accountId !== requester.id || quoting.quoteOfIri !== quoted.iri) {
    log.info("Ignoring QuoteRequest {id}: its post does not quote {quoted}.", {
      id: request.id?.href,
      quoted: quoted.iri,
    });
    return;
  }
  await answerQuoteRequest(ctx.data.db, ctx.data.urls, {
    requestIri: request.id!.href,
    requesterId: requester.id,
    quoting,
    quoted,
  });
}

/**
 * An Accept or Reject of one of our QuoteRequests; false when `answer` is about something else (a
 * Follow). Only the quoted post's author answers, and an authorization must be on their origin.
 */
export async function onQuoteAnswer(ctx: Ctx, answer: Accept | Reject): Promise<boolean> {
  const objectId = answer.objectId;
  if (objectId === null || !objectId.href.endsWith("#quote-request")) return false;
  const quoting = await statusOf(ctx, new URL(objectId.href.replace(/#quote-request$/, "")));
  if (quoting === null || !quoting.local || quoting.quoteOfIri === null) return false;
  const answerer = await sender(ctx, answer);
  if (answerer === null) return true;
  const quoted = await findStatusByIri(ctx.data.db, quoting.quoteOfIri);
  if (quoted === undefined || quoted.accountId !== answerer.id) {
    log.info("Ignoring {type} {id}: {actor} did not write the quoted post.", {
      type: answer.constructor.name,
      id: answer.id?.href,
      actor: answerer.iri,
    });
    return true;
  }
  if (answer instanceof Reject) {
    await receiveQuoteAnswer(ctx.data.db, quoting, { accepted: false });
    return true;
  }
  const authorization = answer.resultId;
  if (authorization === null || authorization.origin !== new URL(answerer.iri).origin) {
    log.info("Ignoring Accept {id} of a quote without an authorization of its sender.", {
      id: answer.id?.href,
    });
    return true;
  }
  await receiveQuoteAnswer(ctx.data.db, quoting, {
    accepted: true,
    authorizationIri: authorization.href,
  });
  return true;
}

/** A Delete whose object is a QuoteAuthorization its sender issued: the quote it approved is revoked. */
export async function onAuthorizationDelete(ctx: Ctx, del: Delete): Promise<void> {
  const objectId = del.objectId;
  const actorId = del.actorId;
  if (objectId === null || actorId === null || objectId.origin !== actorId.origin) return;
  await receiveAuthorizationDeleted(ctx.data.db, objectId.href, actorId.href);
}
