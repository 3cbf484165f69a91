// Settings → Export: the signed-in user's follows, followers, lists, blocks, mutes, domain blocks and
// bookmarks as Mastodon's CSV files (Export's columns, headers and order), so that another server imports
// them. Each is read through the queries the client API lists them with, page by page. Followers are for
// keeping (nobody can be made to follow again): the file lists their addresses, as the follows file does.

import type { DatabaseLike } from "../../db/client.ts";
import { allDomainBlocksOf } from "../../db/queries/account-domain-blocks.ts";
import {
  blockedBy,
  followersOf,
  followingOf,
  mutedBy,
  relationships,
} from "../../db/queries/accounts.ts";
import { bookmarkedStatuses } from "../../db/queries/collections.ts";
import { listMembers } from "../../db/queries/lists.ts";
import type { Account } from "../../db/schema/index.ts";
import { listsOf } from "../lists.ts";
import { csvLine } from "./csv.ts";

export const EXPORT_KINDS = [
  "follows",
  "followers",
  "lists",
  "blocks",
  "mutes",
  "domain_blocks",
  "bookmarks",
] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

const PAGE = 200;

/** How an account is written: user@host, a local one with this instance's domain (Mastodon's acct). */
export function exportedAcct(account: Pick<Account, "username" | "domain">, localDomain: string) {
  return `${account.username}@${account.domain ?? localDomain}`;
}

/** Every page of an id-keyed read, newest first. */
async function* pages<T>(
  read: (page: { limit: number; maxId?: string }) => Promise<{ items: T[]; keys: string[] }>,
): AsyncGenerator<T[]> {
  let maxId: string | undefined;
  for (;;) {
    const { items, keys } = await read({ limit: PAGE, ...(maxId ? { maxId } : {}) });
    if (items.length > 0) yield items;
    if (keys.length < PAGE) return;
    maxId = keys[keys.length - 1];
  }
}

/** The CSV text of `kind` for the local account `accountId`. */
export async function exportCsv(
  db: DatabaseLike,
  accountId: string,
  kind: ExportKind,
  localDomain: string,
): Promise<string> {
  const acct = (a: Account) => exportedAcct(a, localDomain);
  let out = "";
  switch (kind) {
    case "follows": {
      out += csvLine(["Account address", "Show boosts", "Notify on new posts", "Languages"]);
      for await (const batch of pages(async (p) => {
        const r = await followingOf(db, accountId, p);
        return { items: r.accounts, keys: r.keys };
      })) {
        const rel = await relationships(
          db,
          accountId,
          batch.map((a) => a.id),
        );
        batch.forEach((a, i) => {
          const f = rel[i]?.following;
          // Atelier keeps no per-follow languages: the column is there, empty (all languages).
          out += csvLine([acct(a), f?.showReblogs ?? true, f?.notify ?? false, ""]);
        });
      }
      return out;
    }
    case "followers": {
      out += csvLine(["Account address"]);
      for await (const batch of pages(async (p) => {
        const r = await followersOf(db, accountId, p);
        return { items: r.accounts, keys: r.keys };
      })) {
        for (const a of batch) out += csvLine([acct(a)]);
      }
      return out;
    }
    case "mutes": {
      out += csvLine(["Account address", "Hide notifications"]);
      for await (const batch of pages(async (p) => {
        const r = await mutedBy(db, accountId, p);
        return { items: r.accounts, keys: r.keys };
      })) {
        const rel = await relationships(
          db,
          accountId,
          batch.map((a) => a.id),
        );
        batch.forEach((a, i) => {
          out += csvLine([acct(a), rel[i]?.muting?.hideNotifications ?? true]);
        });
      }
      return out;
    }
    case "blocks": {
      for await (const batch of pages(async (p) => {
        const r = await blockedBy(db, accountId, p);
        return { items: r.accounts, keys: r.keys };
      })) {
        for (const a of batch) out += csvLine([acct(a)]);
      }
      return out;
    }
    case "domain_blocks": {
      for (const domain of await allDomainBlocksOf(db, accountId)) out += csvLine([domain]);
      return out;
    }
    case "bookmarks": {
      for await (const batch of pages(async (p) => {
        const r = await bookmarkedStatuses(db, accountId, p);
        return { items: r.statuses, keys: r.keys };
      })) {
        for (const s of batch) out += csvLine([s.iri]);
      }
      return out;
    }
    case "lists": {
      for (const list of await listsOf(db, accountId)) {
        for (const member of (await listMembers(db, list.id)).accounts) {
          out += csvLine([list.title, acct(member)]);
        }
      }
      return out;
    }
  }
}
