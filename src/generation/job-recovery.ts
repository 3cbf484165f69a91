// Restart recovery: jobs a previous process left "running" (it stopped, or crashed, mid-call) are settled
// before the worker starts, so that none stays running forever and none is paid for twice.
import { eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { generationJobs } from "../db/schema/index.ts";
import { logger } from "../logging.ts";
import { markJobFailed } from "./job-store.ts";
import { GenerationError } from "./provider.ts";

const log = logger("generation", "jobs");

// A local job interrupted by a stop is run again at the next start, but not forever: one that keeps
// taking the process down with it must end.
export const MAX_LOCAL_ATTEMPTS = 3;

/**
 * Re-queues interrupted local jobs (free and deterministic, so running one again costs nothing) and
 * fails the paid ones, whose provider may already have charged for the images we never received.
 */
export async function settleInterruptedJobs(db: Database): Promise<void> {
  const interrupted = await db
    .select()
    .from(generationJobs)
    .where(eq(generationJobs.state, "running"));
  for (const job of interrupted) {
    if (job.provider === "local" && job.attempts < MAX_LOCAL_ATTEMPTS) {
      await db.update(generationJobs).set({ state: "queued" }).where(eq(generationJobs.id, job.id));
      log.info("Re-queued local job {jobId} interrupted by the last stop.", { jobId: job.id });
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
