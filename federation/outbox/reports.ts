// Reports forwarded to the reported account's server: a Flag signed by the instance actor rather than by
// the user who reported, so the other server's moderators learn what was reported but not by whom.
import { Flag } from "@fedify/vocab";
import type { EventOf } from "../../src/domain/events.ts";
import { findReport } from "../../src/domain/reports.ts";
import { ensureInstanceActor } from "../keys.ts";
import { audience, type Outbox, send } from "./send.ts";

export async function sendFlag(outbox: Outbox, event: EventOf<"report.created">): Promise<void> {
  const { db, urls, config } = outbox.deps;
  const found = await findReport(db, event.reportId);
  // Received reports (iri set) came from elsewhere; local ones go out only when the user asked to forward.
  if (found === undefined || found.report.iri !== null || !found.report.forwarded) return;
  const { report, target } = found;
  if (target.domain === null) return;
  const instance = await ensureInstanceActor(db, urls);
  const flag = new Flag({
    // Stable per report, so a retried delivery carries the same id and the receiver deduplicates it.
    id: new URL(`/reports/${encodeURIComponent(report.id)}`, config.origin),
    actor: new URL(instance.iri),
    objects: [new URL(target.iri), ...found.statuses.map((s) => new URL(s.iri))],
    content: report.comment,
  });
  // audience() drops a domain blocked since the report was made.
  await send(outbox, instance, await audience(outbox, instance, [target], false), flag);
}
