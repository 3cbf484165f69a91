// What a web process (ROLE=web) does where a single process would start background work itself: it
// leaves the work recorded in the database and wakes the worker over the bus. The worker (ROLE=worker)
// also looks every WORKER_POLL_MS, since the in-process bus (SQLite without REDIS_URL) reaches no other
// process.
import type { Bus } from "./bus/index.ts";
import type { Database } from "./db/client.ts";
import { type DatasetExportDeps, DatasetExportService } from "./domain/datasets/jobs.ts";
import { EventDispatcher } from "./domain/events.ts";
import { type BulkImportDeps, BulkImportService } from "./domain/imports/jobs.ts";
import { type ScheduledStatusDeps, ScheduledStatusService } from "./domain/scheduled-statuses.ts";
import { GenerationService, type GenerationServiceOptions } from "./generation/jobs.ts";
import { logger } from "./logging.ts";

export const WAKE_CHANNEL = "worker.wake";
/** How often a worker looks for work a web process recorded, when no wake-up reached it. */
export const WORKER_POLL_MS = 1000;

/**
 * A wake-up for the worker, sent once per turn of the event loop however often it is asked for, and
 * after that turn. Callers inside a transaction defer it to the transaction's end themselves (see
 * WebEventDispatcher): a pg commit can take longer than a turn.
 */
export function workerWaker(bus: Bus): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    setImmediate(() => {
      queued = false;
      bus.publish(WAKE_CHANNEL, {}).catch((error: unknown) => {
        logger("roles").warning("Could not wake the worker: {error}", { error });
      });
    });
  };
}

/** The web role's dispatcher: events are recorded here and dispatched (once) by the worker. */
export class WebEventDispatcher extends EventDispatcher {
  readonly #db: Database;
  readonly #wake: () => void;
  constructor(db: Database, wake: () => void) {
    super(db);
    this.#db = db;
    this.#wake = wake;
  }
  override kick(): void {
    // recordEvent kicks inside its transaction. A worker woken before the commit would look, find
    // nothing and sleep until its next poll, so on PostgreSQL the wake-up waits for the transaction's
    // end (on SQLite the transaction has committed within the turn the waker waits anyway).
    const gate = this.#db.$gate;
    if (gate.holding()) {
      void gate.outside(() => this.#wake());
      return;
    }
    this.#wake();
  }
}

/** The web role's generation service: it queues jobs; the worker runs them. */
export class WebGenerationService extends GenerationService {
  readonly #wake: () => void;
  constructor(options: GenerationServiceOptions, wake: () => void) {
    super(options);
    this.#wake = wake;
  }
  override async kick(): Promise<void> {
    this.#wake();
  }
}

/** The web role's scheduled statuses: it stores them; the worker's timer publishes them. */
export class WebScheduledStatusService extends ScheduledStatusService {
  readonly #wake: () => void;
  constructor(deps: ScheduledStatusDeps, wake: () => void) {
    super(deps);
    this.#wake = wake;
  }
  override async rearm(): Promise<void> {
    this.#wake();
  }
}

/** The web role's dataset exports: it records the request; the worker writes the file. */
export class WebDatasetExportService extends DatasetExportService {
  readonly #wake: () => void;
  constructor(deps: DatasetExportDeps, wake: () => void) {
    super(deps);
    this.#wake = wake;
  }
  override kick(): void {
    this.#wake();
  }
}

/** The web role's CSV imports: it stores the upload's rows; the worker applies them. */
export class WebBulkImportService extends BulkImportService {
  readonly #wake: () => void;
  constructor(deps: BulkImportDeps, wake: () => void) {
    super(deps);
    this.#wake = wake;
  }
  override kick(): void {
    this.#wake();
  }
}
