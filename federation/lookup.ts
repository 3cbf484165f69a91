// Remote lookup: resolves `@user@host`, `user@host`, a profile or actor URL, or a status URL to a stored
// remote account or status (WebFinger, then a signed fetch), using the stored copy while it is fresh.
import type { Context } from "@fedify/fedify";
import { Article, isActor, Note, Page, Question } from "@fedify/vocab";
import type { Account, Status } from "../src/db/schema/index.ts";
import { findLocalAccount } from "../src/domain/accounts.ts";
import { mayFederateWith } from "../src/domain/federation-policy.ts";
import { normalizeHost, parseHandle } from "../src/domain/handles.ts";
import { findRemoteAccountByHandle, isRemoteAccountStale } from "../src/domain/remote-accounts.ts";
import { findStatusByIri, receiveRemoteStatus } from "../src/domain/remote-statuses.ts";
import { badRequest } from "../src/errors.ts";
import { logger } from "../src/logging.ts";
import { fetchRemoteJson } from "../src/media/remote-fetch.ts";
import { SOFTWARE_NAME, SOFTWARE_VERSION } from "../src/version.ts";
import type { FederationDeps } from "./context.ts";
import { noteToStatusInput } from "./mappers/from-ap.ts";
import { instanceLoader, resolveActor } from "./remote.ts";

const log = logger("federation", "lookup");

export type LookupResult = { account: Account } | { status: Status } | null;

/**
 * WebFinger over plain http, for instances on loopback in tests. Fedify's own lookup assumes https for
 * acct: handles; this fallback is used only when FEDERATION_ALLOW_PRIVATE_ADDRESS is on. It goes through
 * the same bounded download as remote follow's WebFinger (media/remote-fetch.ts): no redirect, a
 * timeout, a size cap and a JSON content type.
 */
async function webFingerOverHttp(user: string, host: string): Promise<string | null> {
  const resource = `acct:${user}@${host}`;
  const url = `http://${host}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`;
  try {
    const fetched = await fetchRemoteJson(url, {
      accept: "application/jrd+json",
      allowPrivateAddress: true,
      maxBytes: 100_000,
      timeoutMs: 10_000,
      maxRedirects: 0,
      userAgent: `${SOFTWARE_NAME}/${SOFTWARE_VERSION}`,
    });
    const jrd = JSON.parse(fetched.bytes.toString("utf8")) as {
      links?: { rel?: string; type?: string; href?: string }[];
    };
    const self = jrd.links?.find(
      (l) => l.rel === "self" && /activity\+json|ld\+json/.test(l.type ?? "") && l.href,
    );
    return self?.href ?? null;
  } catch (error) {
    log.debug("WebFinger over http failed for {resource}: {error}", { resource, error });
    return null;
  }
}

/**
 * The account `user@host` names. With `fresh`, a stored copy never answers in place of its server: the
 * actor is fetched again, and null comes back when it cannot be (a move checks the target's current
 * alsoKnownAs, which a stale copy could wrongly grant or deny).
 */
async function lookupHandle(
  ctx: Context<FederationDeps>,
  user: string,
  host: string,
  options: { fresh?: boolean } = {},
): Promise<{ account: Account } | null> {
  const deps = ctx.data;
  const fresh = options.fresh ?? false;
  const started = Date.now();
  // `host` comes from parseHandle, normalized the same way as our own domain here.
  if (host === normalizeHost(deps.config.domain)) {
    const local = await findLocalAccount(deps.db, user);
    return local ? { account: local } : null;
  }
  if (!(await mayFederateWith(deps.db, host, deps.config))) return null;
  const stored = await findRemoteAccountByHandle(deps.db, user, host);
  if (stored !== undefined && !fresh && !isRemoteAccountStale(stored)) return { account: stored };
  let actorIri: string | null = null;
  if (deps.config.federationAllowPrivateAddress) {
    actorIri = await webFingerOverHttp(user, host);
  }
  if (actorIri === null) {
    const object = await ctx
      .lookupObject(`acct:${user}@${host}`, { documentLoader: await instanceLoader(ctx) })
      .catch(() => null);
    actorIri = isActor(object) && object.id ? object.id.href : null;
  }
  if (actorIri === null) return stored && !fresh ? { account: stored } : null;
  const account = await resolveActor(ctx, actorIri, { refresh: true });
  if (account === null) return null;
  // resolveActor falls back on the stored copy when the fetch fails; fresh means fetched just now.
  if (fresh && account.domain !== null && (account.fetchedAt?.getTime() ?? 0) < started) {
    return null;
  }
  return { account };
}

/** The account a full handle (`user@host`) names, fetched from its server when `fresh`; null if none. */
export async function lookupAccount(
  ctx: Context<FederationDeps>,
  handle: string,
  options: { fresh: boolean },
): Promise<Account | null> {
  const parsed = parseHandle(handle.trim());
  if (parsed?.host == null) return null;
  return (await lookupHandle(ctx, parsed.username, parsed.host, options))?.account ?? null;
}

/** Resolves a handle or URL to a stored account or status; null when nothing usable is found. */
export async function lookupRemote(
  ctx: Context<FederationDeps>,
  query: string,
): Promise<LookupResult> {
  const q = query.trim();
  const handle = parseHandle(q);
  if (handle?.host) return lookupHandle(ctx, handle.username, handle.host);
  let url: URL;
  try {
    url = new URL(q);
  } catch {
    throw badRequest("Expected @user@host or an http(s) URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw badRequest("Expected @user@host or an http(s) URL");
  }
  const deps = ctx.data;
  if (!(await mayFederateWith(deps.db, url.host, deps.config))) return null;
  const known = await findStatusByIri(deps.db, url.href);
  if (known !== undefined) return { status: known };
  const object = await ctx
    .lookupObject(url, { documentLoader: await instanceLoader(ctx) })
    .catch(() => null);
  if (object === null || object.id === null) return null;
  if (isActor(object)) {
    const account = await resolveActor(ctx, object.id);
    return account ? { account } : null;
  }
  if (
    object instanceof Note ||
    object instanceof Article ||
    object instanceof Page ||
    object instanceof Question
  ) {
    const authorId = object.attributionId;
    if (authorId === null || authorId.origin !== object.id.origin) return null;
    const author = await resolveActor(ctx, authorId);
    if (author === null || author.domain === null) return null;
    const raw = (await object.toJsonLd()) as Record<string, unknown>;
    const input = await noteToStatusInput(object, raw, author.followersUrl);
    return { status: await receiveRemoteStatus(deps.db, author, input) };
  }
  return null;
}
