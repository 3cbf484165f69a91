// `resolve=true` for search and account lookup: a query that looks like a remote handle or URL is looked
// up through federation (deps.remoteLookup) before the stored results are read. Only signed-in users may
// make the server fetch (Mastodon's rule: resolving is an outbound request made on someone's behalf).
import { parseHandle } from "../domain/handles.ts";
import { AppError } from "../errors.ts";
import { logger } from "../logging.ts";
import type { ApiDeps } from "./types.ts";

const log = logger("api", "resolve");

/** Whether `q` is something a remote lookup can answer: `@user@host`, `user@host` or an http(s) URL. */
export function isResolvable(q: string): boolean {
  const s = q.trim();
  return (parseHandle(s)?.host ?? null) !== null || /^https?:\/\/\S+$/i.test(s);
}

export type Resolved = Awaited<ReturnType<ApiDeps["remoteLookup"]["lookup"]>>;

/**
 * Looks `q` up remotely; a failure (unreachable host, bad answer) is logged and answers null, so that the
 * search still answers what is stored, as Mastodon does when resolving fails.
 */
export async function resolveRemote(deps: ApiDeps, q: string): Promise<Resolved> {
  if (!isResolvable(q)) return null;
  try {
    return await deps.remoteLookup.lookup(q.trim());
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return null;
    log.info("Resolving {q} failed: {error}", { q, error });
    return null;
  }
}
