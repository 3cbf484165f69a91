// Imports of Mastodon's CSV files (Settings → Import): the uploaded file becomes one bulk_imports row and
// one bulk_import_rows row per line, which the worker claims under a lease and applies one row at a
// time, so progress (processed of total, failures) is visible from any process and a killed worker's
// import resumes where it stopped.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { counter, createdAt, flag, id, timestamp } from "./columns.ts";

/** Mastodon's import types (Form::Import's names). */
export type BulkImportType =
  | "following"
  | "blocking"
  | "muting"
  | "domain_blocking"
  | "bookmarks"
  | "lists";
export type BulkImportState = "queued" | "running" | "finished" | "failed";
export type BulkImportRowState = "pending" | "imported" | "failed";

/** One row of an import, as its CSV line said it (Mastodon's attribute names). */
export interface BulkImportRowData {
  acct?: string;
  show_reblogs?: boolean;
  notify?: boolean;
  languages?: string[];
  hide_notifications?: boolean;
  domain?: string;
  uri?: string;
  list_name?: string;
}

export const bulkImports = sqliteTable(
  "bulk_imports",
  {
    id: id(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    type: text("type").$type<BulkImportType>().notNull(),
    /** Overwrite: what the account has and the file does not name is removed; else merged. */
    overwrite: flag("overwrite"),
    originalFilename: text("original_filename"),
    state: text("state").$type<BulkImportState>().notNull().default("queued"),
    totalItems: counter("total_items"),
    processedItems: counter("processed_items"),
    importedItems: counter("imported_items"),
    errorMessage: text("error_message"),
    attempts: integer("attempts").notNull().default(0),
    claimedBy: text("claimed_by"),
    claimedUntil: timestamp("claimed_until"),
    createdAt: createdAt(),
    startedAt: timestamp("started_at"),
    finishedAt: timestamp("finished_at"),
  },
  (t) => [
    index("bulk_imports_state_idx").on(t.state, t.id),
    index("bulk_imports_account_idx").on(t.accountId, t.id),
  ],
);

export type BulkImport = typeof bulkImports.$inferSelect;

export const bulkImportRows = sqliteTable(
  "bulk_import_rows",
  {
    id: id(),
    bulkImportId: text("bulk_import_id")
      .notNull()
      .references(() => bulkImports.id, { onDelete: "cascade" }),
    /** The line's place in the file (1 = first data line), for error messages. */
    line: integer("line").notNull(),
    data: text("data", { mode: "json" }).$type<BulkImportRowData>().notNull(),
    state: text("state").$type<BulkImportRowState>().notNull().default("pending"),
    /** Why a failed row failed (no such account, refused by a block…). */
    error: text("error"),
  },
  (t) => [index("bulk_import_rows_import_idx").on(t.bulkImportId, t.state, t.line)],
);

export type BulkImportRow = typeof bulkImportRows.$inferSelect;
