// E-mail domains nobody may sign up with, as Mastodon's e-mail domain blocks: an administrator lists a
// disposable-mail provider once (CLI or the admin Sign-up tab) and every address at it, or at any of its
// subdomains, is refused at sign-up with ERR_BLOCKED. Mastodon also resolves the domain's MX records; we
// do not (a DNS lookup per sign-up, and its answer is the provider's to change), so only the address's
// own domain and its parents are compared.

import { createHash } from "node:crypto";
import { and, asc, eq, gte, inArray, lt } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { finishPage, type PageParams, pageConditions, pageOrder } from "../db/queries/page.ts";
import { emailDomainBlockAttempts, emailDomainBlocks } from "../db/schema/index.ts";
import { badRequest } from "../errors.ts";
import { addressBucket } from "./client-address.ts";
import { canonicalDomain } from "./moderation.ts";
import { COMMAND_LINE, type ModeratorRef, recordModeration } from "./moderation-log.ts";

export type EmailDomainBlock = typeof emailDomainBlocks.$inferSelect;

/**
 * What an administrator typed (`mail.example`, `@mail.example`, an address at it) in the stored form:
 * lowercase, punycode, no trailing dot, no port. Throws 400 on anything that is not a domain name.
 */
export function normalizeEmailDomain(input: string): string {
  const typed = input.trim().replace(/^.*@/, "");
  const domain = /^[^:/\s]+$/.test(typed) ? canonicalDomain(typed) : null;
  if (domain === null || !domain.includes(".") || domain.includes(":")) {
    throw badRequest(`Not an e-mail domain: ${input}`);
  }
  return domain;
}

/** The address's domain and every parent domain with a dot in it (`a.b.example`, `b.example`). */
function domainsOf(email: string): string[] {
  const host = canonicalDomain(email.slice(email.lastIndexOf("@") + 1));
  if (host === null) return [];
  const labels = host.split(".");
  const domains: string[] = [];
  for (let i = 0; i < labels.length - 1; i++) domains.push(labels.slice(i).join("."));
  return domains;
}

/** The blocked domain sign-up refuses this address for, or null when it is not refused. */
export async function emailDomainBlockOf(db: DatabaseLike, email: string): Promise<string | null> {
  const domains = domainsOf(email);
  if (domains.length === 0) return null;
  const hit = await db
    .select({ domain: emailDomainBlocks.domain })
    .from(emailDomainBlocks)
    .where(inArray(emailDomainBlocks.domain, domains))
    .limit(1);
  return hit[0]?.domain ?? null;
}

