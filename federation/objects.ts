// Object dispatchers: a status at /statuses/:id answers its Note (a boost: its Announce) to
// ActivityStreams requests, and its Create at /statuses/:id/activity. Public and
// unlisted statuses are served to anyone (in secure mode, AUTHORIZED_FETCH, to any signed request from an
// unblocked server: authorized-fetch.ts); followers-only and direct ones only to signed requests from an
// actor allowed to see them. Other requests fall through to the HTML pages.
import type { Federation, RequestContext } from "@fedify/fedify";
import { Object as APObject, Create, Emoji, QuoteAuthorization } from "@fedify/vocab";
import { findAccountById } from "../src/db/queries/accounts.ts";
import { findLocalEmojiById } from "../src/db/queries/emojis.ts";
import { canSee, canSeeAccount } from "../src/db/queries/visibility.ts";
import { quoteStateOf } from "../src/domain/quotes.ts";
import { findAccountByIri } from "../src/domain/remote-accounts.ts";
import { findStatusById } from "../src/domain/remote-statuses.ts";
import { answerAsUnknown, fetchAuthorized, signedKeyOf } from "./authorized-fetch.ts";
import type { FederationDeps } from "./context.ts";
import { loadStatusBundle } from "./loaders.ts";
import { boostToAnnounce, emojiTags, noteToCreate, statusToNote } from "./mappers/to-ap.ts";
import { instanceLoader } from "./remote.ts";

/** The stored account of a signed request's signer, or null (unsigned, unknown). */
export async function signerAccount(ctx: RequestContext<FederationDeps>) {
  if ((await signedKeyOf(ctx)) === null) return null;
  const owner = await ctx
    .getSignedKeyOwner({ documentLoader: await instanceLoader(ctx) })
    .catch(() => null);
  if (owner?.id == null) return null;
  return (await findAccountByIri(ctx.data.db, owner.id.href)) ?? null;
}

async function localStatus(ctx: RequestContext<FederationDeps>, id: string) {
  const status = await findStatusById(ctx.data.db, id);
  // Only our own statuses (and boosts) live here; a suspended author's are hidden meanwhile.
  if (status === undefined || !status.local) return null;
  if (!(await canSeeAccount(ctx.data.db, status.accountId))) return null;
  return status;
}

/** A local boost as its Announce, or null when the boosted status is gone. */
async function announceOf(
  ctx: RequestContext<FederationDeps>,
  boost: NonNullable<Awaited<ReturnType<typeof localStatus>>>,
) {
  const original = await findStatusById(ctx.data.db, boost.reblogOfId!);
  const author = await findAccountById(ctx.data.db, boost.accountId, { includeSuspended: true });
  if (original === undefined || author === undefined) return null;
  const originalAuthor = await findAccountById(ctx.data.db, original.accountId, {
    includeSuspended: true,
  });
  return boostToAnnounce(boost, author, original, originalAuthor, ctx.data.urls);
}

/**
 * The QuoteAuthorization we issued for a quote of a local post, at the id our Accept gave: served while
 * the quote stays accepted (a revoked one is gone), so third parties can check the consent.
 */
async function quoteAuthorizationOf(ctx: RequestContext<FederationDeps>, id: string) {
  const quoting = await findStatusById(ctx.data.db, id);
  const iri = ctx.data.urls.quoteAuthorization(id);
  if (quoting?.quoteOfId == null || quoting.quoteAuthorizationIri !== iri) return null;
  if (quoteStateOf(quoting) !== "accepted") return null;
  const quoted = await localStatus(ctx, quoting.quoteOfId);
  const author = quoted && (await findAccountById(ctx.data.db, quoted.accountId));
  if (quoted === null || author === undefined || author === null) return null;
  return new QuoteAuthorization({
    id: new URL(iri),
    attribution: new URL(author.iri),
    interactingObject: new URL(quoting.iri),
    interactionTarget: new URL(quoted.iri),
  });
}

export function registerObjects(federation: Federation<FederationDeps>): void {
  federation
    .setObjectDispatcher(QuoteAuthorization, "/quote-authorizations/{id}", (ctx, { id }) =>
      quoteAuthorizationOf(ctx, id),
    )
    .authorize((ctx) => fetchAuthorized(ctx));
  // Our custom emojis at the ids their Emoji tags carry (servers that dereference tags find them).
  federation
    .setObjectDispatcher(Emoji, "/emojis/{id}", async (ctx, { id }) => {
      const emoji = await findLocalEmojiById(ctx.data.db, id);
      return emoji === undefined ? null : (emojiTags([emoji], ctx.data.urls)[0] ?? null);
    })
    .authorize((ctx) => fetchAuthorized(ctx));
  federation
    // Registered for the base Object type because one URL space holds Notes and boosts (Announce).
    .setObjectDispatcher(APObject, "/statuses/{id}", async (ctx, { id }) => {
      const status = await localStatus(ctx, id);
      if (status === null) return null;
      if (status.reblogOfId !== null) return await announceOf(ctx, status);
      const bundle = await loadStatusBundle(ctx.data.db, status);
      if (bundle === null) return null;
      return statusToNote(bundle, ctx.data.urls, ctx.data.config.domain);
    })
    .authorize((ctx, { id }) => mayFetchStatus(ctx, id));
  // A status's Create at the id it was delivered with: servers that could not check its signature (or
  // that look activities up) fetch it there. A boost has none (its Announce is at the status's id).
  federation
    .setObjectDispatcher(Create, "/statuses/{id}/activity", async (ctx, { id }) => {
      const status = await localStatus(ctx, id);
      if (status === null || status.reblogOfId !== null) return null;
      const bundle = await loadStatusBundle(ctx.data.db, status);
      if (bundle === null) return null;
      const note = statusToNote(bundle, ctx.data.urls, ctx.data.config.domain);
      return noteToCreate(status.iri, bundle.author.iri, note);
    })
    .authorize((ctx, { id }) => mayFetchStatus(ctx, id));
}

/** Who may fetch a status's documents (its Note or Announce, its Create). */
async function mayFetchStatus(ctx: RequestContext<FederationDeps>, id: string): Promise<boolean> {
  // Secure mode first, for every id: an unsigned request gets the same 401 whether or not the
  // status exists. Past it, unknown and hidden statuses both answer 404.
  if (!(await fetchAuthorized(ctx))) return false;
  const status = await localStatus(ctx, id);
  if (status === null) return answerAsUnknown(ctx.request);
  // The one visibility rule, with the signer as the viewer (a remote account id works as a local
  // one): followers-only and direct need a follow or a mention, and an actor the author blocks (or
  // who blocks the author) sees nothing, public or not, as Mastodon's authorized fetch.
  const signer = await signerAccount(ctx);
  return (await canSee(ctx.data.db, status, signer?.id ?? null)) || answerAsUnknown(ctx.request);
}
