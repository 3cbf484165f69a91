// Account reads: by id or handle, search among stored accounts, the account lists the API pages through
// (followers, following, who favourited or boosted, blocks, mutes, follow requests) and relationships.
import { and, eq, inArray, isNull, like, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { DatabaseLike } from "../client.ts";
import { inJsonList, jsonList, preparedPerHandle } from "../prepared.ts";
import {
  type Account,
  accountDomainBlocks,
  accounts,
  blocks,
  endorsements,
  favourites,
  follows,
  type MediaAttachment,
  mediaAttachments,
  mutes,
  statuses,
} from "../schema/index.ts";
import { type CustomEmoji, loadAccountEmojis } from "./emojis.ts";
import { finishPage, type PageParams, pageConditions, pageOrder } from "./page.ts";
import { authorNotLimitedFor } from "./visibility.ts";

// Prepared once: it runs for every page of statuses or accounts the API serializes.
const mediaByIds = preparedPerHandle((db) =>
  db.select().from(mediaAttachments).where(inJsonList(mediaAttachments.id, "ids")).prepare(),
);

/** What accounts show beside their row: their local avatar/header files and the emojis they use. */
export interface AccountMedia {
  /** Local avatar and header files, by media id. */
  files: ReadonlyMap<string, MediaAttachment>;
  /** The custom emojis of each account's name, bio and fields, by account id. */
  emojis: ReadonlyMap<string, CustomEmoji[]>;
}

/** The avatar/header files and profile emojis of these accounts (two queries for any number). */
export async function loadAccountMedia(
  db: DatabaseLike,
  rows: readonly Account[],
): Promise<AccountMedia> {
  const ids = rows
    .flatMap((a) => [a.avatarMediaId, a.headerMediaId])
    .filter((id): id is string => id !== null);
  const files =
    ids.length === 0
      ? new Map<string, MediaAttachment>()
      : new Map((await mediaByIds(db).all({ ids: jsonList(ids) })).map((m) => [m.id, m]));
  return {
    files,
    emojis: await loadAccountEmojis(
      db,
      rows.map((a) => a.id),
    ),
  };
}

/**
 * A stored account by id. Suspended accounts, and deleted ones (whose tombstones are suspended too), are
 * found only with `includeSuspended`: the federation outbox still sends for them, and a page needs the
 * author of a post it already holds.
 */
export async function findAccountById(
  db: DatabaseLike,
  id: string,
  options: { includeSuspended?: boolean } = {},
): Promise<Account | undefined> {
  return (
    await db
      .select()
      .from(accounts)
      .where(
        and(
          eq(accounts.id, id),
          options.includeSuspended ? undefined : isNull(accounts.suspendedAt),
        ),
      )
      .limit(1)
  )[0];
}

export async function findAccountsByIds(
  db: DatabaseLike,
  ids: readonly string[],
): Promise<Account[]> {
  if (ids.length === 0) return [];
  return await db
    .select()
    .from(accounts)
    .where(and(inArray(accounts.id, [...ids]), isNull(accounts.suspendedAt)));
}

/**
 * A stored account by username (case-insensitively) and domain: null for a local account, else the
 * domain as stored (lowercase, with its port; domain/handles.ts parses the handles people type).
 * Suspended accounts are found only with `includeSuspended` (federation still answers for them, and
 * storing a remote actor must see every row that holds its handle).
 */
export async function findAccountByUsername(
  db: DatabaseLike,
  username: string,
  domain: string | null,
  options: { includeSuspended?: boolean } = {},
): Promise<Account | undefined> {
  return (
    await db
      .select()
      .from(accounts)
      .where(
        and(
          sql`lower(${accounts.username}) = lower(${username})`,
          domain === null ? isNull(accounts.domain) : eq(accounts.domain, domain),
          options.includeSuspended ? undefined : isNull(accounts.suspendedAt),
        ),
      )
      .limit(1)
  )[0];
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Stored accounts whose username, handle or display name starts with the query. */
export async function searchAccounts(
  db: DatabaseLike,
  query: string,
  options: {
    limit: number;
    offset: number;
    localDomain: string;
    followingOf?: string | null;
    /** Who searches: a limited account is found only by those who follow it. */
    viewerId: string | null;
  },
): Promise<Account[]> {
  const q = query.trim().replace(/^@/, "");
  if (q === "") return [];
  const [user, domain] = q.split("@", 2);
  const prefix = `${escapeLike(user!.toLowerCase())}%`;
  const where: (SQL | undefined)[] = [
    isNull(accounts.suspendedAt),
    authorNotLimitedFor(options.viewerId, accounts.id),
  ];
  if (domain !== undefined && domain !== "") {
    where.push(sql`lower(${accounts.username}) = lower(${user})`);
    where.push(
      domain.toLowerCase() === options.localDomain.toLowerCase()
        ? isNull(accounts.domain)
        : like(sql`lower(${accounts.domain})`, `${escapeLike(domain.toLowerCase())}%`),
    );
  } else {
    where.push(
      or(
        sql`lower(${accounts.username}) like ${prefix} escape '\\'`,
        sql`lower(${accounts.displayName}) like ${`%${escapeLike(user!.toLowerCase())}%`} escape '\\'`,
      ),
    );
  }
  if (options.followingOf) {
    where.push(
      sql`${accounts.id} in (select target_account_id from follows where account_id = ${options.followingOf} and state = 'accepted')`,
    );
  }
  // Exact username matches first, then local accounts, then the most followed.
  return await db
    .select()
    .from(accounts)
    .where(and(...where))
    .orderBy(
      sql`lower(${accounts.username}) = lower(${user}) desc`,
      sql`${accounts.domain} is null desc`,
      sql`${accounts.followersCount} desc`,
      accounts.id,
    )
    .limit(options.limit)
    .offset(options.offset);
}

/** A page of accounts joined through a link table; `pageKey` is the link's id, for Link headers. */
export interface AccountPage {
  accounts: Account[];
  /** The ids the page was read by, same order as accounts. */
  keys: string[];
}

async function accountPage(
  db: DatabaseLike,
  key: SQLiteColumn,
  accountColumn: SQLiteColumn,
  from:
    | typeof follows
    | typeof favourites
    | typeof blocks
    | typeof mutes
    | typeof statuses
    | typeof endorsements,
  where: SQL[],
  page: PageParams,
): Promise<AccountPage> {
  const rows = (await db
    .select({ key, account: accounts })
    .from(from)
    .innerJoin(accounts, eq(accounts.id, accountColumn))
    .where(and(...where, isNull(accounts.suspendedAt), ...pageConditions(key, page)))
    .orderBy(pageOrder(key, page))
    .limit(page.limit)) as { key: string; account: Account }[];
  const ordered = finishPage(rows, page);
  return { accounts: ordered.map((r) => r.account), keys: ordered.map((r) => r.key) };
}

export async function followersOf(
  db: DatabaseLike,
  accountId: string,
  page: PageParams,
): Promise<AccountPage> {
  return await accountPage(
    db,
    follows.id,
    follows.accountId,
    follows,
    [eq(follows.targetAccountId, accountId), eq(follows.state, "accepted")],
    page,
  );
}

export async function followingOf(
  db: DatabaseLike,
  accountId: string,
  page: PageParams,
): Promise<AccountPage> {
  return await accountPage(
    db,
    follows.id,
    follows.targetAccountId,
    follows,
    [eq(follows.accountId, accountId), eq(follows.state, "accepted")],
    page,
  );
}

/** Pending follow requests addressed to a (locked) account. */
export async function followRequestsTo(
  db: DatabaseLike,
  accountId: string,
  page: PageParams,
): Promise<AccountPage> {
  return await accountPage(
    db,
    follows.id,
    follows.accountId,
    follows,
    [eq(follows.targetAccountId, accountId), eq(follows.state, "pending")],
    page,
  );
}

export async function favouritedBy(
  db: DatabaseLike,
  statusId: string,
  page: PageParams,
): Promise<AccountPage> {
  return await accountPage(
    db,
    favourites.id,
    favourites.accountId,
    favourites,
    [eq(favourites.statusId, statusId)],
    page,
  );
}

export async function rebloggedBy(
  db: DatabaseLike,
  statusId: string,
  page: PageParams,
): Promise<AccountPage> {
  return await accountPage(
    db,
    statuses.id,
    statuses.accountId,
    statuses,
    [eq(statuses.reblogOfId, statusId)],
    page,
  );
}

export async function blockedBy(
  db: DatabaseLike,
  accountId: string,
  page: PageParams,
): Promise<AccountPage> {
  return await accountPage(
    db,
    blocks.id,
    blocks.targetAccountId,
    blocks,
    [eq(blocks.accountId, accountId)],
    page,
  );
}

export async function mutedBy(
  db: DatabaseLike,
  accountId: string,
  page: PageParams,
): Promise<AccountPage> {
  return await accountPage(
    db,
    mutes.id,
    mutes.targetAccountId,
    mutes,
    [eq(mutes.accountId, accountId)],
    page,
  );
}

/** The accounts `accountId` features on their profile, newest endorsement first. */
export async function endorsedBy(
  db: DatabaseLike,
  accountId: string,
  page: PageParams,
): Promise<AccountPage> {
  return await accountPage(
    db,
    endorsements.id,
    endorsements.targetAccountId,
    endorsements,
    [eq(endorsements.accountId, accountId)],
    page,
  );
}

export interface RelationshipRow {
  id: string;
  following: { showReblogs: boolean; notify: boolean } | null;
  requested: boolean;
  followedBy: boolean;
  requestedBy: boolean;
  blocking: boolean;
  blockedBy: boolean;
  muting: { hideNotifications: boolean } | null;
  /** The account is on a domain the viewer blocked. */
  domainBlocking: boolean;
  endorsed: boolean;
}

/** The viewer's relationships with each of `ids`, in five queries. */
export async function relationships(
  db: DatabaseLike,
  viewerId: string,
  ids: readonly string[],
): Promise<RelationshipRow[]> {
  if (ids.length === 0) return [];
  const list = [...ids];
  const out = await db
    .select()
    .from(follows)
    .where(and(eq(follows.accountId, viewerId), inArray(follows.targetAccountId, list)));
  const inbound = await db
    .select()
    .from(follows)
    .where(and(eq(follows.targetAccountId, viewerId), inArray(follows.accountId, list)));
  const blockRows = await db
    .select()
    .from(blocks)
    .where(
      or(
        and(eq(blocks.accountId, viewerId), inArray(blocks.targetAccountId, list)),
        and(eq(blocks.targetAccountId, viewerId), inArray(blocks.accountId, list)),
      ),
    );
  const muteRows = await db
    .select()
    .from(mutes)
    .where(and(eq(mutes.accountId, viewerId), inArray(mutes.targetAccountId, list)));
  const onBlockedDomain = new Set(
    (
      await db
        .select({ id: accounts.id })
        .from(accounts)
        .innerJoin(
          accountDomainBlocks,
          and(
            eq(accountDomainBlocks.domain, accounts.domain),
            eq(accountDomainBlocks.accountId, viewerId),
          ),
        )
        .where(inArray(accounts.id, list))
    ).map((r) => r.id),
  );
  const endorsed = new Set(
    (
      await db
        .select({ id: endorsements.targetAccountId })
        .from(endorsements)
        .where(
          and(eq(endorsements.accountId, viewerId), inArray(endorsements.targetAccountId, list)),
        )
    ).map((r) => r.id),
  );
  return list.map((id) => {
    const o = out.find((f) => f.targetAccountId === id);
    const i = inbound.find((f) => f.accountId === id);
    const m = muteRows.find((r) => r.targetAccountId === id);
    return {
      id,
      following: o?.state === "accepted" ? { showReblogs: o.showReblogs, notify: o.notify } : null,
      requested: o?.state === "pending",
      followedBy: i?.state === "accepted",
      requestedBy: i?.state === "pending",
      blocking: blockRows.some((b) => b.accountId === viewerId && b.targetAccountId === id),
      blockedBy: blockRows.some((b) => b.accountId === id && b.targetAccountId === viewerId),
      muting: m === undefined ? null : { hideNotifications: m.hideNotifications },
      domainBlocking: onBlockedDomain.has(id),
      endorsed: endorsed.has(id),
    };
  });
}

/**
 * Accepted follows in each direction, counted for a local account (its rows are all here); a remote
 * account's are the counters its server reported.
 */
export async function followCounts(
  db: DatabaseLike,
  account: Account,
): Promise<{ followers: number; following: number }> {
  if (account.domain !== null) {
    return { followers: account.followersCount, following: account.followingCount };
  }
  const count = async (column: typeof follows.accountId) =>
    (
      await db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(follows)
        .where(and(eq(column, account.id), eq(follows.state, "accepted")))
        .limit(1)
    )[0]?.n ?? 0;
  return {
    followers: await count(follows.targetAccountId),
    following: await count(follows.accountId),
  };
}

/** How many follow requests wait for this account. */
export async function countFollowRequests(db: DatabaseLike, accountId: string): Promise<number> {
  return (
    (
      await db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(follows)
        .where(and(eq(follows.targetAccountId, accountId), eq(follows.state, "pending")))
        .limit(1)
    )[0]?.n ?? 0
  );
}
