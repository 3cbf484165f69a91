// Generation jobs: a prompt is checked (quota, budget, moderation), stored as a queued job and run by a
// small in-process worker with bounded concurrency; its images become unattached media attachments
// (candidates) with provenance. Users poll or cancel; a job cut off by a stop is settled at the next start.
// Several workers may run jobs from one database: each job is claimed with a lease (job-store.ts) that
// its worker renews while it runs, and only jobs whose lease ran out are recovered.
// This file is the service and its worker; the request checks, the job rows, one job's run and restart
// recovery live in the job-*.ts files beside it.
import { DEFAULT_LEASE_MS, newClaimant, renewEvery } from "../db/claims.ts";
import type { DatabaseLike } from "../db/client.ts";
import { isOpen, takeTurns } from "../db/dialect.ts";
import type { PageParams } from "../db/queries/page.ts";
import type { GenerationJob } from "../db/schema/index.ts";
import { conflict, notFound } from "../errors.ts";
import { logger } from "../logging.ts";
import { settleInterruptedJobs } from "./job-recovery.ts";
import { checkGenerationRequest, type GenerationRequestInput } from "./job-request.ts";
import { type JobRunDeps, runJob } from "./job-run.ts";
import {
  candidateVerdicts,
  claimNextQueuedJob,
  findJob,
  insertQueuedJob,
  type JobWithCandidates,
  jobCandidates,
  listJobs,
  markJobCancelled,
  releaseJobs,
  renewJobLeases,
} from "./job-store.ts";
import { moderatePrompt } from "./moderation.ts";
import type { ImageProvider } from "./provider.ts";
import { checkDailyQuota, checkMonthlyBudget, priceOf } from "./quota.ts";
import { listSessions, sessionSteps } from "./studio.ts";

const log = logger("generation", "jobs");

export interface GenerationServiceOptions extends JobRunDeps {
  /** How long a running job is this worker's without renewal (default a minute). */
  leaseMs?: number;
}

export class GenerationService {
  readonly provider: ImageProvider;
  /** This worker's name in the jobs it claims. */
  readonly claimant = newClaimant();
  readonly #deps: JobRunDeps;
  readonly #leaseMs: number;
  #stopRenewing: (() => void) | undefined;
  #lastRecovery = 0;
  readonly #running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  #started = false;
  #closed = false;
  #idleWaiters: (() => void)[] = [];

