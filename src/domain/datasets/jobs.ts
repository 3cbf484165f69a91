// Dataset exports started from the admin page, run as background jobs: the request is a
// dataset_exports row; the process that runs work (ROLE=all, or a worker woken over the bus by the web
// process that recorded it) claims it with a lease, writes the tar under DATA_DIR/datasets and keeps
// the row's counts up to date, so the page shows progress from any process. A worker that dies
// mid-export leaves its row to the next one once the lease has run out, which starts it again.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { newId } from "../../db/ids.ts";
import { returned } from "../../db/returned.ts";
import { type DatasetExport, datasetExports } from "../../db/schema/index.ts";
import { logger } from "../../logging.ts";
import type { MediaStore } from "../../media/store.ts";
import { type HeldJob, SerialJobs } from "../serial-jobs.ts";
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
  readonly #deps: DatasetExportDeps;
  readonly #jobs: SerialJobs<DatasetExport>;

  constructor(deps: DatasetExportDeps) {
    this.#deps = deps;
    this.#jobs = new SerialJobs<DatasetExport>({
      db: deps.db,
      table: datasetExports,
      what: "dataset exports",
      maxAttempts: MAX_ATTEMPTS,
      interrupted: { errorMessage: "The export was interrupted too often." },
      run: (job, held) => this.#run(job, held),
      ...(deps.leaseMs === undefined ? {} : { leaseMs: deps.leaseMs }),
    });
  }

  /** This process's name in the rows it claims. */
  get claimant(): string {
    return this.#jobs.claimant;
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
    this.#jobs.kick();
  }

  /** Resolves once this process runs no export (tests). */
  idle(): Promise<void> {
    return this.#jobs.idle();
  }

  /** Stops claiming; an export under way finishes first (its file is complete or not there). */
  async close(): Promise<void> {
    await this.#jobs.close();
  }

  async #run(job: DatasetExport, { mine, settle }: HeldJob<DatasetExport>): Promise<void> {
    const { db } = this.#deps;
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
    }
  }
}
