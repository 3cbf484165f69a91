// CSV imports run as background jobs: the upload is checked and stored as a bulk_imports row with one
// bulk_import_rows row per line; the process that runs work (ROLE=all, or the worker woken over the
// bus) claims the import under a lease (db/claims.ts), applies its pending rows in file order and keeps
// the counts up to date, so the settings page shows progress from any process. A worker that dies
// mid-import leaves it to the next once the lease runs out, which goes on with the rows still pending.
import { and, asc, desc, eq, inArray, or, sql } from "drizzle-orm";
import { DEFAULT_LEASE_MS, newClaimant, renewEvery, unclaimed } from "../../db/claims.ts";
import { isOpen, skipLocked } from "../../db/dialect.ts";
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
  readonly claimant = newClaimant();
  readonly #deps: BulkImportDeps;
  readonly #leaseMs: number;
  readonly #idleWaiters: (() => void)[] = [];
  #pumping: Promise<void> | undefined;
  #pumpAgain = false;
  #closed = false;

  constructor(deps: BulkImportDeps) {
    this.#deps = deps;
    this.#leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
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
    if (this.#closed) return;
    if (this.#pumping !== undefined) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = this.#pump()
      .catch((error: unknown) => {
        if (!this.#closed) log.warning("Could not run imports: {error}", { error });
      })
      .finally(() => {
        this.#pumping = undefined;
        for (const resolve of this.#idleWaiters.splice(0)) resolve();
      });
  }

  /** Resolves once this process runs no import (tests). */
  idle(): Promise<void> {
    if (this.#pumping === undefined) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops claiming; the row under way finishes first, the rest wait for the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.idle();
  }

  async #pump(): Promise<void> {
    do {
      this.#pumpAgain = false;
      for (;;) {
        if (this.#closed || !isOpen(this.#deps.db)) return;
        const job = await this.#claim();
        if (job === undefined) break;
        await this.#run(job);
      }
    } while (this.#pumpAgain);
  }

  async #claim(): Promise<BulkImport | undefined> {
    const { db } = this.#deps;
    const now = new Date();
    const waiting = or(
      eq(bulkImports.state, "queued"),
      and(eq(bulkImports.state, "running"), unclaimed(bulkImports.claimedUntil, now)),
    );
    // A read first: the worker looks every second, and an idle look should not take the write lock.
    const any = await db.select({ id: bulkImports.id }).from(bulkImports).where(waiting).limit(1);
    if (any.length === 0) return undefined;
    return (
      await db.transaction(
        async (tx) =>
          await tx
            .update(bulkImports)
            .set({
              state: "running",
              startedAt: now,
              attempts: sql`${bulkImports.attempts} + 1`,
              claimedBy: this.claimant,
              claimedUntil: new Date(now.getTime() + this.#leaseMs),
            })
            .where(
              inArray(
                bulkImports.id,
                skipLocked(
                  tx,
                  tx
                    .select({ id: bulkImports.id })
                    .from(bulkImports)
                    .where(waiting)
                    .orderBy(asc(bulkImports.id))
                    .limit(1),
                ),
              ),
            )
            .returning(),
      )
    )[0];
  }

  async #run(job: BulkImport): Promise<void> {
    const { db } = this.#deps;
    const mine = and(eq(bulkImports.id, job.id), eq(bulkImports.claimedBy, this.claimant));
    const settle = async (set: Partial<BulkImport>) => {
      await db
        .update(bulkImports)
        .set({ ...set, claimedBy: null, claimedUntil: null, finishedAt: new Date() })
        .where(mine);
    };
    if (job.attempts > MAX_ATTEMPTS) {
      await settle({ state: "failed", errorMessage: "The import was interrupted too often." });
      return;
    }
    const owner = await findAccountById(db, job.accountId, { includeSuspended: true });
    if (owner === undefined) {
      await settle({ state: "failed", errorMessage: "The account is gone." });
      return;
    }
    const stopRenewing = renewEvery(this.#leaseMs, async () => {
      await db
        .update(bulkImports)
        .set({ claimedUntil: new Date(Date.now() + this.#leaseMs) })
        .where(mine);
    });
    try {
      for (;;) {
        if (this.#closed) return;
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
      await settle({ state: "finished" });
    } catch (error) {
      log.error("Import {id} failed: {error}", { id: job.id, error });
      await settle({ state: "failed", errorMessage: failureMessage(error) });
    } finally {
      stopRenewing();
    }
  }
}
