// The one rule of what a dataset export may hold: AI-generated images of public, local, original
// (not boosted) posts whose author consents, chose a licence other than "none", is neither suspended
// nor deleted, and did not keep the post out. Everything else — remote posts whatever their actor
// says, posts not public, deleted posts (their rows and attachments are gone), users who never
// consented or withdrew — is left out by the query itself, so no caller can forget a condition.
import { and, asc, eq, gte, inArray, isNotNull, isNull, max, ne, sql } from "drizzle-orm";
import type { DatabaseLike } from "../../db/client.ts";
import {
  accounts,
  type DatasetAttribution,
  type DatasetLicense,
  datasetConsentEvents,
  type MediaProvenance,
  mediaAttachments,
  statuses,
  users,
} from "../../db/schema/index.ts";
import { isAiGenerated } from "../../media/service.ts";

/** One image that may go into a dataset, with what its metadata line needs. */
export interface DatasetImage {
  mediaId: string;
  statusId: string;
  position: number;
  originalKey: string;
  altText: string | null;
  provenance: MediaProvenance;
  postUrl: string;
  postedAt: Date;
  accountId: string;
  username: string;
  license: Exclude<DatasetLicense, "none">;
  attribution: DatasetAttribution;
  /** When the consent in force was given (the latest consent_given), or null if before the history. */
  consentDate: Date | null;
}

export interface DatasetSelection {
  /** Only posts made at or after this time. */
  since?: Date;
}

/** The images a dataset export holds today, in a fixed order (post, then position in it). */
export async function selectDatasetImages(
  db: DatabaseLike,
  selection: DatasetSelection = {},
): Promise<DatasetImage[]> {
  const rows = await db
    .select({
      mediaId: mediaAttachments.id,
      statusId: statuses.id,
      position: mediaAttachments.position,
      originalKey: mediaAttachments.originalKey,
      altText: mediaAttachments.description,
      provenance: mediaAttachments.provenance,
      url: statuses.url,
      iri: statuses.iri,
      postedAt: statuses.createdAt,
      accountId: accounts.id,
      username: accounts.username,
      license: users.datasetLicense,
      attribution: users.datasetAttribution,
    })
    .from(mediaAttachments)
    .innerJoin(statuses, eq(statuses.id, mediaAttachments.statusId))
    .innerJoin(accounts, eq(accounts.id, statuses.accountId))
    .innerJoin(users, eq(users.accountId, accounts.id))
    .where(
      and(
        eq(statuses.local, true),
        isNull(accounts.domain),
        eq(statuses.visibility, "public"),
        isNull(statuses.reblogOfId),
        eq(statuses.datasetOptOut, false),
        // The attachment is the author's own (a remix quotes another post; it does not attach its image).
        eq(mediaAttachments.accountId, accounts.id),
        // A remix's prompt is its source's: another author's words, whose consent is theirs to give.
        sql`not exists (select 1 from generation_candidates rc
          join generation_jobs rj on rj.id = rc.job_id
          join statuses rs on rs.id = rj.remix_of_status_id
          where rc.media_id = ${mediaAttachments.id} and rs.account_id <> ${statuses.accountId})`,
        isNull(accounts.suspendedAt),
        isNull(accounts.deletedAt),
        isNull(users.disabledAt),
        eq(users.aiDataConsent, true),
        ne(users.datasetLicense, "none"),
        eq(mediaAttachments.type, "image"),
        eq(mediaAttachments.state, "ready"),
        isNotNull(mediaAttachments.originalKey),
        ...(selection.since !== undefined ? [gte(statuses.createdAt, selection.since)] : []),
      ),
    )
    .orderBy(asc(statuses.id), asc(mediaAttachments.position), asc(mediaAttachments.id));
  const kept = rows.filter((r) => isAiGenerated(r.provenance) && r.originalKey !== null);
  const consentDates = await latestConsents(db, [...new Set(kept.map((r) => r.accountId))]);
  return kept.map((r) => ({
    mediaId: r.mediaId,
    statusId: r.statusId,
    position: r.position,
    originalKey: r.originalKey!,
    altText: r.altText,
    provenance: r.provenance!,
    postUrl: r.url ?? r.iri,
    postedAt: r.postedAt,
    accountId: r.accountId,
    username: r.username,
    license: r.license as Exclude<DatasetLicense, "none">,
    attribution: r.attribution,
    consentDate: consentDates.get(r.accountId) ?? null,
  }));
}

// Bound values per statement stay well under both stores' limits.
const CHUNK = 500;

/** When each account last gave its consent. */
async function latestConsents(db: DatabaseLike, accountIds: string[]): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  for (let i = 0; i < accountIds.length; i += CHUNK) {
    const rows = await db
      .select({
        accountId: datasetConsentEvents.accountId,
        at: max(datasetConsentEvents.createdAt),
      })
      .from(datasetConsentEvents)
      .where(
        and(
          inArray(datasetConsentEvents.accountId, accountIds.slice(i, i + CHUNK)),
          eq(datasetConsentEvents.change, "consent_given"),
        ),
      )
      .groupBy(datasetConsentEvents.accountId);
    for (const r of rows) if (r.at !== null) out.set(r.accountId, new Date(r.at));
  }
  return out;
}
