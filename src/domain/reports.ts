// Reports for administrators: the list (open first), one report with what it names, and resolving or
// reopening it. Reports arrive as Flag activities (moderation.ts, receiveReport) or from local users.
import { and, asc, count, desc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { type Account, accounts, reports, type Status, statuses } from "../db/schema/index.ts";
import { notFound } from "../errors.ts";

export type Report = typeof reports.$inferSelect;

export interface ReportSummary {
  report: Report;
  reporter: Account;
  target: Account;
}

function withAccounts(db: DatabaseLike, rows: Report[]): ReportSummary[] {
  const ids = [...new Set(rows.flatMap((r) => [r.accountId, r.targetAccountId]))];
  const byId = new Map(
    ids.length === 0
      ? []
      : db
          .select()
          .from(accounts)
          .where(inArray(accounts.id, ids))
          .all()
          .map((a) => [a.id, a]),
  );
  return rows.map((report) => ({
    report,
    reporter: byId.get(report.accountId)!,
    target: byId.get(report.targetAccountId)!,
  }));
}

/** Open reports oldest first (the queue), or resolved ones newest first; at most `limit`. */
export function listReports(
  db: DatabaseLike,
  state: "open" | "resolved",
  limit = 100,
): ReportSummary[] {
  const rows = db
    .select()
    .from(reports)
    .where(state === "open" ? isNull(reports.resolvedAt) : isNotNull(reports.resolvedAt))
    .orderBy(state === "open" ? asc(reports.id) : desc(reports.resolvedAt))
    .limit(limit)
    .all();
  return withAccounts(db, rows);
}

export function countOpenReports(db: DatabaseLike): number {
  return db.select({ n: count() }).from(reports).where(isNull(reports.resolvedAt)).get()?.n ?? 0;
}

/** One report with the statuses it names that still exist. */
export function findReport(
  db: DatabaseLike,
  id: string,
): (ReportSummary & { statuses: Status[] }) | undefined {
  const row = db.select().from(reports).where(eq(reports.id, id)).get();
  if (row === undefined) return undefined;
  const [summary] = withAccounts(db, [row]);
  const named =
    row.statusIds.length === 0
      ? []
      : db
          .select()
          .from(statuses)
          .where(and(inArray(statuses.id, row.statusIds), isNull(statuses.reblogOfId)))
          .all();
  return { ...summary!, statuses: named };
}

/** Marks a report resolved (or open again); idempotent. */
export function setReportResolved(db: Database, id: string, resolved: boolean): Report {
  const row = db
    .update(reports)
    .set({ resolvedAt: resolved ? new Date() : null })
    .where(eq(reports.id, id))
    .returning()
    .get();
  if (row === undefined) throw notFound("There is no such report.");
  return row;
}
