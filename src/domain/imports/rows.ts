// What one import row does, and what an overwrite removes: each calls the domain action a person's own
// click would (followAccount, blockAccount, muteAccount, blockDomainForAccount, bookmarkStatus, the list
// actions), so blocks, limits, events and deliveries are the same as from the client API.

import type { Database } from "../../db/client.ts";
import { allDomainBlocksOf } from "../../db/queries/account-domain-blocks.ts";
import { blockedBy, followingOf, mutedBy } from "../../db/queries/accounts.ts";
import { bookmarkedStatuses } from "../../db/queries/collections.ts";
import { listMembers } from "../../db/queries/lists.ts";
import { findVisibleStatus } from "../../db/queries/statuses.ts";
import type { Account, BulkImportRowData, BulkImportType, Status } from "../../db/schema/index.ts";
import { AppError } from "../../errors.ts";
import { blockDomainForAccount, unblockDomainForAccount } from "../account-domain-blocks.ts";
import { bookmarkStatus, unbookmarkStatus } from "../bookmarks.ts";
import { followAccount, setFollowOptions, unfollowAccount } from "../follows.ts";
import { blockAccount, unblockAccount } from "../interactions.ts";
import {
  addListAccounts,
  createList,
  deleteList,
  listsContaining,
  listsOf,
  removeListAccounts,
} from "../lists.ts";
import type { LocalUrls } from "../local-urls.ts";
import { muteAccount, unmuteAccount } from "../mutes.ts";

/**
 * Finds an account by handle or a status by URL, asking its server when it is not stored (WebFinger
 * and a signed fetch: federation's lookup, passed in so the domain does not import federation).
 */
export type ImportLookup = (
  query: string,
) => Promise<{ account: Account } | { status: Status } | null>;

export interface ImportRowDeps {
  db: Database;
  urls: LocalUrls;
  /** This instance's domain (an account address without a host, or with it, is local). */
  localDomain: string;
  lookup: ImportLookup;
}

/** Why a row was not imported, shown on the settings page. */
export class RowFailure extends Error {}

/** The comparable form of an account address: lower case, this instance's domain left off. */
export function acctKey(acct: string, localDomain: string): string {
  const lower = acct.toLowerCase();
  const suffix = `@${localDomain.toLowerCase()}`;
  return lower.endsWith(suffix) ? lower.slice(0, -suffix.length) : lower;
}

const keyOf = (a: Account, localDomain: string) =>
  acctKey(a.domain === null ? a.username : `${a.username}@${a.domain}`, localDomain);

async function resolveAccount(deps: ImportRowDeps, acct: string): Promise<Account> {
  const query = acct.includes("@") ? acct : `${acct}@${deps.localDomain}`;
  const found = await deps.lookup(query);
  if (found === null || !("account" in found))
    throw new RowFailure(`No account ${acct} was found.`);
  return found.account;
}

/** Applies one row for `owner`; throws RowFailure (or the action's AppError) when it cannot. */
export async function applyImportRow(
  deps: ImportRowDeps,
  owner: Account,
  type: BulkImportType,
  row: BulkImportRowData,
): Promise<void> {
  const { db } = deps;
  switch (type) {
    case "following": {
      const target = await resolveAccount(deps, row.acct ?? "");
      const follow = await followAccount(db, deps.urls, owner, target);
      await setFollowOptions(db, follow, {
        ...(row.show_reblogs !== undefined ? { showReblogs: row.show_reblogs } : {}),
        ...(row.notify !== undefined ? { notify: row.notify } : {}),
      });
      return;
    }
    case "blocking":
      await blockAccount(db, deps.urls, owner, await resolveAccount(deps, row.acct ?? ""));
      return;
    case "muting":
      await muteAccount(db, owner, await resolveAccount(deps, row.acct ?? ""), {
        notifications: row.hide_notifications ?? true,
      });
      return;
    case "domain_blocking":
      await blockDomainForAccount(db, owner, row.domain, deps.localDomain);
      return;
    case "bookmarks": {
      const found = await deps.lookup(row.uri ?? "");
      if (found === null || !("status" in found)) throw new RowFailure("No such post was found.");
      // Only what the owner may see can be bookmarked (Mastodon's StatusPolicy#show?).
      if ((await findVisibleStatus(db, owner.id, found.status.id)) === undefined) {
        throw new RowFailure("That post is not visible to you.");
      }
      await bookmarkStatus(db, owner.id, found.status.id);
      return;
    }
    case "lists": {
      const title = row.list_name ?? "";
      const list =
        (await listsOf(db, owner.id)).find((l) => l.title === title) ??
        (await createList(db, owner.id, { title }));
      const target = await resolveAccount(deps, row.acct ?? "");
      // A list holds followed accounts only: Mastodon's import follows the member first.
      if (target.id !== owner.id) await followAccount(db, deps.urls, owner, target);
      if ((await listsContaining(db, owner.id, target.id)).some((l) => l.id === list.id)) return;
      await addListAccounts(db, owner.id, list.id, [target.id]);
      return;
    }
  }
}

