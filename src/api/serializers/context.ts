// What every serializer needs to turn rows into absolute URLs: the instance's origin, domain and URL scheme.
import type { LocalUrls } from "../../domain/local-urls.ts";

export interface SerializeContext {
  origin: string;
  /** Host (with port) of this instance, for acct of local accounts in mentions. */
  domain: string;
  urls: LocalUrls;
  /** The clock that says whether a poll has ended (the poll job's, so tests can move it). */
  now?: () => Date;
}

/** Mastodon's default images, served by src/api/default-images.ts. */
export const missingAvatar = (origin: string) => `${origin}/avatars/original/missing.png`;
export const missingHeader = (origin: string) => `${origin}/headers/original/missing.png`;
