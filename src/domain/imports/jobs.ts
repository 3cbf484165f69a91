// CSV imports run as background jobs: the upload is checked and stored as a bulk_imports row with one
// bulk_import_rows row per line; the process that runs work (ROLE=all, or the worker woken over the
// bus) claims the import under a lease (db/claims.ts), applies its pending rows in file order and keeps
// the counts up to date, so the settings page shows progress from any process. A worker that dies
// mid-import leaves it to the next once the lease runs out, which goes on with the rows still pending.
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { newId } from "../../db/ids.ts";
import { findAccountById } from "../../db/queries/accounts.ts";
import { returned } from "../../db/returned.ts";
import {
  type Account,
  type BulkImport,
  type BulkImportType,
  bulkImportRows,
  bulkImports,
} from "../../db/schema/index.ts";
import { logger } from "../../logging.ts";
import { type HeldJob, SerialJobs } from "../serial-jobs.ts";
import { parseImportFile } from "./csv.ts";
import { applyImportRow, failureMessage, type ImportRowDeps, pruneNotImported } from "./rows.ts";

// The rows the settings page shows, named here so the pages need not import the schema.
export type { BulkImport, BulkImportType };

const log = logger("domain", "imports");
const MAX_ATTEMPTS = 3;
// Rows are read this many at a time; each is applied and settled on its own.
const BATCH = 50;
// SQLite allows 32,766 bound values; 4 columns a row stays far under it.
const INSERT_CHUNK = 500;

export interface BulkImportDeps extends ImportRowDeps {
  leaseMs?: number;
}

export interface ImportUpload {
  type: BulkImportType;
  overwrite: boolean;
  filename: string | null;
  bytes: Uint8Array;
}

/** Takes CSV uploads and applies them, one import at a time per process. */
export class BulkImportService {
  readonly #deps: BulkImportDeps;
  readonly #jobs: SerialJobs<BulkImport>;

  constructor(deps: BulkImportDeps) {
    this.#deps = deps;
    this.#jobs = new SerialJobs<BulkImport>({
      db: deps.db,
      table: bulkImports,
      what: "imports",
      maxAttempts: MAX_ATTEMPTS,
      interrupted: { errorMessage: "The import was interrupted too often." },
      run: (job, held) => this.#run(job, held),
      ...(deps.leaseMs === undefined ? {} : { leaseMs: deps.leaseMs }),
    });
  }

  /** This process's name in the rows it claims. */
  get claimant(): string {
    return this.#jobs.claimant;
  }

  /** Checks `upload` (400 for a bad file, nothing stored), stores it for `account`, and starts it. */
  async request(account: Account, upload: ImportUpload): Promise<BulkImport> {
    const rows = parseImportFile(upload.type, upload.bytes);
    const id = newId();
    const row = await this.#deps.db.transaction(async (tx) => {
      const created = returned(
        await tx
          .insert(bulkImports)
          .values({
            id,
            accountId: account.id,
            type: upload.type,
            overwrite: upload.overwrite,
            originalFilename: upload.filename?.slice(0, 255) ?? null,
            totalItems: rows.length,
          })
          .returning(),
      );
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await tx.insert(bulkImportRows).values(
          rows.slice(i, i + INSERT_CHUNK).map((r) => ({
            id: newId(),
            bulkImportId: id,
            line: r.line,
            data: r.data,
          })),
        );
      }
      return created;
    });
    this.kick();
    return row;
  }

  /** The account's imports, newest first (the settings page). */
  async importsOf(accountId: string, limit = 20): Promise<BulkImport[]> {
    return await this.#deps.db
      .select()
      .from(bulkImports)
      .where(eq(bulkImports.accountId, accountId))
      .orderBy(desc(bulkImports.id))
      .limit(limit);
  }

  /** The failed rows of one of the account's imports, with their line and reason. */
  async failuresOf(accountId: string, importId: string, limit = 100) {
    return await this.#deps.db
      .select({ line: bulkImportRows.line, error: bulkImportRows.error })
      .from(bulkImportRows)
      .innerJoin(bulkImports, eq(bulkImports.id, bulkImportRows.bulkImportId))
      .where(
        and(
          eq(bulkImportRows.bulkImportId, importId),
          eq(bulkImports.accountId, accountId),
          eq(bulkImportRows.state, "failed"),
        ),
      )
      .orderBy(asc(bulkImportRows.line))
      .limit(limit);
  }

  /** Runs waiting imports (one claiming loop at a time). */
  kick(): void {
    this.#jobs.kick();
  }

  /** Resolves once this process runs no import (tests). */
  idle(): Promise<void> {
    return this.#jobs.idle();
  }

  /** Stops claiming; the row under way finishes first, the rest wait for the next start. */
  async close(): Promise<void> {
    await this.#jobs.close();
  }

  async #run(job: BulkImport, held: HeldJob<BulkImport>): Promise<void> {
    const { db } = this.#deps;
    const owner = await findAccountById(db, job.accountId, { includeSuspended: true });
    if (owner === undefined) {
      await held.settle({ state: "failed", errorMessage: "The account is gone." });
      return;
    }
    try {
      for (;;) {
        if (!held.open) return;
        const batch = await db
          .select()
          .from(bulkImportRows)
          .where(and(eq(bulkImportRows.bulkImportId, job.id), eq(bulkImportRows.state, "pending")))
          .orderBy(asc(bulkImportRows.line))
          .limit(BATCH);
        if (batch.length === 0) break;
        for (const row of batch) {
          let error: string | null = null;
          try {
            await applyImportRow(this.#deps, owner, job.type, row.data);
          } catch (e) {
            error = failureMessage(e);
            log.debug("Import {id} line {line}: {error}", { id: job.id, line: row.line, error: e });
          }
          await db.transaction(async (tx) => {
            await tx
              .update(bulkImportRows)
              .set({ state: error === null ? "imported" : "failed", error })
              .where(eq(bulkImportRows.id, row.id));
            await tx
              .update(bulkImports)
              .set({
                processedItems: sql`${bulkImports.processedItems} + 1`,
                ...(error === null ? { importedItems: sql`${bulkImports.importedItems} + 1` } : {}),
              })
              .where(eq(bulkImports.id, job.id));
          });
        }
      }
      if (job.overwrite) {
        const all = await db
          .select({ data: bulkImportRows.data })
          .from(bulkImportRows)
          .where(eq(bulkImportRows.bulkImportId, job.id));
        await pruneNotImported(
          this.#deps,
          owner,
          job.type,
          all.map((r) => r.data),
        );
      }
      await held.settle({ state: "finished" });
    } catch (error) {
      log.error("Import {id} failed: {error}", { id: job.id, error });
      await held.settle({ state: "failed", errorMessage: failureMessage(error) });
    }
  }
}
