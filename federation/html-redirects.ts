// Browsers that open an ActivityPub URL (an actor id /users/:name, a status id /statuses/:id) are sent to
// the page showing it, as Mastodon does: people click these ids in other servers' UIs. A boost's page is
// the boosted post's page. Anything unknown falls through to the app (which answers 404), and so does a
// status the requester may not see: this runs before sessions, so the requester is anonymous here, and
// a followers-only or direct status must answer exactly as an unknown id (no existence oracle).

import { findAccountById } from "../src/db/queries/accounts.ts";
import { canSee } from "../src/db/queries/visibility.ts";
import { findLocalAccount } from "../src/domain/accounts.ts";
import { findStatusById } from "../src/domain/remote-statuses.ts";
import type { FederationDeps } from "./context.ts";

/** Where the HTML form of an ActivityPub URL lives, or null when there is none. */
export async function htmlLocationOf(
  deps: FederationDeps,
  pathname: string,
): Promise<string | null> {
  const actor = /^\/users\/([^/]+)\/?$/.exec(pathname);
  if (actor) {
    const account = await findLocalAccount(deps.db, decodeURIComponent(actor[1]!));
    return account ? deps.urls.profile(account.username) : null;
  }
  const object = /^\/statuses\/([^/]+)\/?$/.exec(pathname);
  if (!object) return null;
  let status = await findStatusById(deps.db, decodeURIComponent(object[1]!));
  if (status === undefined || !status.local || !(await canSee(deps.db, status, null))) return null;
  if (status.reblogOfId !== null) {
    status = await findStatusById(deps.db, status.reblogOfId);
    if (status === undefined || !(await canSee(deps.db, status, null))) return null;
    // A boosted remote post's page is on its own server.
    if (!status.local) return status.url ?? status.iri;
  }
  const author = await findAccountById(deps.db, status.accountId, { includeSuspended: true });
  return author ? deps.urls.statusPage(author.username, status.id) : null;
}
