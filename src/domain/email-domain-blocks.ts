// E-mail domains nobody may sign up with, as Mastodon's e-mail domain blocks: an administrator lists a
// disposable-mail provider once (CLI or the admin Sign-up tab) and every address at it, or at any of its
// subdomains, is refused at sign-up with ERR_BLOCKED. Mastodon also resolves the domain's MX records; we
// do not (a DNS lookup per sign-up, and its answer is the provider's to change), so only the address's
// own domain and its parents are compared.
import { asc, eq, inArray } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { emailDomainBlocks } from "../db/schema/index.ts";
import { badRequest } from "../errors.ts";
import { canonicalDomain } from "./moderation.ts";

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

/** Whether sign-up refuses this address for its domain. */
export async function emailDomainBlocked(db: DatabaseLike, email: string): Promise<boolean> {
  const domains = domainsOf(email);
  if (domains.length === 0) return false;
  const hit = await db
    .select({ domain: emailDomainBlocks.domain })
    .from(emailDomainBlocks)
    .where(inArray(emailDomainBlocks.domain, domains))
    .limit(1);
  return hit.length > 0;
}

/** Blocks a domain; `created` is false when it was already blocked. */
export async function blockEmailDomain(
  db: Database,
  input: string,
): Promise<{ domain: string; created: boolean }> {
  const domain = normalizeEmailDomain(input);
  const inserted = await db
    .insert(emailDomainBlocks)
    .values({ domain })
    .onConflictDoNothing()
    .returning({ domain: emailDomainBlocks.domain });
  return { domain, created: inserted.length > 0 };
}

/** Unblocks a domain; false when it was not blocked. */
export async function unblockEmailDomain(db: Database, input: string): Promise<boolean> {
  const domain = normalizeEmailDomain(input);
  const removed = await db
    .delete(emailDomainBlocks)
    .where(eq(emailDomainBlocks.domain, domain))
    .returning({ domain: emailDomainBlocks.domain });
  return removed.length > 0;
}

/** Every blocked e-mail domain, alphabetically. */
export async function listEmailDomainBlocks(db: DatabaseLike): Promise<EmailDomainBlock[]> {
  return await db.select().from(emailDomainBlocks).orderBy(asc(emailDomainBlocks.domain));
}
