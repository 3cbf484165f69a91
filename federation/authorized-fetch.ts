// AUTHORIZED_FETCH (Mastodon's "secure mode", GoToSocial's default): our actors, statuses and collections
// are served only to a request signed by a server that is not domain-blocked, so a blocked server cannot
// read them by fetching instead of being delivered to. Unsigned (or badly signed) → 401, signed from a
// blocked domain → 403. The instance actor stays public (others fetch its key to check our signed
// fetches), and so do WebFinger, NodeInfo and host-meta, which are not dispatched here.
import type { RequestContext } from "@fedify/fedify";
import type { CryptographicKey } from "@fedify/vocab";
import { mayFederateWith } from "../src/domain/federation-policy.ts";
import type { FederationDeps } from "./context.ts";
import { instanceLoader } from "./remote.ts";

// Requests refused because their signer's server is blocked: onUnauthorized answers those 403.
const refusedAsBlocked = new WeakSet<Request>();
// Requests for something that does not exist or that their signer may not see: answered as a 404, the
// same for both, so a refusal never confirms that a followers-only or direct status exists.
const refusedAsUnknown = new WeakSet<Request>();

/** Refuses the request as if what it asks for did not exist (returns false, for an authorize predicate). */
export function answerAsUnknown(request: Request): false {
  refusedAsUnknown.add(request);
  return false;
}

/** Whether an authorize predicate refused this request with answerAsUnknown. */
export const isAnsweredAsUnknown = (request: Request): boolean => refusedAsUnknown.has(request);

/**
 * The key a request was verifiably signed with, or null. The signer's key is fetched signed by our
 * instance actor: a server in secure mode answers an unsigned fetch of its user's key with 401.
 */
export async function signedKeyOf(
  ctx: RequestContext<FederationDeps>,
): Promise<CryptographicKey | null> {
  return ctx.getSignedKey({ documentLoader: await instanceLoader(ctx) }).catch(() => null);
}

/** Whether this request may read what the dispatcher serves; true for anyone when the option is off. */
export async function fetchAuthorized(ctx: RequestContext<FederationDeps>): Promise<boolean> {
  if (!ctx.data.config.authorizedFetch) return true;
  const key = await signedKeyOf(ctx);
  if (key?.id == null) return false;
  const hosts = [key.id.host, key.ownerId?.host].filter((h) => h !== undefined);
  for (const host of hosts) {
    if (!(await mayFederateWith(ctx.data.db, host, ctx.data.config))) {
      refusedAsBlocked.add(ctx.request);
      return false;
    }
  }
  return true;
}

/** Fedify's answer when an authorize predicate said no: 403 for a blocked server, 401 otherwise. */
export function unauthorizedResponse(request: Request): Response {
  const blocked = refusedAsBlocked.has(request);
  return new Response(
    JSON.stringify({
      error: blocked
        ? "This server does not federate with your domain"
        : "Request signature required",
    }),
    {
      status: blocked ? 403 : 401,
      headers: { "Content-Type": "application/json", Vary: "Accept, Signature" },
    },
  );
}
