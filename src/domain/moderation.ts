// Moderation of other servers and of what they report: the domain block list (no activities accepted from
// a blocked host, none delivered to it, its follows removed) and reports: received as Flag activities,
// or made by local users through the client API (and then possibly forwarded as a Flag).
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { preparedPerHandle } from "../db/prepared.ts";
import { visibleTo } from "../db/queries/visibility.ts";
import {
  type Account,
  accounts,
  domainBlocks,
  follows,
  type ReportCategory,
  reports,
  statuses,
  users,
} from "../db/schema/index.ts";
import { badRequest } from "../errors.ts";
import { recordEvent } from "./events.ts";
import { removeFollow } from "./follows.ts";
import { normalizeHost } from "./handles.ts";
import { addNotification } from "./notification-records.ts";

type Report = typeof reports.$inferSelect;

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
const covers = (entry: string, host: string) => entry === host || !entry.includes(":");

/**
 * Whether activities from (and deliveries to) `host` (host[:port]) are refused. An entry without a port
 * covers every port of that host and every subdomain; an entry with a port covers that port only.
 */
export function isDomainBlocked(db: DatabaseLike, host: string): boolean {
  const { host: h, candidates } = blockCandidates(host);
  const hit = blocksAmong(db).all({ candidates: JSON.stringify(candidates) });
  return hit.some((b) => covers(b.domain, h));
}

// Asked for every inbox POST, so prepared once; the candidates (one to a few) go in as a JSON array.
const blocksAmong = preparedPerHandle((db) =>
  db
    .select({ domain: domainBlocks.domain })
    .from(domainBlocks)
    .where(
      sql`${domainBlocks.domain} in (select value from json_each(${sql.placeholder("candidates")}))`,
    )
    .prepare(),
);

/**
 * `isDomainBlocked` for many hosts at once (a delivery's audience, a new block's accounts): the block
 * list is read once, instead of one query per host (10,000 followers made 10,000 queries).
 */
export function domainBlockMatcher(db: DatabaseLike): (host: string) => boolean {
  const blocked = new Set(
    db
      .select({ domain: domainBlocks.domain })
      .from(domainBlocks)
      .all()
      .map((b) => b.domain),
  );
  if (blocked.size === 0) return () => false;
  return (host) => {
    const { host: h, candidates } = blockCandidates(host);
    return candidates.some((c) => blocked.has(c) && covers(c, h));
  };
}

/** Blocks a host: stores it and removes follows between its accounts and local ones. Idempotent. */
export function blockDomain(
  db: Database,
  input: string,
  reason = "",
): { domain: string; removedFollows: number; created: boolean } {
  const domain = normalizeBlockedDomain(input);
  return db.transaction((tx) => {
    const created =
      tx.insert(domainBlocks).values({ domain, reason }).onConflictDoNothing().returning().get() !==
      undefined;
    const isBlocked = domainBlockMatcher(tx);
    const covered = tx
      .select({ id: accounts.id, domain: accounts.domain })
      .from(accounts)
      .where(sql`${accounts.domain} is not null`)
      .all()
      .filter((a) => isBlocked(a.domain!))
      .map((a) => a.id);
    let removedFollows = 0;
    if (covered.length > 0) {
      const affected = tx
        .select()
        .from(follows)
        .where(sql`${follows.accountId} in ${covered} or ${follows.targetAccountId} in ${covered}`)
        .all();
      for (const f of affected) removeFollow(tx, f);
      removedFollows = affected.length;
    }
    return { domain, removedFollows, created };
  });
}

/** Unblocks a host; returns whether it was blocked. */
export function unblockDomain(db: Database, input: string): boolean {
  const domain = normalizeBlockedDomain(input);
  return (
    db.delete(domainBlocks).where(eq(domainBlocks.domain, domain)).returning().get() !== undefined
  );
}

export function listDomainBlocks(db: DatabaseLike) {
  return db.select().from(domainBlocks).orderBy(asc(domainBlocks.domain)).all();
}

/** Mastodon's limit on a report's comment. */
export const MAX_REPORT_COMMENT = 1000;
/** How many statuses one report may name (Mastodon has no stated cap; this bounds the stored list). */
export const MAX_REPORTED_STATUSES = 100;

