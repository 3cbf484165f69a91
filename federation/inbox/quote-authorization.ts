// A received post that quotes another server's post may carry the QuoteAuthorization the quoted author
// issued (FEP-044f, as Mastodon 4.5 sends it, in the Create or in an Update once the quote is approved).
// It is only a link: anyone can write one, so it counts only after we fetched it from the quoted post's
// server and it says that this very post may quote that very post, issued by the quoted post's author.
import { type Object as APObject, Note, QuoteAuthorization } from "@fedify/vocab";
import { findAccountById } from "../../src/db/queries/accounts.ts";
import { findStatusByIri } from "../../src/domain/remote-statuses.ts";
import { instanceLoader } from "../remote.ts";
import { type Ctx, log } from "./support.ts";

/** The post's QuoteAuthorization IRI once fetched and checked; null when it has none or it fails. */
export async function verifiedQuoteAuthorization(ctx: Ctx, post: APObject): Promise<string | null> {
  if (!(post instanceof Note) || post.id === null) return null;
  const authorizationId = post.quoteAuthorizationId;
  const quotedId = post.quoteId ?? post.quoteUrl;
  if (authorizationId === null || quotedId === null) return null;
  // A quote of one of our posts is decided by its policy here; our own authorizations need no fetch.
  if (quotedId.origin === new URL(ctx.data.config.origin).origin) return null;
  // The quoted post's server issues the authorization: one anywhere else speaks for nobody.
  if (authorizationId.origin !== quotedId.origin) return null;
  try {
    const authorization = await ctx.lookupObject(authorizationId, {
      documentLoader: await instanceLoader(ctx),
    });
    const quoted = await findStatusByIri(ctx.data.db, quotedId.href);
    const issuer = authorization instanceof QuoteAuthorization ? authorization.attributionId : null;
    const valid =
      authorization instanceof QuoteAuthorization &&
      authorization.id?.href === authorizationId.href &&
      authorization.interactingObjectId?.href === post.id.href &&
      authorization.interactionTargetId?.href === quotedId.href &&
      issuer !== null &&
      issuer.origin === quotedId.origin &&
      // When the quoted post is known, its author must be the one who issued the authorization.
      (quoted === undefined || (await authorIri(ctx, quoted.accountId)) === issuer.href);
    if (!valid) {
      log.info(
        "Ignoring the quote authorization {id} of {post}: it does not authorize this quote.",
        {
          id: authorizationId.href,
          post: post.id.href,
        },
      );
      return null;
    }
    return authorizationId.href;
  } catch (error) {
    log.info("Could not fetch the quote authorization {id}: {error}", {
      id: authorizationId.href,
      error,
    });
    return null;
  }
}

async function authorIri(ctx: Ctx, accountId: string): Promise<string | null> {
  return (await findAccountById(ctx.data.db, accountId))?.iri ?? null;
}
