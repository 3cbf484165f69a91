// Moderation of other servers: the domain block list (no activities accepted from a blocked host, none
// delivered to it, its follows removed, its accounts suspended). Reports, received or made here, live in reports.ts.

import { createHash } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { inJsonList, preparedPerHandle } from "../db/prepared.ts";
import { finishPage, type PageParams, pageConditions, pageOrder } from "../db/queries/page.ts";
import { accounts, domainBlocks, follows } from "../db/schema/index.ts";
import { badRequest } from "../errors.ts";
import { removeFollow } from "./follows.ts";
import { normalizeHost } from "./handles.ts";
import { COMMAND_LINE, type ModeratorRef, recordModeration } from "./moderation-log.ts";

/**
 * A host as the block list stores and compares it: normalizeHost's form (lowercase, international names
 * in punycode, the port kept) without the trailing dot of a fully qualified name, because `evil.example.`,
 * `EVIL.example` and `évil.example`'s punycode name the same server as the entry. Null when it is not a
 * host. The storing side (CLI, admin page) and every check (inbox, deliveries, lookups, media) use this one
 * function, so no spelling of a host reaches a check the entry does not cover.
 */
export function canonicalDomain(host: string): string | null {
  const m = /^(.*?)\.*(:\d{1,5})?$/.exec(host.trim());
  if (m === null) return null;
  const name = m[1] ?? "";
  if (name === "") return null;
  return normalizeHost(name + (m[2] ?? ""));
}

/**
 * Normalizes what an admin typed (a host, host:port, or a URL) to the stored form: canonicalDomain's,
 * with its port if one was given. Throws on anything that is not a host.
 */
export function normalizeBlockedDomain(input: string): string {
  let host = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
    try {
      host = new URL(host).host;
    } catch {
      throw badRequest(`Not a host name: ${input}`);
    }
  }
  const domain = canonicalDomain(host);
  if (domain === null) throw badRequest(`Not a host name: ${input}`);
  return domain;
}

/** The block-list entries that could cover `host`: itself, its name without the port, its parent domains. */
function blockCandidates(host: string): { host: string; candidates: string[] } {
  // A host that is not a host name at all cannot be unblocked by its odd spelling: it is compared in the
  // closest form we can give it.
  const h =
    canonicalDomain(host) ??
    host
      .trim()
      .toLowerCase()
      .replace(/\.+(?=(?::\d+)?$)/, "");
  const hostname = h.replace(/:\d+$/, "");
  const candidates = new Set([h, hostname]);
  const labels = hostname.split(".");
  for (let i = 1; i < labels.length - 1; i++) candidates.add(labels.slice(i).join("."));
  return { host: h, candidates: [...candidates] };
}

/** Whether a stored entry covers `host`: a port-less entry covers every port, one with a port only that. */
const coversEntry = (entry: string, host: string) => entry === host || !entry.includes(":");

/**
 * Whether activities from (and deliveries to) `host` (host[:port]) are refused. An entry without a port
 * covers every port of that host and every subdomain; an entry with a port covers that port only.
 */
export async function isDomainBlocked(db: DatabaseLike, host: string): Promise<boolean> {
  const { host: h, candidates } = blockCandidates(host);
  const hit = await blocksAmong(db).all({ candidates: JSON.stringify(candidates) });
  return hit.some((b) => coversEntry(b.domain, h));
}

// Asked for every inbox POST, so prepared once; the candidates (one to a few) go in as a JSON array.
const blocksAmong = preparedPerHandle((db) =>
  db
    .select({ domain: domainBlocks.domain })
    .from(domainBlocks)
    .where(inJsonList(domainBlocks.domain, "candidates"))
    .prepare(),
);

/**
 * `isDomainBlocked` for many hosts at once (a delivery's audience, a new block's accounts): the block
 * list is read once, instead of one query per host (10,000 followers made 10,000 queries).
 */
export async function domainBlockMatcher(db: DatabaseLike): Promise<(host: string) => boolean> {
  const covering = await domainBlockFinder(db);
  return (host) => covering(host) !== undefined;
}

export type DomainBlock = typeof domainBlocks.$inferSelect;