/** What a report names, whoever made it. */
interface ReportInput {
  reporter: Account;
  target: Account;
  statusIds: string[];
  comment: string;
  category?: ReportCategory;
}

/**
 * Stores a report and tells the administrators (an `admin.report` notification each, and the
 * `report.created` event the outbox forwards from when `forwarded`). Shared by Flags received and reports
 * made through the client API, so both reach the admins the same way.
 */
function createReport(
  db: Database,
  input: ReportInput & { iri: string | null; forwarded: boolean },
): Report {
  return db.transaction((tx) => {
    const report = tx
      .insert(reports)
      .values({
        id: newId(),
        iri: input.iri,
        accountId: input.reporter.id,
        targetAccountId: input.target.id,
        statusIds: input.statusIds,
        comment: input.comment,
        category: input.category ?? "other",
        forwarded: input.forwarded,
      })
      .returning()
      .get();
    const admins = tx
      .select({ id: users.accountId })
      .from(users)
      .where(eq(users.admin, true))
      .all();
    for (const admin of admins) {
      addNotification(tx, {
        accountId: admin.id,
        fromAccountId: input.reporter.id,
        type: "admin.report",
        reportId: report.id,
      });
    }
    recordEvent(tx, { type: "report.created", reportId: report.id });
    return report;
  });
}

/** Stores a report that arrived as a Flag, and tells the administrators. Idempotent by the Flag's id. */
export function receiveReport(
  db: Database,
  input: { iri: string; reporter: Account; target: Account; statusIds: string[]; comment: string },
): string {
  const existing = db.select().from(reports).where(eq(reports.iri, input.iri)).get();
  if (existing !== undefined) return existing.id;
  // A remote server's report is bounded rather than refused: the admins should still see it.
  return createReport(db, {
    ...input,
    statusIds: [...new Set(input.statusIds)].slice(0, MAX_REPORTED_STATUSES),
    comment: input.comment.slice(0, 5000),
    forwarded: false,
  }).id;
}

/**
 * A local user reports an account (and optionally some of its statuses). With `forward`, a report on a
 * remote account is also sent to its server as a Flag from the instance actor, unless that server is
 * blocked or has no inbox; `forwarded` on the answer says whether it was. Local targets never forward.
 * Throws 400s for a report that names the wrong statuses or says too much.
 */
export function fileReport(db: Database, input: ReportInput & { forward: boolean }): Report {
  if (input.reporter.id === input.target.id) throw badRequest("You cannot report yourself");
  if (input.comment.length > MAX_REPORT_COMMENT) {
    throw badRequest(`Comment is too long (maximum is ${MAX_REPORT_COMMENT} characters)`);
  }
  const statusIds = [...new Set(input.statusIds)];
  if (statusIds.length > MAX_REPORTED_STATUSES) {
    throw badRequest(`A report can name at most ${MAX_REPORTED_STATUSES} statuses`);
  }
  if (statusIds.length > 0) {
    const found = new Set(
      db
        .select({ id: statuses.id })
        .from(statuses)
        // Only statuses the reporter may see, as in Mastodon: a report must not tell whether a
        // followers-only or direct status exists.
        .where(
          and(
            inArray(statuses.id, statusIds),
            eq(statuses.accountId, input.target.id),
            visibleTo(input.reporter.id),
          ),
        )
        .all()
        .map((s) => s.id),
    );
    const missing = statusIds.filter((id) => !found.has(id));
    if (missing.length > 0) {
      // The ids are the client's own strings: name a few, bounded, rather than echo them all.
      const named = missing.slice(0, 5).map((id) => id.slice(0, 40));
      throw badRequest(
        `Statuses not found for the reported account: ${named.join(", ")}${missing.length > 5 ? ", …" : ""}`,
      );
    }
  }
  const { domain } = input.target;
  const forwarded =
    input.forward &&
    domain !== null &&
    input.target.inboxUrl !== null &&
    !isDomainBlocked(db, domain);
  return createReport(db, { ...input, statusIds, iri: null, forwarded });
}