/** Whether sign-up refuses this address for its domain. */
export async function emailDomainBlocked(db: DatabaseLike, email: string): Promise<boolean> {
  return (await emailDomainBlockOf(db, email)) !== null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** How many days of refused sign-ups the admin API's `history` shows (and so how long they are kept). */
export const HISTORY_DAYS = 7;

/**
 * Counts a sign-up refused for `domain` (a blocked domain) from `address`, which is kept only as a hash
 * of its bucket (an IPv6 /64 is one address), and forgets the domain's refusals older than the history.
 */
export async function recordRefusedSignUp(
  db: DatabaseLike,
  domain: string,
  address: string,
  now = new Date(),
): Promise<void> {
  const addressHash = createHash("sha256").update(addressBucket(address)).digest("hex");
  await db
    .insert(emailDomainBlockAttempts)
    .values({ id: newId(now), domain, addressHash, createdAt: now });
  await db
    .delete(emailDomainBlockAttempts)
    .where(
      and(
        eq(emailDomainBlockAttempts.domain, domain),
        lt(emailDomainBlockAttempts.createdAt, new Date(now.getTime() - HISTORY_DAYS * DAY_MS)),
      ),
    );
}

/** One day of a block's history, Mastodon's shape: the day's start (UNIX seconds), as strings. */
export interface EmailDomainBlockDay {
  day: string;
  /** Distinct addresses refused that day. */
  accounts: string;
  /** Sign-ups refused that day. */
  uses: string;
}

/** The last HISTORY_DAYS UTC days of refused sign-ups for each domain, today first. */
export async function emailDomainBlockHistory(
  db: DatabaseLike,
  domains: readonly string[],
  now = new Date(),
): Promise<Map<string, EmailDomainBlockDay[]>> {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const since = new Date(today - (HISTORY_DAYS - 1) * DAY_MS);
  const rows =
    domains.length === 0
      ? []
      : await db
          .select()
          .from(emailDomainBlockAttempts)
          .where(
            and(
              inArray(emailDomainBlockAttempts.domain, [...domains]),
              gte(emailDomainBlockAttempts.createdAt, since),
            ),
          );
  const out = new Map<string, EmailDomainBlockDay[]>();
  for (const domain of domains) {
    const days: EmailDomainBlockDay[] = [];
    for (let i = 0; i < HISTORY_DAYS; i++) {
      const start = today - i * DAY_MS;
      const that = rows.filter(
        (r) =>
          r.domain === domain &&
          r.createdAt.getTime() >= start &&
          r.createdAt.getTime() < start + DAY_MS,
      );
      days.push({
        day: String(start / 1000),
        accounts: String(new Set(that.map((r) => r.addressHash)).size),
        uses: String(that.length),
      });
    }
    out.set(domain, days);
  }
  return out;
}

/** One block by its id (the admin API's), or undefined. */
export async function findEmailDomainBlock(
  db: DatabaseLike,
  blockId: string,
): Promise<EmailDomainBlock | undefined> {
  return (
    await db.select().from(emailDomainBlocks).where(eq(emailDomainBlocks.blockId, blockId)).limit(1)
  )[0];
}

/** A page of blocks by id, newest first. */
export async function emailDomainBlockPage(
  db: DatabaseLike,
  page: PageParams,
): Promise<EmailDomainBlock[]> {
  const rows = await db
    .select()
    .from(emailDomainBlocks)
    .where(and(...pageConditions(emailDomainBlocks.blockId, page)))
    .orderBy(pageOrder(emailDomainBlocks.blockId, page))
    .limit(page.limit);
  return finishPage(rows, page);
}

/** Blocks a domain; `created` is false when it was already blocked. */
export async function blockEmailDomain(
  db: Database,
  input: string,
  by: ModeratorRef = COMMAND_LINE,
): Promise<{ domain: string; created: boolean; block: EmailDomainBlock }> {
  const domain = normalizeEmailDomain(input);
  const inserted = await db
    .insert(emailDomainBlocks)
    .values({ domain, blockId: newId() })
    .onConflictDoNothing()
    .returning();
  const block =
    inserted[0] ??
    (await db.select().from(emailDomainBlocks).where(eq(emailDomainBlocks.domain, domain)))[0]!;
  if (inserted.length > 0) await logEmailBlock(db, by, "email_domain_block.create", block);
  return { domain, created: inserted.length > 0, block };
}

/** Unblocks a domain; false when it was not blocked. */
export async function unblockEmailDomain(
  db: Database,
  input: string,
  by: ModeratorRef = COMMAND_LINE,
): Promise<boolean> {
  const domain = normalizeEmailDomain(input);
  const removed = await db
    .delete(emailDomainBlocks)
    .where(eq(emailDomainBlocks.domain, domain))
    .returning();
  if (removed[0] !== undefined) {
    await logEmailBlock(db, by, "email_domain_block.destroy", removed[0]);
  }
  return removed.length > 0;
}

async function logEmailBlock(
  db: DatabaseLike,
  by: ModeratorRef,
  action: string,
  block: EmailDomainBlock,
) {
  await recordModeration(db, {
    ...by,
    action,
    targetType: "email_domain_block",
    targetId: block.blockId,
    targetLabel: block.domain,
  });
}

/** Every blocked e-mail domain, alphabetically. */
export async function listEmailDomainBlocks(db: DatabaseLike): Promise<EmailDomainBlock[]> {
  return await db.select().from(emailDomainBlocks).orderBy(asc(emailDomainBlocks.domain));
}
