// Datasets: the history of each user's dataset choices (consent given or withdrawn, the licence and the
// attribution chosen, and when), kept for the user's archive and as the record of what was agreed; and
// the dataset exports an administrator started from the admin page, run by the worker as a job.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { bigInteger, counter, createdAt, flag, id, timestamp } from "./columns.ts";

/** The licence under which a user lets their images and prompts go into datasets; "none": not at all. */
export type DatasetLicense = "cc0" | "cc-by" | "cc-by-nc" | "none";
/** How an exported image names its author: the handle, or an id that stays the same per user. */
export type DatasetAttribution = "handle" | "anonymous";
/** What changed in a consent event. */
export type DatasetConsentChange =
  | "consent_given"
  | "consent_withdrawn"
  | "license_changed"
  | "attribution_changed";

/** One change of a user's dataset choices, with the choices as they were after it. */
export const datasetConsentEvents = sqliteTable(
  "dataset_consent_events",
  {
    id: id(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    change: text("change").$type<DatasetConsentChange>().notNull(),
    consent: flag("consent"),
    license: text("license").$type<DatasetLicense>().notNull(),
    attribution: text("attribution").$type<DatasetAttribution>().notNull(),
    /** Where the change was made: "sign_up" or "settings". */
    source: text("source").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("dataset_consent_events_account_idx").on(t.accountId, t.id)],
);

export type DatasetConsentEvent = typeof datasetConsentEvents.$inferSelect;

export type DatasetExportState = "queued" | "running" | "succeeded" | "failed";

/** A dataset export started from the admin page: a job the worker claims with a lease and runs. */
export const datasetExports = sqliteTable(
  "dataset_exports",
  {
    id: id(),
    state: text("state").$type<DatasetExportState>().notNull().default("queued"),
    /** Only posts from this time on (the CLI's --since); null: all. */
    since: timestamp("since"),
    /** The administrator who started it. */
    requestedBy: text("requested_by").references(() => accounts.id, { onDelete: "set null" }),
    /** The tar file, under DATA_DIR/datasets, once written. */
    path: text("path"),
    /** Images to write (known once the export has selected them) and written so far. */
    total: counter("total"),
    done: counter("done"),
    /** Consenting users whose images are in it. */
    users: counter("users"),
    byteSize: bigInteger("byte_size"),
    errorMessage: text("error_message"),
    attempts: integer("attempts").notNull().default(0),
    claimedBy: text("claimed_by"),
    claimedUntil: timestamp("claimed_until"),
    createdAt: createdAt(),
    startedAt: timestamp("started_at"),
    finishedAt: timestamp("finished_at"),
  },
  (t) => [index("dataset_exports_state_idx").on(t.state, t.id)],
);

export type DatasetExport = typeof datasetExports.$inferSelect;
