// The domain allow list (Mastodon's domain allows): the servers a LIMITED_FEDERATION_MODE instance
// federates with. Storing, listing and removing entries, each recorded in the moderation log; whether a
// host may federate is federation-policy.ts's one rule, which reads this list.
import { and, asc, eq, inArray, or } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { finishPage, type PageParams, pageConditions, pageOrder } from "../db/queries/page.ts";
import { accounts, domainAllows, follows } from "../db/schema/index.ts";
import { removeFollow } from "./follows.ts";
import { normalizeBlockedDomain } from "./moderation.ts";
import { COMMAND_LINE, type ModeratorRef, recordModeration } from "./moderation-log.ts";

export type DomainAllow = typeof domainAllows.$inferSelect;

/**
 * Allows a host (what an admin typed: a host, host:port or a URL, normalized as the block list does, so
 * every spelling of it names one entry). Idempotent: an allowed host gives back its entry, `created` false.
 * 400 for something that is not a host.
 */
export async function allowDomain(
  db: Database,
  input: string,
  by: ModeratorRef = COMMAND_LINE,
): Promise<{ allow: DomainAllow; created: boolean }> {
  const domain = normalizeBlockedDomain(input);
  return await db.transaction(async (tx) => {
    const inserted = (
      await tx
        .insert(domainAllows)
        .values({ id: newId(), domain })
        .onConflictDoNothing()
        .returning()
    )[0];
    if (inserted === undefined)
      return { allow: (await findAllowByDomain(tx, domain))!, created: false };
    await logAllow(tx, by, "domain_allow.create", inserted);
    return { allow: inserted, created: true };
  });
}

/**
 * Removes a host from the allow list; returns the removed entry, or undefined when it was not allowed.
 * In limited federation mode the host is then outside the federation: nothing more is accepted from it
 * or delivered to it (federation-policy.ts), and, as Mastodon's UnallowDomainService ends its accounts'
 * ties, the follows between its accounts and local ones are removed. Outside that mode the list is not
 * consulted, so removing an entry changes nothing else.
 */
export async function disallowDomain(
  db: Database,
  input: string,
  mode: { limitedFederationMode: boolean },
  by: ModeratorRef = COMMAND_LINE,
): Promise<{ allow: DomainAllow; removedFollows: number } | undefined> {
  const domain = normalizeBlockedDomain(input);
  return await db.transaction(async (tx) => {
    const removed = (
      await tx.delete(domainAllows).where(eq(domainAllows.domain, domain)).returning()
    )[0];
    if (removed === undefined) return undefined;
    await logAllow(tx, by, "domain_allow.destroy", removed);
    let removedFollows = 0;
    if (mode.limitedFederationMode) {
      // The entry named one exact host: its accounts are those stored with that domain.
      const ids = (
        await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.domain, domain))
      ).map((a) => a.id);
      if (ids.length > 0) {
        const affected = await tx
          .select()
          .from(follows)
          .where(or(inArray(follows.accountId, ids), inArray(follows.targetAccountId, ids)));
        for (const f of affected) await removeFollow(tx, f);
        removedFollows = affected.length;
      }
    }
    return { allow: removed, removedFollows };
  });
}

/** Every allowed host, alphabetically (the CLI's list). */
export async function listDomainAllows(db: DatabaseLike): Promise<DomainAllow[]> {
  return await db.select().from(domainAllows).orderBy(asc(domainAllows.domain));
}

/** A page of allows by id, newest first (the admin API's list). */
export async function domainAllowPage(db: DatabaseLike, page: PageParams): Promise<DomainAllow[]> {
  const rows = await db
    .select()
    .from(domainAllows)
    .where(and(...pageConditions(domainAllows.id, page)))
    .orderBy(pageOrder(domainAllows.id, page))
    .limit(page.limit);
  return finishPage(rows, page);
}

/** One allow by its id, or undefined. */
export async function findDomainAllow(
  db: DatabaseLike,
  id: string,
): Promise<DomainAllow | undefined> {
  return (await db.select().from(domainAllows).where(eq(domainAllows.id, id)).limit(1))[0];
}

async function findAllowByDomain(db: DatabaseLike, domain: string) {
  return (await db.select().from(domainAllows).where(eq(domainAllows.domain, domain)).limit(1))[0];
}

async function logAllow(db: DatabaseLike, by: ModeratorRef, action: string, allow: DomainAllow) {
  await recordModeration(db, {
    ...by,
    action,
    targetType: "domain_allow",
    targetId: allow.id,
    targetLabel: allow.domain,
  });
}
