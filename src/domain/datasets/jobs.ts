// Dataset exports started from the admin page, run as background jobs: the request is a
// dataset_exports row; the process that runs work (ROLE=all, or a worker woken over the bus by the web
// process that recorded it) claims it with a lease, writes the tar under DATA_DIR/datasets and keeps
// the row's counts up to date, so the page shows progress from any process. A worker that dies
// mid-export leaves its row to the next one once the lease has run out, which starts it again.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import type { Config } from "../../config.ts";
import { DEFAULT_LEASE_MS, newClaimant, renewEvery, unclaimed } from "../../db/claims.ts";
import type { Database } from "../../db/client.ts";
import { isOpen, skipLocked } from "../../db/dialect.ts";
import { newId } from "../../db/ids.ts";
import { returned } from "../../db/returned.ts";
import { type DatasetExport, datasetExports } from "../../db/schema/index.ts";
import { logger } from "../../logging.ts";
import type { MediaStore } from "../../media/store.ts";
import { exportDataset } from "./export.ts";

const log = logger("domain", "datasets");
// An export whose worker died this often is given up (failed), not tried again.
const MAX_ATTEMPTS = 3;
// Progress is written at most this often: one row update per image would be a write per file.
const PROGRESS_EVERY_MS = 250;

export interface DatasetExportDeps {
  db: Database;
  store: MediaStore;
  /** Where the tar files go (DATA_DIR/datasets), and how the export names the instance. */
  config: Pick<Config, "dataDir" | "instanceName" | "origin" | "domain">;
  leaseMs?: number;
}

/** Starts dataset exports and runs them, one at a time per process. */
export class DatasetExportService {
  readonly claimant = newClaimant();
  readonly #deps: DatasetExportDeps;
  readonly #leaseMs: number;
  readonly #idleWaiters: (() => void)[] = [];
  #pumping: Promise<void> | undefined;
  #pumpAgain = false;
  #closed = false;

  constructor(deps: DatasetExportDeps) {
    this.#deps = deps;
    this.#leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** Records an export for `requestedBy` (an administrator) and starts it where work runs. */
  async request(requestedBy: string, since?: Date): Promise<DatasetExport> {
    const row = returned(
      await this.#deps.db
        .insert(datasetExports)
        .values({ id: newId(), requestedBy, since: since ?? null })
        .returning(),
    );
    this.kick();
    return row;
  }

  /** Runs waiting exports (one claiming loop at a time). */
  kick(): void {
    if (this.#closed) return;
    if (this.#pumping !== undefined) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = this.#pump()
      .catch((error: unknown) => {
        if (!this.#closed) log.warning("Could not run dataset exports: {error}", { error });
      })
      .finally(() => {
        this.#pumping = undefined;
        for (const resolve of this.#idleWaiters.splice(0)) resolve();
      });
  }

  /** Resolves once this process runs no export (tests). */
  idle(): Promise<void> {
    if (this.#pumping === undefined) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops claiming; an export under way finishes first (its file is complete or not there). */
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

  /** A queued export, or a running one whose worker let the lease run out. */
  async #claim(): Promise<DatasetExport | undefined> {
    const { db } = this.#deps;
    const now = new Date();
    const waiting = or(
      eq(datasetExports.state, "queued"),
      and(eq(datasetExports.state, "running"), unclaimed(datasetExports.claimedUntil, now)),
    );
    // A read first: the worker looks every second, and an idle look should not take the write lock.
    const any = await db
      .select({ id: datasetExports.id })
      .from(datasetExports)
      .where(waiting)
      .limit(1);
    if (any.length === 0) return undefined;
    return (
      await db.transaction(
        async (tx) =>
          await tx
            .update(datasetExports)
            .set({
              state: "running",
              startedAt: now,
              attempts: sql`${datasetExports.attempts} + 1`,
              claimedBy: this.claimant,
              claimedUntil: new Date(now.getTime() + this.#leaseMs),
            })
            .where(
              inArray(
                datasetExports.id,
                skipLocked(
                  tx,
                  tx
                    .select({ id: datasetExports.id })
                    .from(datasetExports)
                    .where(waiting)
                    .orderBy(asc(datasetExports.id))
                    .limit(1),
                ),
              ),
            )
            .returning(),
      )
    )[0];
  }

  async #run(job: DatasetExport): Promise<void> {
    const { db } = this.#deps;
    const mine = and(eq(datasetExports.id, job.id), eq(datasetExports.claimedBy, this.claimant));
    const settle = async (set: Partial<DatasetExport>) => {
      await db
        .update(datasetExports)
        .set({ ...set, claimedBy: null, claimedUntil: null, finishedAt: new Date() })
        .where(mine);
    };
    if (job.attempts > MAX_ATTEMPTS) {
      await settle({ state: "failed", errorMessage: "The export was interrupted too often." });
      return;
    }
    const stopRenewing = renewEvery(this.#leaseMs, async () => {
      await db
        .update(datasetExports)
        .set({ claimedUntil: new Date(Date.now() + this.#leaseMs) })
        .where(mine);
    });
    const { config } = this.#deps;
    const folder = join(config.dataDir, "datasets");
    const out = join(folder, `dataset-${job.id}.tar`);
    let written = 0;
    try {
      await mkdir(folder, { recursive: true });
      const result = await exportDataset(
        {
          db,
          store: this.#deps.store,
          instance: { name: config.instanceName, origin: config.origin, domain: config.domain },
        },
        {
          out,
          ...(job.since !== null ? { since: job.since } : {}),
          onProgress: async ({ done, total }) => {
            const now = Date.now();
            if (done !== 0 && done !== total && now - written < PROGRESS_EVERY_MS) return;
            written = now;
            await db.update(datasetExports).set({ done, total }).where(mine);
          },
        },
      );
      await settle({
        state: "succeeded",
        path: out,
        byteSize: result.bytes,
        users: result.contributors,
        errorMessage:
          result.missingFiles > 0
            ? `${result.missingFiles} image(s) left out: their file is missing from the store.`
            : null,
      });
      log.info("Dataset export {id}: {images} image(s) in {out}.", {
        id: job.id,
        images: result.images,
        out,
      });
    } catch (error) {
      log.error("Dataset export {id} failed: {error}", { id: job.id, error });
      await settle({
        state: "failed",
        errorMessage: error instanceof Error ? error.message : String(error),
      });
    } finally {
      stopRenewing();
    }
  }
}