/** The block entry covering a host (the first candidate that matches), for many hosts at once. */
async function domainBlockFinder(
  db: DatabaseLike,
): Promise<(host: string) => DomainBlock | undefined> {
  const blocked = new Map((await db.select().from(domainBlocks)).map((b) => [b.domain, b]));
  if (blocked.size === 0) return () => undefined;
  return (host) => {
    const { host: h, candidates } = blockCandidates(host);
    const hit = candidates.find((c) => blocked.has(c) && coversEntry(c, h));
    return hit === undefined ? undefined : blocked.get(hit);
  };
}

/** The block that already covers `host` (itself or a parent domain), if any. */
export async function coveringDomainBlock(
  db: DatabaseLike,
  host: string,
): Promise<DomainBlock | undefined> {
  return (await domainBlockFinder(db))(host);
}

/**
 * When a remote account from `host` is stored, the suspension its domain's block gives it (the block's
 * time), or null: an actor first seen after the block is hidden like those it suspended (Mastodon's
 * auto-suspension of a new account on a suspended domain).
 */
export async function domainSuspension(db: DatabaseLike, host: string): Promise<Date | null> {
  return (await domainBlockFinder(db))(host)?.createdAt ?? null;
}

/**
 * Blocks a host: stores it, removes follows between its accounts and local ones, and suspends its stored
 * accounts, as Mastodon's domain block of severity "suspend". The suspension is what hides their statuses
 * and profiles everywhere (the one visibility rule already hides a suspended account's), so statuses stored
 * before the block disappear from timelines and lookups without any extra condition on every read. The
 * accounts are stamped with the block's own time, so unblocking lifts exactly these suspensions. Idempotent.
 */
export async function blockDomain(
  db: Database,
  input: string,
  details: DomainBlockDetails = {},
  by: ModeratorRef = COMMAND_LINE,
): Promise<{ domain: string; removedFollows: number; created: boolean; block: DomainBlock }> {
  const domain = normalizeBlockedDomain(input);
  return await db.transaction(async (tx) => {
    const inserted = (
      await tx
        .insert(domainBlocks)
        .values({ domain, blockId: newId(), ...checkedDetails(details) })
        .onConflictDoNothing()
        .returning()
    )[0];
    const created = inserted !== undefined;
    const block =
      inserted ??
      (await tx.select().from(domainBlocks).where(eq(domainBlocks.domain, domain)).limit(1))[0]!;
    const isBlocked = await domainBlockMatcher(tx);
    const coveredAccounts = (
      await tx
        .select({ id: accounts.id, domain: accounts.domain, suspendedAt: accounts.suspendedAt })
        .from(accounts)
        .where(sql`${accounts.domain} is not null`)
    ).filter((a) => isBlocked(a.domain!));
    const covered = coveredAccounts.map((a) => a.id);
    let removedFollows = 0;
    if (covered.length > 0) {
      const affected = await tx
        .select()
        .from(follows)
        .where(sql`${follows.accountId} in ${covered} or ${follows.targetAccountId} in ${covered}`);
      for (const f of affected) await removeFollow(tx, f);
      removedFollows = affected.length;
      const toSuspend = coveredAccounts.filter((a) => a.suspendedAt === null).map((a) => a.id);
      if (toSuspend.length > 0) {
        await tx
          .update(accounts)
          .set({ suspendedAt: block.createdAt })
          .where(inArray(accounts.id, toSuspend));
      }
    }
    if (created) await logBlock(tx, by, "domain_block.create", block);
    return { domain, removedFollows, created, block };
  });
}

/**
 * Unblocks a host; returns whether it was blocked. The suspensions the block gave (stamped with its time)
 * are lifted, unless another entry still covers the account (which then carries that entry's time);
 * suspensions for other reasons (a deleted account's tombstone) stay.
 */
