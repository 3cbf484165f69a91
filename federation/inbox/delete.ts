// Delete of a post (Note or Tombstone) by its author, and of a whole actor by itself (also when its key
// can no longer be fetched because its server already answers 410 Gone).
import type { RequestContext, UnverifiedActivityReason } from "@fedify/fedify";
import { type Activity, Delete } from "@fedify/vocab";
import { mayFederateWith } from "../../src/domain/federation-policy.ts";
import { deleteRemoteAccount, findAccountByIri } from "../../src/domain/remote-accounts.ts";
import { deleteRemoteStatus } from "../../src/domain/remote-statuses.ts";
import type { FederationDeps } from "../context.ts";
import { INSTANCE_ACTOR } from "../mappers/to-ap.ts";
import { onAuthorizationDelete } from "./quote.ts";
import { type Ctx, log, sender } from "./support.ts";

export async function onDelete(ctx: Ctx, del: Delete): Promise<void> {
  const actorId = del.actorId;
  const objectId = del.objectId;
  if (actorId === null || objectId === null) return;
  if (objectId.href === actorId.href) {
    // The actor deleted itself: it cannot be fetched any more, so the signature check Fedify made is
    // what proves it (its key was fetched, or cached, before the deletion).
    await deleteRemoteAccount(ctx.data.db, actorId.href);
    return;
  }
  const author = await sender(ctx, del);
  if (author === null) return;
  // Only the author's own statuses go (checked inside), whatever the object claims.
  if (!(await deleteRemoteStatus(ctx.data.db, author, objectId.href))) {
    // Not a post of theirs: perhaps a QuoteAuthorization they issued (a quote of theirs revoked).
    await onAuthorizationDelete(ctx, del);
    log.debug("Delete {id}: nothing of {actor} stored as {object}.", {
      id: del.id?.href,
      actor: author.iri,
      object: objectId.href,
    });
  }
}

// Actors whose 410 was asked for lately (href → until when, ms); bounded, oldest dropped first.
const checkedActors = new Map<string, number>();
const RECHECK_AFTER_MS = 5 * 60_000;
const MAX_CHECKED = 1000;

function recentlyChecked(href: string): boolean {
  const now = Date.now();
  const until = checkedActors.get(href);
  if (until !== undefined && until > now) return true;
  checkedActors.delete(href);
  checkedActors.set(href, now + RECHECK_AFTER_MS);
  if (checkedActors.size > MAX_CHECKED) {
    checkedActors.delete(checkedActors.keys().next().value!);
  }
  return false;
}

/**
 * An actor's Delete of itself arrives signed by a key its server no longer serves, so Fedify cannot
 * verify it. Its own origin answering 410 Gone for the actor is the proof (as Mastodon takes it): the
 * actor is removed and the sender is told 202 so it stops retrying. The 410 is asked for again here,
 * since Fedify may report a key it already failed to fetch (for a Linked Data signature) only as an
 * invalid signature. Anything else stays unverified (401).
 */
export async function onUnverifiedDelete(
  ctx: RequestContext<FederationDeps>,
  activity: Activity,
  reason: UnverifiedActivityReason,
): Promise<Response | undefined> {
  if (!(activity instanceof Delete) || reason.type === "noSignature") return undefined;
  const actorId = activity.actorId;
  if (actorId === null || activity.objectId?.href !== actorId.href) return undefined;
  // The key must be the actor's own: its document (Mastodon's #main-key) or below it (GoToSocial's
  // /main-key).
  const keyDocument = reason.keyId?.href.split("#")[0];
  const actorHref = actorId.href.replace(/\/$/, "");
  if (keyDocument !== actorId.href && !keyDocument?.startsWith(`${actorHref}/`)) return undefined;
  if (!(await mayFederateWith(ctx.data.db, actorId.host, ctx.data.config))) return undefined;
  // An actor we never stored leaves nothing to delete: accepted without asking its server, so
  // unverifiable Deletes (which Mastodon sends to every server it knows) cost us no fetch.
  if ((await findAccountByIri(ctx.data.db, actorId.href)) === undefined) {
    return new Response(null, { status: 202 });
  }
  // A replayed forged Delete must not make us fetch the actor every time.
  if (recentlyChecked(actorId.href)) return undefined;
  // Asked afresh with a signed fetch (past Fedify's document cache, which may still hold the actor from
  // minutes ago; the same private-address rule as every other fetch).
  const signedLoader = await ctx.getDocumentLoader({ identifier: INSTANCE_ACTOR });
  const status = await signedLoader(actorId.href).then(
    () => 200,
    (error: unknown) => (error as { response?: Response }).response?.status ?? 0,
  );
  if (status !== 410) return undefined;
  await deleteRemoteAccount(ctx.data.db, actorId.href);
  log.info("Delete of {actor}, which its server says is gone (410): removed.", {
    actor: actorId.href,
  });
  return new Response(null, { status: 202 });
}
