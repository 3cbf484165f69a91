// One timer for durable jobs kept as rows with a due time (scheduled statuses, poll endings): it sleeps
// until the earliest due row, runs what is due, and sleeps again. The rows are the truth, the timer only
// a wake-up, so a restart loses nothing: start() first runs what fell due while the server was down.
import { logger } from "../logging.ts";

const log = logger("domain", "due-timer");

// Never sleep longer than this, so a changed system clock is noticed within the hour (and Node's timers
// cannot sleep past 24.8 days anyway).
const MAX_SLEEP_MS = 60 * 60_000;
// After an unexpected failure (the database busy, say) the due rows are tried again this much later.
const RETRY_MS = 60_000;

export interface DueJob {
  /** What the job does, for the log ("publish scheduled statuses"). */
  name: string;
  /** The earliest due time among the job's rows, or null when there is none. */
  nextDue: () => Promise<Date | null>;
  /** Runs every row due by now; returns how many. */
  runDue: () => Promise<number>;
  now: () => Date;
}

export class DueTimer {
  readonly #job: DueJob;
  #timer: NodeJS.Timeout | undefined;
  #started = false;
  #closed = false;
  // One run at a time: a rearm asked for during a run happens when it ends.
  #running: Promise<void> | undefined;
  #rearmAfterRun = false;

  constructor(job: DueJob) {
    this.#job = job;
  }

  /** Runs what fell due while stopped, then keeps the timer armed until close(). */
  start(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#started = true;
    return this.#run();
  }

  /** Sets the timer again for the next due time (after a change to the job's rows). */
  async rearm(): Promise<void> {
    if (!this.#started || this.#closed) return;
    if (this.#running !== undefined) {
      this.#rearmAfterRun = true;
      return;
    }
    try {
      await this.#arm();
    } catch (error) {
      log.error("{job}: could not read the next due time: {error}", { job: this.#job.name, error });
      this.#sleep(RETRY_MS);
    }
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #arm(): Promise<void> {
    const next = await this.#job.nextDue();
    if (this.#closed) return;
    if (next === null) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      return;
    }
    const wait = next.getTime() - this.#job.now().getTime();
    this.#sleep(Math.min(Math.max(wait, 0), MAX_SLEEP_MS));
  }

  #sleep(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#run(), ms);
    // The HTTP server keeps the process alive; a pending job must not hold up its exit.
    this.#timer.unref();
  }

  #run(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#running !== undefined) return this.#running;
    this.#running = (async () => {
      try {
        const n = await this.#job.runDue();
        if (n > 0) log.info("{job}: {n} done.", { job: this.#job.name, n });
        this.#rearmAfterRun = false;
        if (!this.#closed) await this.#arm();
      } catch (error) {
        log.error("{job} failed; retrying in a minute: {error}", { job: this.#job.name, error });
        if (!this.#closed) this.#sleep(RETRY_MS);
      } finally {
        this.#running = undefined;
      }
      if (this.#rearmAfterRun) {
        this.#rearmAfterRun = false;
        await this.rearm();
      }
    })();
    return this.#running;
  }
}
