// Reports, in one place: made by local users through the client API (and then possibly forwarded as a
// Flag) or received as Flag activities, and for administrators the list (open first), one report with
// what it names, and resolving or reopening it.

import { and, asc, count, desc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { finishPage, type PageParams, pageConditions, pageOrder } from "../db/queries/page.ts";
import { authorNotBlocking, canSeeAccount, visibleTo } from "../db/queries/visibility.ts";
import { returned } from "../db/returned.ts";
import {
  type Account,
  accounts,
  type ReportCategory,
  reports,
  type Status,
  statuses,
  users,
} from "../db/schema/index.ts";
import { badRequest, notFound } from "../errors.ts";
import { recordEvent } from "./events.ts";
import { isDomainBlocked } from "./moderation.ts";
import { type ModeratorRef, recordModeration } from "./moderation-log.ts";
import { addNotification } from "./notification-records.ts";

export type Report = typeof reports.$inferSelect;

export interface ReportSummary {
  report: Report;
  reporter: Account;
  target: Account;
}

async function withAccounts(db: DatabaseLike, rows: Report[]): Promise<ReportSummary[]> {
  const ids = [...new Set(rows.flatMap((r) => [r.accountId, r.targetAccountId]))];
  const byId = new Map(
    ids.length === 0
      ? []
      : (await db.select().from(accounts).where(inArray(accounts.id, ids))).map((a) => [a.id, a]),
  );
  return rows.map((report) => ({
    report,
    reporter: byId.get(report.accountId)!,
    target: byId.get(report.targetAccountId)!,
  }));
}

/** Open reports oldest first (the queue), or resolved ones newest first; at most `limit`. */
export async function listReports(
  db: DatabaseLike,
  state: "open" | "resolved",
  limit = 100,
): Promise<ReportSummary[]> {
  const rows = await db
    .select()
    .from(reports)
    .where(state === "open" ? isNull(reports.resolvedAt) : isNotNull(reports.resolvedAt))
    .orderBy(state === "open" ? asc(reports.id) : desc(reports.resolvedAt))
    .limit(limit);
  return await withAccounts(db, rows);
}

/** The admin API's filters: open or resolved, by whom, about whom. */
export interface ReportFilter {
  resolved: boolean;
  accountId?: string;
  targetAccountId?: string;
}

/** One id page of reports (newest first, or from min_id upwards), as the admin API lists them. */
export async function reportPage(
  db: DatabaseLike,
  filter: ReportFilter,
  page: PageParams,
): Promise<Report[]> {
  const rows = await db
    .select()
    .from(reports)
    .where(
      and(
        filter.resolved ? isNotNull(reports.resolvedAt) : isNull(reports.resolvedAt),
        filter.accountId === undefined ? undefined : eq(reports.accountId, filter.accountId),
        filter.targetAccountId === undefined
          ? undefined
          : eq(reports.targetAccountId, filter.targetAccountId),
        ...pageConditions(reports.id, page),
      ),
    )
    .orderBy(pageOrder(reports.id, page))
    .limit(page.limit);
  return finishPage(rows, page);
}

export async function countOpenReports(db: DatabaseLike): Promise<number> {
  return (
    (await db.select({ n: count() }).from(reports).where(isNull(reports.resolvedAt)).limit(1))[0]
      ?.n ?? 0
  );
}

/** One report with the statuses it names that still exist. */
export async function findReport(
  db: DatabaseLike,
  id: string,
): Promise<(ReportSummary & { statuses: Status[] }) | undefined> {
  const row = (await db.select().from(reports).where(eq(reports.id, id)).limit(1))[0];
  if (row === undefined) return undefined;
  const [summary] = await withAccounts(db, [row]);
  const named =
    row.statusIds.length === 0
      ? []
      : await db
          .select()
          .from(statuses)
          .where(and(inArray(statuses.id, row.statusIds), isNull(statuses.reblogOfId)));
  return { ...summary!, statuses: named };
}

/** The statuses some reports name that still exist (boosts aside), by id, loaded at once. */
export async function reportedStatuses(
  db: DatabaseLike,
  rows: readonly Report[],
): Promise<Map<string, Status>> {
  const ids = [...new Set(rows.flatMap((r) => r.statusIds))];
  if (ids.length === 0) return new Map();
  const found = await db
    .select()
    .from(statuses)
    .where(and(inArray(statuses.id, ids), isNull(statuses.reblogOfId)));
  return new Map(found.map((s) => [s.id, s]));
}

/** Marks a report resolved by `moderatorId` (or open again); idempotent. */
export async function setReportResolved(
  db: DatabaseLike,
  id: string,
  resolved: boolean,
  by: ModeratorRef,
): Promise<Report> {
  const now = new Date();
  const moderatorId = by.moderatorId;
  const row = (
    await db
      .update(reports)
      .set(
        resolved
          ? { resolvedAt: now, resolvedByAccountId: moderatorId, updatedAt: now }
          : { resolvedAt: null, resolvedByAccountId: null, updatedAt: now },
      )
      .where(eq(reports.id, id))
      .returning()
  )[0];
  if (row === undefined) throw notFound("There is no such report.");
  await logReport(db, by, resolved ? "report.resolve" : "report.reopen", row);
  return row;
}

/** Assigns a report to a moderator, or (null) to nobody. */
export async function assignReport(
  db: Database,
  id: string,
  assigneeId: string | null,
  by: ModeratorRef,
): Promise<Report> {
  const row = (
    await db
      .update(reports)
      .set({ assignedAccountId: assigneeId, updatedAt: new Date() })
      .where(eq(reports.id, id))
      .returning()
  )[0];
  if (row === undefined) throw notFound("There is no such report.");
  await logReport(db, by, assigneeId === null ? "report.unassign" : "report.assign", row);
  return row;
}

async function logReport(db: DatabaseLike, by: ModeratorRef, action: string, report: Report) {
  await recordModeration(db, {
    ...by,
    action,
    targetType: "report",
    targetId: report.id,
    targetLabel: `report ${report.id}`,
  });
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
async function createReport(
  db: Database,
  input: ReportInput & { iri: string | null; forwarded: boolean },
): Promise<Report> {
  return await db.transaction(async (tx) => {
    const report = returned(
      await tx
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
        .returning(),
    );
    const admins = await tx
      .select({ id: users.accountId })
      .from(users)
      .where(eq(users.admin, true));
    for (const admin of admins) {
      await addNotification(tx, {
        accountId: admin.id,
        fromAccountId: input.reporter.id,
        type: "admin.report",
        reportId: report.id,
      });
    }
    await recordEvent(tx, { type: "report.created", reportId: report.id });
    return report;
  });
}

/** Stores a report that arrived as a Flag, and tells the administrators. Idempotent by the Flag's id. */
export async function receiveReport(
  db: Database,
  input: { iri: string; reporter: Account; target: Account; statusIds: string[]; comment: string },
): Promise<string> {
  const existing = (await db.select().from(reports).where(eq(reports.iri, input.iri)).limit(1))[0];
  if (existing !== undefined) return existing.id;
  // A remote server's report is bounded rather than refused: the admins should still see it.
  return (
    await createReport(db, {
      ...input,
      statusIds: [...new Set(input.statusIds)].slice(0, MAX_REPORTED_STATUSES),
      comment: input.comment.slice(0, 5000),
      forwarded: false,
    })
  ).id;
}

/**
 * A local user reports an account (and optionally some of its statuses). With `forward`, a report on a
 * remote account is also sent to its server as a Flag from the instance actor, unless that server is
 * blocked or has no inbox; `forwarded` on the answer says whether it was. Local targets never forward.
 * Throws 400s for a report that names the wrong statuses or says too much.
 */
export async function fileReport(
  db: Database,
  input: ReportInput & { forward: boolean },
): Promise<Report> {
  if (input.reporter.id === input.target.id) throw badRequest("You cannot report yourself");
  // A suspended account (or one on a blocked domain) is not shown to anyone, so it cannot be named.
  if (!(await canSeeAccount(db, input.target.id))) throw notFound("Record not found");
  if (input.comment.length > MAX_REPORT_COMMENT) {
    throw badRequest(`Comment is too long (maximum is ${MAX_REPORT_COMMENT} characters)`);
  }
  const statusIds = [...new Set(input.statusIds)];
  if (statusIds.length > MAX_REPORTED_STATUSES) {
    throw badRequest(`A report can name at most ${MAX_REPORTED_STATUSES} statuses`);
  }
  if (statusIds.length > 0) {
    const found = new Set(
      (
        await db
          .select({ id: statuses.id })
          .from(statuses)
          // Only statuses the reporter may see, as in Mastodon: a report must not tell whether a
          // followers-only or direct status exists, nor reach the posts of someone who blocked the
          // reporter. The reporter's own block does not stop a report (blocking and reporting go together).
          .where(
            and(
              inArray(statuses.id, statusIds),
              eq(statuses.accountId, input.target.id),
              visibleTo(input.reporter.id),
              authorNotBlocking(input.reporter.id),
            ),
          )
      ).map((s) => s.id),
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
    !(await isDomainBlocked(db, domain));
  return await createReport(db, { ...input, statusIds, iri: null, forwarded });
}
