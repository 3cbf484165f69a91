// Restart recovery: jobs a worker left "running" (it stopped, or crashed, mid-call) are settled by the next
// worker to look, so that none stays running forever and none is paid for twice. Only jobs whose lease
// ran out are: a job another live worker runs (it renews its lease) is that worker's.
import type { Database } from "../db/client.ts";
import { logger } from "../logging.ts";
import { claimInterruptedJobs, markJobFailed, requeueJob } from "./job-store.ts";
import { GenerationError } from "./provider.ts";

const log = logger("generation", "jobs");

// A local job interrupted by a stop is run again at the next start, but not forever: one that keeps
// taking the process down with it must end.
export const MAX_LOCAL_ATTEMPTS = 3;

/**
 * Re-queues interrupted local jobs (free and deterministic, so running one again costs nothing) and
 * fails the paid ones, whose provider may already have charged for the images we never received.
 */
export async function settleInterruptedJobs(
  db: Database,
  claimant: string,
  leaseMs: number,
): Promise<void> {
  for (const job of await claimInterruptedJobs(db, claimant, leaseMs)) {
    if (job.provider === "local" && job.attempts < MAX_LOCAL_ATTEMPTS) {
      await requeueJob(db, job.id, claimant);
      log.info("Re-queued local job {jobId} interrupted by a stop.", { jobId: job.id });
    } else {
      await markJobFailed(
        db,
        job.id,
        new GenerationError(
          "interrupted",
          job.provider === "local"
            ? "The server stopped repeatedly while making this image; try again"
            : "The server restarted while this image was being generated; it was not retried so it is not paid for twice. Try again.",
        ),
      );
    }
  }
}
