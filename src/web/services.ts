import { z } from "zod";
import type { AccountResolver } from "../domain/account-moves.ts";
import * as handles from "../domain/handles.ts";
import { AppError, badRequest } from "../errors.ts";
import { fetchRemoteJson, RemoteFetchError } from "../media/remote-fetch.ts";
import { SOFTWARE_NAME, SOFTWARE_VERSION } from "../version.ts";

export const OSTATUS_SUBSCRIBE_REL = "http://ostatus.org/schema/1.0/subscribe";

/**
 * A full handle as people type it (`@me@mastodon.social` or `me@mastodon.social`), read by the one
 * parser every door uses (international hosts in punycode, ports kept); a host is required here.
 */
export function parseHandle(input: string): { username: string; host: string } {
  const handle = handles.parseHandle(input.trim());
  if (handle === null || handle.host === null) {
    throw badRequest("Enter your full fediverse handle, such as @you@mastodon.social.");
  }
  return { username: handle.username, host: handle.host };
}

export interface RemoteFollowResolver {
  /**
   * The remote server's interaction URL template (with `{uri}`) for the handle's account, from its
   * WebFinger `http://ostatus.org/schema/1.0/subscribe` link; null if it publishes none.
   */
  subscribeTemplate(handle: { username: string; host: string }): Promise<string | null>;
}

/** Something a pasted URI names: an account or a status we have stored. */
export type InteractionTarget =
  | { type: "account"; accountId: string }
  | { type: "status"; statusId: string };

export interface InteractionServices {
  /** Finds (fetching it if needed) the account or status a URI or handle names, or null. */
  resolve(uri: string): Promise<InteractionTarget | null>;
  /** Makes `followerId` (local) follow `targetId` (local or remote); federation sends the Follow. */
  followAccount(followerId: string, targetId: string): Promise<void>;
}

export interface WebServices {
  remoteFollow: RemoteFollowResolver;
  interactions: InteractionServices;
  /** Federation's handle lookup, for aliases and moving (the target fetched fresh from its server). */
  resolveAccount: AccountResolver;
}

const webFingerSchema = z.object({
  subject: z.string().max(2048).optional(),
  links: z
    .array(
      z.object({
        rel: z.string().max(2048),
        template: z.string().max(2048).optional(),
        href: z.string().max(2048).optional(),
      }),
    )
    .max(100)
    .default([]),
});

export interface FetchResolverOptions {
  /** Let the resolver ask loopback/private hosts and use http (multi-instance tests only). */
  allowPrivateAddress?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
}

/**
 * A bounded WebFinger lookup for remote follow, through the same guarded download as remote media:
 * https only, no redirect, a timeout, a size cap, a JSON content type, and no connection to a
 * loopback, private or reserved address, checked on the address connected to (so neither an address
 * literal in another spelling nor a name resolving inside gets through). The answer's shape is
 * validated, and its template must be an http(s) URL with `{uri}`.
 */
export function fetchRemoteFollowResolver(
  options: FetchResolverOptions = {},
): RemoteFollowResolver {
  const allowPrivateAddress = options.allowPrivateAddress ?? false;
  return {
    async subscribeTemplate({ username, host }) {
      const scheme = allowPrivateAddress ? "http" : "https";
      const url = `${scheme}://${host}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${username}@${host}`)}`;
      let body: string;
      try {
        const fetched = await fetchRemoteJson(url, {
          accept: "application/jrd+json, application/json",
          allowPrivateAddress,
          maxBytes: options.maxBytes ?? 64 * 1024,
          timeoutMs: options.timeoutMs ?? 5000,
          maxRedirects: 0,
          userAgent: `${SOFTWARE_NAME}/${SOFTWARE_VERSION}`,
        });
        body = fetched.bytes.toString("utf8");
      } catch (error) {
        const reason = error instanceof RemoteFetchError ? error.reason : "";
        if (/private address/.test(reason)) {
          throw badRequest("That server's address is not allowed.");
        }
        if (/^HTTP /.test(reason)) {
          throw new AppError("unprocessable", `${host} does not know that account.`);
        }
        if (/bytes/.test(reason)) throw new AppError("unprocessable", `${host} answered too much.`);
        if (/content type/.test(reason)) {
          throw new AppError("unprocessable", `${host} sent an answer we cannot read.`);
        }
        throw new AppError(
          "unavailable",
          `Could not reach ${host}. Check the handle and try again.`,
          { cause: error },
        );
      }
      let parsed: z.infer<typeof webFingerSchema>;
      try {
        parsed = webFingerSchema.parse(JSON.parse(body));
      } catch (error) {
        throw new AppError("unprocessable", `${host} sent an answer we cannot read.`, {
          cause: error,
        });
      }
      const template = parsed.links.find((l) => l.rel === OSTATUS_SUBSCRIBE_REL)?.template;
      if (template === undefined) return null;
      return validTemplate(template) ? template : null;
    },
  };
}

/** A subscribe template we are willing to send a visitor to: http(s), with a `{uri}` placeholder. */
export function validTemplate(template: string): boolean {
  if (!template.includes("{uri}")) return false;
  try {
    const u = new URL(template.replace("{uri}", "x"));
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}
