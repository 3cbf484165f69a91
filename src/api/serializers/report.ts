// Report rows → Mastodon Report, as answered to the user who made it. Atelier keeps no instance rules,
// and a report is never acted on from the reporter's point of view, so those fields are fixed.
import type { reports } from "../../db/schema/index.ts";
import type { ApiAccount, ApiReport } from "../types.ts";

export function toApiReport(report: typeof reports.$inferSelect, target: ApiAccount): ApiReport {
  return {
    id: report.id,
    action_taken: false,
    action_taken_at: null,
    category: report.category,
    comment: report.comment,
    forwarded: report.forwarded,
    created_at: report.createdAt.toISOString(),
    status_ids: report.statusIds.length > 0 ? report.statusIds : null,
    rule_ids: null,
    target_account: target,
  };
}
