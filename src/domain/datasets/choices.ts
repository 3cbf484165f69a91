// Each user's dataset choices: consent (off by default; users.ai_data_consent, which the crawler
// controls and /about/data read as "consented"), the licence their images carry in an export, and how
// they are attributed. Every change writes a dataset_consent_events row in the same transaction, so the
// history of what a user agreed to, and when, is complete and goes into their archive.
import { asc, eq } from "drizzle-orm";
import type { Database, DatabaseLike } from "../../db/client.ts";
import { newId } from "../../db/ids.ts";
import {
  type DatasetAttribution,
  type DatasetConsentChange,
  type DatasetConsentEvent,
  type DatasetLicense,
  datasetConsentEvents,
  users,
} from "../../db/schema/index.ts";
import { badRequest, notFound } from "../../errors.ts";
import { recordEvent } from "../events.ts";

export const DATASET_LICENSES: readonly DatasetLicense[] = ["cc0", "cc-by", "cc-by-nc", "none"];
export const DATASET_ATTRIBUTIONS: readonly DatasetAttribution[] = ["handle", "anonymous"];

/** What each licence is called and where its text is (the export's datasheet links them). */
export const LICENSE_NAMES: Record<DatasetLicense, { name: string; url: string | null }> = {
  cc0: { name: "CC0 1.0", url: "https://creativecommons.org/publicdomain/zero/1.0/" },
  "cc-by": { name: "CC BY 4.0", url: "https://creativecommons.org/licenses/by/4.0/" },
  "cc-by-nc": { name: "CC BY-NC 4.0", url: "https://creativecommons.org/licenses/by-nc/4.0/" },
  none: { name: "No dataset use", url: null },
};

export interface DatasetChoices {
  consent: boolean;
  license: DatasetLicense;
  attribution: DatasetAttribution;
}

/** Where a change was made, as the history records it. */
export type ConsentSource = "sign_up" | "settings";

/** A user's current choices. */
export async function getDatasetChoices(
  db: DatabaseLike,
  accountId: string,
): Promise<DatasetChoices> {
  const row = (
    await db
      .select({
        consent: users.aiDataConsent,
        license: users.datasetLicense,
        attribution: users.datasetAttribution,
      })
      .from(users)
      .where(eq(users.accountId, accountId))
      .limit(1)
  )[0];
  if (row === undefined) throw notFound("No such local user");
  return row;
}

/** Reads a licence or attribution from a form or a flag; anything else is a 400. */
export function parseDatasetLicense(value: string): DatasetLicense {
  if (!DATASET_LICENSES.includes(value as DatasetLicense)) {
    throw badRequest(`The dataset licence must be one of ${DATASET_LICENSES.join(", ")}`);
  }
  return value as DatasetLicense;
}

export function parseDatasetAttribution(value: string): DatasetAttribution {
  if (!DATASET_ATTRIBUTIONS.includes(value as DatasetAttribution)) {
    throw badRequest(`The attribution must be one of ${DATASET_ATTRIBUTIONS.join(", ")}`);
  }
  return value as DatasetAttribution;
}

/** The history rows a change from `before` to `after` calls for (none when nothing changed). */
function changesBetween(
  before: DatasetChoices | undefined,
  after: DatasetChoices,
): DatasetConsentChange[] {
  const out: DatasetConsentChange[] = [];
  if (before === undefined) {
    // A new account records only a consent it was given; "off" is the default, not a choice.
    if (after.consent) out.push("consent_given");
    return out;
  }
  if (before.consent !== after.consent) {
    out.push(after.consent ? "consent_given" : "consent_withdrawn");
  }
  if (before.license !== after.license) out.push("license_changed");
  if (before.attribution !== after.attribution) out.push("attribution_changed");
  return out;
}

async function recordChanges(
  tx: DatabaseLike,
  accountId: string,
  changes: DatasetConsentChange[],
  after: DatasetChoices,
  source: ConsentSource,
): Promise<void> {
  if (changes.length === 0) return;
  const at = new Date();
  await tx.insert(datasetConsentEvents).values(
    changes.map((change) => ({
      id: newId(at),
      accountId,
      change,
      consent: after.consent,
      license: after.license,
      attribution: after.attribution,
      source,
      createdAt: at,
    })),
  );
}

/**
 * Records the choices a new account starts with (inside the sign-up's transaction): a consent given at
 * sign-up is the first entry of the history.
 */
export async function recordInitialDatasetChoices(
  tx: DatabaseLike,
  accountId: string,
  choices: DatasetChoices,
  source: ConsentSource,
): Promise<void> {
  await recordChanges(tx, accountId, changesBetween(undefined, choices), choices, source);
}

/**
 * Changes a user's dataset choices (what is not given stays) and records each change in the history,
 * in one transaction. A withdrawal applies to every export made after it. The actor document says
 * whether its posts may be used (aiDatasetConsent), so a change also records `account.updated`, which
 * sends followers the Update.
 */
export async function setDatasetChoices(
  db: Database,
  accountId: string,
  changes: Partial<DatasetChoices>,
  source: ConsentSource,
): Promise<DatasetChoices> {
  return await db.transaction(async (tx) => {
    const { after, changed } = await applyDatasetChoices(tx, accountId, changes, source);
    if (changed) await recordEvent(tx, { type: "account.updated", accountId });
    return after;
  });
}

/**
 * setDatasetChoices inside a caller's transaction, which records `account.updated` itself when
 * `changed` (a profile edit saving the settings form's choices with it, say).
 */
export async function applyDatasetChoices(
  tx: DatabaseLike,
  accountId: string,
  changes: Partial<DatasetChoices>,
  source: ConsentSource,
): Promise<{ after: DatasetChoices; changed: boolean }> {
  const before = await getDatasetChoices(tx, accountId);
  const after: DatasetChoices = {
    consent: changes.consent ?? before.consent,
    license: changes.license ?? before.license,
    attribution: changes.attribution ?? before.attribution,
  };
  const recorded = changesBetween(before, after);
  if (recorded.length === 0) return { after, changed: false };
  await tx
    .update(users)
    .set({
      aiDataConsent: after.consent,
      datasetLicense: after.license,
      datasetAttribution: after.attribution,
    })
    .where(eq(users.accountId, accountId));
  await recordChanges(tx, accountId, recorded, after, source);
  return { after, changed: true };
}

/** A user's history of dataset choices, oldest first. */
export async function listConsentHistory(
  db: DatabaseLike,
  accountId: string,
): Promise<DatasetConsentEvent[]> {
  return await db
    .select()
    .from(datasetConsentEvents)
    .where(eq(datasetConsentEvents.accountId, accountId))
    .orderBy(asc(datasetConsentEvents.id));
}
