// Jobs that a process runs one at a time, each a row several processes share (a CSV import, a dataset
// export): a row waits as `queued`, is claimed under a lease (db/claims.ts) as `running`, keeps its
// lease renewed while it runs, and is settled with its claim let go. A process that dies mid-job leaves
// the row `running` with a lease that runs out; the next claim takes it over and counts the attempt, so
// a job that keeps killing its worker ends `failed` instead of looping. Each job kind says what a row
// is and how to run one; the claiming, the lease and the one-loop-at-a-time pump live here once.
import { and, asc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { DEFAULT_LEASE_MS, newClaimant, renewEvery, unclaimed } from "../db/claims.ts";
import type { Database } from "../db/client.ts";
import { isOpen, skipLocked } from "../db/dialect.ts";
import { logger } from "../logging.ts";

/** A table of serial jobs: the columns every such job row has. */
export type JobTable = SQLiteTable & {
  id: SQLiteColumn;
  state: SQLiteColumn;
  attempts: SQLiteColumn;
  /** When the last claim started it, where the kind keeps it. */
  startedAt?: SQLiteColumn;
  finishedAt: SQLiteColumn;
  claimedBy: SQLiteColumn;
  claimedUntil: SQLiteColumn;
};

/** What a job row holds for the runner. */
export interface JobRow {
  id: string;
  attempts: number;
}

/** One claimed job, for its kind's `run`: its claim's condition, and how to settle it. */
export interface HeldJob<Row> {
  /** Matches the row while this process still holds it (a row taken over is no longer "mine"). */
  mine: SQL;
  /** Writes the outcome and lets the claim go. */
  settle(set: Partial<Row>): Promise<void>;
  /** False once the runner is closing: a long job stops between its steps and is resumed elsewhere. */
  readonly open: boolean;
}

export interface SerialJobsOptions<Row extends JobRow> {
  db: Database;
  table: JobTable;
  /** The log's category and what a job is called in its messages ("imports", "dataset exports"). */
  what: string;
  /** A claim beyond this many attempts settles the job failed with `interrupted` as its message. */
  maxAttempts: number;
  interrupted: Partial<Row>;
  run(job: Row, held: HeldJob<Row>): Promise<void>;
  leaseMs?: number;
}

const log = logger("domain", "jobs");

/** Runs the waiting jobs of one table, one at a time in this process, oldest first. */
export class SerialJobs<Row extends JobRow> {
  readonly claimant = newClaimant();
  readonly #o: SerialJobsOptions<Row>;
  readonly #leaseMs: number;
  readonly #idleWaiters: (() => void)[] = [];
  #pumping: Promise<void> | undefined;
  #pumpAgain = false;
  #closed = false;

  constructor(options: SerialJobsOptions<Row>) {
    this.#o = options;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** Runs waiting jobs (one claiming loop at a time; a kick during one makes it look again). */
  kick(): void {
    if (this.#closed) return;
    if (this.#pumping !== undefined) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = this.#pump()
      .catch((error: unknown) => {
        if (!this.#closed)
          log.warning("Could not run {what}: {error}", { what: this.#o.what, error });
      })
      .finally(() => {
        this.#pumping = undefined;
        for (const resolve of this.#idleWaiters.splice(0)) resolve();
      });
  }

  /** Resolves once this process runs no job (tests). */
  idle(): Promise<void> {
    if (this.#pumping === undefined) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops claiming; the job under way stops at its next step or finishes, the rest wait. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.idle();
  }

  async #pump(): Promise<void> {
    do {
      this.#pumpAgain = false;
      for (;;) {
        if (this.#closed || !isOpen(this.#o.db)) return;
        const job = await this.#claim();
        if (job === undefined) break;
        await this.#hold(job);
      }
    } while (this.#pumpAgain);
  }

  /** A queued job, or a running one whose worker let the lease run out, claimed in one UPDATE. */
  async #claim(): Promise<Row | undefined> {
    const { db, table: t } = this.#o;
    const now = new Date();
    const waiting = or(
      eq(t.state, "queued"),
      and(eq(t.state, "running"), unclaimed(t.claimedUntil, now)),
    );
    // A read first: the worker looks every second, and an idle look should not take the write lock.
    const any = await db.select({ id: t.id }).from(t).where(waiting).limit(1);
    if (any.length === 0) return undefined;
    // The set is the same for every job table; drizzle types it per table, hence the cast.
    const set = {
      state: "running",
      ...(t.startedAt === undefined ? {} : { startedAt: now }),
      attempts: sql`${t.attempts} + 1`,
      claimedBy: this.claimant,
      claimedUntil: new Date(now.getTime() + this.#leaseMs),
    } as never;
    const rows = await db.transaction(
      async (tx) =>
        await tx
          .update(t)
          .set(set)
          .where(
            inArray(
              t.id,
              skipLocked(
                tx,
                tx.select({ id: t.id }).from(t).where(waiting).orderBy(asc(t.id)).limit(1),
              ),
            ),
          )
          .returning(),
    );
    return rows[0] as Row | undefined;
  }

  async #hold(job: Row): Promise<void> {
    const { db, table: t } = this.#o;
    const mine = and(eq(t.id, job.id), eq(t.claimedBy, this.claimant))!;
    const runner = this;
    const held: HeldJob<Row> = {
      mine,
      async settle(set) {
        const done = { ...set, claimedBy: null, claimedUntil: null, finishedAt: new Date() };
        await db
          .update(t)
          .set(done as never)
          .where(mine);
      },
      get open() {
        return !runner.#closed;
      },
    };
    if (job.attempts > this.#o.maxAttempts) {
      await held.settle({ state: "failed", ...this.#o.interrupted } as Partial<Row>);
      return;
    }
    const stopRenewing = renewEvery(this.#leaseMs, async () => {
      await db
        .update(t)
        .set({ claimedUntil: new Date(Date.now() + this.#leaseMs) } as never)
        .where(mine);
    });
    try {
      await this.#o.run(job, held);
    } finally {
      stopRenewing();
    }
  }
}
