// FEP-044f going out, as Mastodon 4.5 exchanges it: a QuoteRequest for a local quote of a remote post
// still awaiting consent, our Accept (with the QuoteAuthorization's id as result) or Reject of a
// QuoteRequest, and the Delete of a QuoteAuthorization its issuer revoked.
import { Accept, Delete, QuoteRequest, Reject } from "@fedify/vocab";
import { findAccountById } from "../../src/db/queries/accounts.ts";
import type { EventOf } from "../../src/domain/events.ts";
import { findStatusById } from "../../src/domain/remote-statuses.ts";
import { quoteRequestId } from "../inbox/quote.ts";
import { type Outbox, send } from "./send.ts";
import { noteActivity } from "./statuses.ts";

const account = (outbox: Outbox, id: string) =>
  findAccountById(outbox.deps.db, id, { includeSuspended: true });

/** Asks the remote author's consent for a local quote of their post that is still pending. */
export async function sendQuoteRequest(
  outbox: Outbox,
  event: EventOf<"status.published"> | EventOf<"status.edited">,
) {
  const status = await findStatusById(outbox.deps.db, event.statusId);
  if (status?.quoteOfId == null || status.quoteState !== "pending" || !status.local) return;
  const quoted = await findStatusById(outbox.deps.db, status.quoteOfId);
  if (quoted === undefined || quoted.local) return;
  const [author, quotedAuthor] = await Promise.all([
    account(outbox, status.accountId),
    account(outbox, quoted.accountId),
  ]);
  const built = await noteActivity(outbox, status.id);
  if (author === undefined || quotedAuthor === undefined || built === null) return;
  const request = new QuoteRequest({
    id: new URL(quoteRequestId(status.iri)),
    actor: new URL(author.iri),
    object: new URL(quoted.iri),
    // The quote post itself, embedded as Mastodon sends it.
    instrument: built.note,
    to: new URL(quotedAuthor.iri),
  });
  await send(outbox, author, [quotedAuthor], request);
}

/** Our answer to a QuoteRequest: Accept with the QuoteAuthorization we serve, or Reject. */
export async function sendQuoteAnswer(outbox: Outbox, event: EventOf<"quote.answered">) {
  const [quoting, quoted] = await Promise.all([
    findStatusById(outbox.deps.db, event.statusId),
    findStatusById(outbox.deps.db, event.quotedStatusId),
  ]);
  if (quoting === undefined || quoted === undefined) return;
  const [requester, author] = await Promise.all([
    account(outbox, quoting.accountId),
    account(outbox, quoted.accountId),
  ]);
  if (requester === undefined || author === undefined || author.domain !== null) return;
  const values = {
    actor: new URL(author.iri),
    object: new URL(event.requestIri),
    to: new URL(requester.iri),
  };
  const authorization = outbox.deps.urls.quoteAuthorization(quoting.id);
  const answer = event.accepted
    ? new Accept({
        ...values,
        id: new URL(`${authorization}#accept`),
        result: new URL(authorization),
      })
    : new Reject({ ...values, id: new URL(`${quoted.iri}#quote-rejections/${quoting.id}`) });
  await send(outbox, author, [requester], answer);
}

/** A revoked quote: the QuoteAuthorization we issued for it is deleted, told to the quote's author. */
export async function sendQuoteRevoked(outbox: Outbox, event: EventOf<"quote.revoked">) {
  if (event.authorizationIri === null) return;
  const [quoting, quoted] = await Promise.all([
    findStatusById(outbox.deps.db, event.statusId),
    findStatusById(outbox.deps.db, event.quotedStatusId),
  ]);
  if (quoting === undefined || quoted === undefined || !quoted.local) return;
  const [requester, author] = await Promise.all([
    account(outbox, quoting.accountId),
    account(outbox, quoted.accountId),
  ]);
  if (requester === undefined || author === undefined) return;
  const del = new Delete({
    id: new URL(`${event.authorizationIri}#delete`),
    actor: new URL(author.iri),
    object: new URL(event.authorizationIri),
    to: new URL(requester.iri),
  });
  await send(outbox, author, [requester], del);
}