  constructor(options: GenerationServiceOptions) {
    this.#deps = {
      db: options.db,
      config: options.config,
      provider: options.provider,
      media: options.media,
    };
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.provider = options.provider;
  }

  /**
   * Checks and queues a generation for `accountId`. Refuses with a clear AppError: bad parameters (400),
   * a prompt refused by moderation (422, saying why), the daily quota (429) or the monthly budget (503).
   */
  async request(accountId: string, input: GenerationRequestInput): Promise<GenerationJob> {
    const { db, config, provider } = this.#deps;
    const parameters = await checkGenerationRequest(db, provider, accountId, input);
    const { model, quality, size, n } = parameters;
    const price = priceOf(config.generation.prices, model, quality, size);
    const checkLimits = async (database: DatabaseLike) => {
      await checkDailyQuota(database, config, accountId, n);
      await checkMonthlyBudget(database, config, price.microsPerImage * n);
    };
    await checkLimits(db);
    // Moderation before anything is paid for; a refused prompt says why and leaves no job behind.
    await moderatePrompt(db, provider, parameters.prompt, parameters.negativePrompt ?? undefined);
    const job = await db.transaction(async (tx) => {
      // Checked again inside the write transaction: requests that raced through moderation (a network
      // call) cannot together pass the quota or overspend the budget.
      await takeTurns(tx, "generation-limits");
      await checkLimits(tx);
      return await insertQueuedJob(tx, accountId, provider.name, parameters);
    });
    log.info("Queued generation job {jobId} ({provider} {model}, {n} image(s)).", {
      jobId: job.id,
      provider: provider.name,
      model,
      n,
    });
    await this.kick();
    return job;
  }

  /** A job of the account with its candidate images (in order) and their moderation verdicts. */
  async get(accountId: string, jobId: string): Promise<JobWithCandidates> {
    const job = await findJob(this.#deps.db, accountId, jobId);
    if (job === undefined) throw notFound("No such generation job");
    const candidates = await jobCandidates(this.#deps.db, jobId);
    const verdicts = await candidateVerdicts(
      this.#deps.db,
      candidates.map((m) => m.id),
    );
    return {
      job,
      candidates,
      verdicts: candidates.map(
        (m) =>
          verdicts.find((v) => v.mediaId === m.id) ?? {
            mediaId: m.id,
            flagged: false,
            categories: [],
          },
      ),
    };
  }

  /** A page of the account's jobs ("my creations"), newest first, searched by prompt when `q` is given. */
  async list(accountId: string, page: PageParams, q?: string): Promise<GenerationJob[]> {
    return await listJobs(this.#deps.db, accountId, page, q);
  }

  /** A page of the account's studio sessions, newest first, each as its first step. */
  async sessions(accountId: string, page: PageParams): Promise<GenerationJob[]> {
    return await listSessions(this.#deps.db, accountId, page);
  }

  /** The steps of one of the account's studio sessions, in the order they were made (404 if none). */
  async session(accountId: string, sessionId: string): Promise<JobWithCandidates[]> {
    const steps = await sessionSteps(this.#deps.db, accountId, sessionId);
    return await Promise.all(steps.map((step) => this.get(accountId, step.id)));
  }

  /**
   * Cancels a queued or running job; finished jobs are a conflict. A running local job is aborted; a
   * running paid call is not: the provider bills a request once it is sent, so the worker waits for its
   * answer, records the spending (which the daily quota counts) and drops the images (job-run.ts).
   */
  async cancel(accountId: string, jobId: string): Promise<GenerationJob> {
    const { job } = await this.get(accountId, jobId);
    if (job.state !== "queued" && job.state !== "running") {
      throw conflict(
        `The job has already ${job.state === "cancelled" ? "been cancelled" : job.state}`,
      );
    }
    const updated = await markJobCancelled(this.#deps.db, jobId);
    if (updated === undefined) return (await this.get(accountId, jobId)).job;
    if (job.provider === "local") this.#running.get(jobId)?.controller.abort();
    return updated;
  }

  /**
   * Settles jobs a stopped or dead worker left running (see job-recovery.ts), then starts the worker,
   * which keeps the leases of the jobs it runs.
   */
  async start(): Promise<void> {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#stopRenewing = renewEvery(this.#leaseMs, () =>
      renewJobLeases(this.#deps.db, this.claimant, [...this.#running.keys()], this.#leaseMs),
    );
    await this.kick();
  }

  /**
   * Starts queued jobs while there is room (no-op before start() and after close()). Also settles, at
   * most once per half lease, the jobs whose worker's lease ran out: a worker killed mid-job is noticed
   * by the others, not only at the next start.
   */
  async kick(): Promise<void> {
    if (!this.#started || this.#closed) return;
    if (Date.now() - this.#lastRecovery >= this.#leaseMs / 2) {
      this.#lastRecovery = Date.now();
      await settleInterruptedJobs(this.#deps.db, this.claimant, this.#leaseMs);
    }
    while (this.#running.size < this.#deps.config.generation.concurrency) {
      const claimed = await claimNextQueuedJob(this.#deps.db, this.claimant, this.#leaseMs);
      if (claimed === undefined) break;
      const controller = new AbortController();
      const done = runJob(this.#deps, claimed, controller.signal)
        .catch((error: unknown) => {
          // Only a database failure gets here (e.g. closed under a stop); the job stays for start().
          log.error("Generation job {jobId} could not be settled: {error}", {
            jobId: claimed.id,
            error,
          });
        })
        .finally(async () => {
          this.#running.delete(claimed.id);
          await this.kick();
          if (this.#running.size === 0) this.#wakeIdleWaiters();
        });
      this.#running.set(claimed.id, { controller, done });
    }
    if (this.#running.size === 0) this.#wakeIdleWaiters();
  }

  /** Resolves when no job is running (and none is left queued that the worker could start). */
  idle(): Promise<void> {
    if (this.#running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops taking jobs and waits up to `graceMs` for running ones; those still running then are aborted
   * and left "running" in the database, their lease let go, to be settled by the next worker to look.
   */
  async close(graceMs = 10_000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopRenewing?.();
    const all = Promise.all([...this.#running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(true), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      const cutOff = [...this.#running.keys()];
      for (const r of this.#running.values()) r.controller.abort();
      await Promise.race([all, new Promise((r) => setTimeout(r, 2000).unref())]);
      if (isOpen(this.#deps.db)) await releaseJobs(this.#deps.db, this.claimant, cutOff);
    }
  }

  #wakeIdleWaiters(): void {
    for (const w of this.#idleWaiters.splice(0)) w();
  }
}