const PAGE = 200;

/** Every account of a paged account read, collected (the pages are deleted from afterwards). */
async function allOf(
  read: (page: {
    limit: number;
    maxId?: string;
  }) => Promise<{ accounts: Account[]; keys: string[] }>,
): Promise<Account[]> {
  const out: Account[] = [];
  let maxId: string | undefined;
  for (;;) {
    const r = await read({ limit: PAGE, ...(maxId ? { maxId } : {}) });
    out.push(...r.accounts);
    if (r.keys.length < PAGE) return out;
    maxId = r.keys[r.keys.length - 1];
  }
}

/**
 * Overwrite mode: removes what `owner` has of `type` that the file does not name. Run after the rows,
 * it ends as Mastodon's (which removes first); named by the file's own text, a row that failed to
 * resolve still keeps what it names. Idempotent, so a retried import may run it again.
 */
export async function pruneNotImported(
  deps: ImportRowDeps,
  owner: Account,
  type: BulkImportType,
  rows: readonly BulkImportRowData[],
): Promise<void> {
  const { db, localDomain } = deps;
  const named = new Set(rows.map((r) => acctKey(r.acct ?? "", localDomain)));
  const unnamed = (accounts: Account[]) =>
    accounts.filter((a) => !named.has(keyOf(a, localDomain)));
  switch (type) {
    case "following":
      for (const a of unnamed(await allOf((p) => followingOf(db, owner.id, p)))) {
        await unfollowAccount(db, owner, a);
      }
      return;
    case "blocking":
      for (const a of unnamed(await allOf((p) => blockedBy(db, owner.id, p)))) {
        await unblockAccount(db, owner, a);
      }
      return;
    case "muting":
      for (const a of unnamed(await allOf((p) => mutedBy(db, owner.id, p)))) {
        await unmuteAccount(db, owner, a);
      }
      return;
    case "domain_blocking": {
      const domains = new Set(rows.map((r) => r.domain));
      for (const d of await allDomainBlocksOf(db, owner.id)) {
        if (!domains.has(d)) await unblockDomainForAccount(db, owner, d, localDomain);
      }
      return;
    }
    case "bookmarks": {
      const uris = new Set(rows.map((r) => r.uri));
      const drop: string[] = [];
      let maxId: string | undefined;
      for (;;) {
        const r = await bookmarkedStatuses(db, owner.id, {
          limit: PAGE,
          ...(maxId ? { maxId } : {}),
        });
        for (const s of r.statuses) if (!uris.has(s.iri)) drop.push(s.id);
        if (r.keys.length < PAGE) break;
        maxId = r.keys[r.keys.length - 1];
      }
      for (const id of drop) await unbookmarkStatus(db, owner.id, id);
      return;
    }
    case "lists": {
      for (const list of await listsOf(db, owner.id)) {
        const members = rows.filter((r) => r.list_name === list.title);
        if (members.length === 0) {
          await deleteList(db, owner.id, list.id);
          continue;
        }
        const keep = new Set(members.map((r) => acctKey(r.acct ?? "", localDomain)));
        const gone = (await listMembers(db, list.id)).accounts
          .filter((a) => !keep.has(keyOf(a, localDomain)))
          .map((a) => a.id);
        if (gone.length > 0) await removeListAccounts(db, owner.id, list.id, gone);
      }
      return;
    }
  }
}

/** The message a failed row keeps: the action's own for refusals, a short one for anything else. */
export function failureMessage(error: unknown): string {
  if (error instanceof RowFailure || (error instanceof AppError && error.status < 500)) {
    return error.message.slice(0, 500);
  }
  return "The row could not be imported (an error on this server or the remote one).";
}