export async function unblockDomain(
  db: Database,
  input: string,
  by: ModeratorRef = COMMAND_LINE,
): Promise<boolean> {
  const domain = normalizeBlockedDomain(input);
  return await db.transaction(async (tx) => {
    const removed = (
      await tx.delete(domainBlocks).where(eq(domainBlocks.domain, domain)).returning()
    )[0];
    if (removed === undefined) return false;
    await logBlock(tx, by, "domain_block.destroy", removed);
    const stillCovering = await domainBlockFinder(tx);
    const wasCovering = (host: string) => {
      const { host: h, candidates } = blockCandidates(host);
      return candidates.some((c) => c === removed.domain && coversEntry(c, h));
    };
    const suspended = (
      await tx
        .select({ id: accounts.id, domain: accounts.domain })
        .from(accounts)
        .where(
          and(sql`${accounts.domain} is not null`, eq(accounts.suspendedAt, removed.createdAt)),
        )
    ).filter((a) => wasCovering(a.domain!));
    for (const a of suspended) {
      await tx
        .update(accounts)
        .set({ suspendedAt: stillCovering(a.domain!)?.createdAt ?? null })
        .where(eq(accounts.id, a.id));
    }
    return true;
  });
}

export async function listDomainBlocks(db: DatabaseLike) {
  return await db.select().from(domainBlocks).orderBy(asc(domainBlocks.domain));
}

/** What a moderator says about a block: the public comment, a private note, whether to obfuscate it. */
export interface DomainBlockDetails {
  publicComment?: string | undefined;
  privateComment?: string | null | undefined;
  obfuscate?: boolean | undefined;
}

export const COMMENT_MAX_LENGTH = 1000;

/** The columns a block's details set; 400 for a comment longer than the limit. */
function checkedDetails(details: DomainBlockDetails): Partial<DomainBlock> {
  const out: Partial<DomainBlock> = {};
  if (details.publicComment !== undefined) out.reason = details.publicComment.trim();
  if (details.privateComment !== undefined) {
    out.privateComment = details.privateComment?.trim() || null;
  }
  if (details.obfuscate !== undefined) out.obfuscate = details.obfuscate;
  for (const text of [out.reason, out.privateComment]) {
    if (text != null && text.length > COMMENT_MAX_LENGTH) {
      throw badRequest(`A comment is too long: at most ${COMMENT_MAX_LENGTH} characters`);
    }
  }
  return out;
}

/** One block by its id (the admin API's), or undefined. */
export async function findDomainBlock(
  db: DatabaseLike,
  blockId: string,
): Promise<DomainBlock | undefined> {
  return (
    await db.select().from(domainBlocks).where(eq(domainBlocks.blockId, blockId)).limit(1)
  )[0];
}

/** A page of blocks by id, newest first. */
export async function domainBlockPage(db: DatabaseLike, page: PageParams): Promise<DomainBlock[]> {
  const rows = await db
    .select()
    .from(domainBlocks)
    .where(and(...pageConditions(domainBlocks.blockId, page)))
    .orderBy(pageOrder(domainBlocks.blockId, page))
    .limit(page.limit);
  return finishPage(rows, page);
}

/** Changes what a block says (not whom it covers); undefined when there is no such block. */
export async function updateDomainBlock(
  db: DatabaseLike,
  blockId: string,
  details: DomainBlockDetails,
  by: ModeratorRef,
): Promise<DomainBlock | undefined> {
  const changes = checkedDetails(details);
  if (Object.keys(changes).length === 0) return await findDomainBlock(db, blockId);
  const updated = (
    await db.update(domainBlocks).set(changes).where(eq(domainBlocks.blockId, blockId)).returning()
  )[0];
  if (updated !== undefined) await logBlock(db, by, "domain_block.update", updated);
  return updated;
}

async function logBlock(db: DatabaseLike, by: ModeratorRef, action: string, block: DomainBlock) {
  await recordModeration(db, {
    ...by,
    action,
    targetType: "domain_block",
    targetId: block.blockId,
    targetLabel: block.domain,
  });
}

/** SHA-256 of a block's domain, hex: lets a reader check an obfuscated entry against a domain they know. */
export function domainDigest(block: Pick<DomainBlock, "domain">): string {
  return createHash("sha256").update(block.domain).digest("hex");
}

/**
 * The domain as the public list shows it: itself, or, for an obfuscated block, with the middle of each
 * label but the first and last quarter of the name hidden (enough for a reader who knows the server to
 * recognise it, not enough to advertise it).
 */
export function publicDomain(block: Pick<DomainBlock, "domain" | "obfuscate">): string {
  if (!block.obfuscate) return block.domain;
  const chars = [...block.domain];
  const kept = Math.floor(chars.length / 4);
  return chars
    .map((c, i) => (c === "." || i < kept || i >= chars.length - kept ? c : "*"))
    .join("");
}
