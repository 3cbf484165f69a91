// The rows of a generation job's life: stored queued, claimed by the worker, then settled as succeeded,
// failed or cancelled. Every change of state is guarded by the state it leaves, so that a cancel racing
// the worker (or two workers) cannot both win.
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { returned } from "../db/returned.ts";
import {
  type GenerationJob,
  generationCandidates,
  generationJobs,
  type MediaAttachment,
  mediaAttachments,
} from "../db/schema/index.ts";
import type { JobParameters } from "./job-request.ts";
import type { GenerationError } from "./provider.ts";

/** The states in which a job is still to be settled. */
export const UNSETTLED_STATES: GenerationJob["state"][] = ["queued", "running"];

export interface JobWithCandidates {
  job: GenerationJob;
  candidates: MediaAttachment[];
}

export async function insertQueuedJob(
  db: DatabaseLike,
  accountId: string,
  provider: string,
  parameters: JobParameters,
): Promise<GenerationJob> {
  return returned(
    await db
      .insert(generationJobs)
      .values({ id: newId(), accountId, state: "queued", provider, ...parameters })
      .returning(),
  );
}

/** A job of the account, or undefined (someone else's job is not found either). */
export async function findJob(
  db: DatabaseLike,
  accountId: string,
  jobId: string,
): Promise<GenerationJob | undefined> {
  return (
    await db
      .select()
      .from(generationJobs)
      .where(and(eq(generationJobs.id, jobId), eq(generationJobs.accountId, accountId)))
      .limit(1)
  )[0];
}

/** The candidate images of a job, in the order the provider returned them. */
export async function jobCandidates(db: DatabaseLike, jobId: string): Promise<MediaAttachment[]> {
  return (
    await db
      .select({ media: mediaAttachments })
      .from(generationCandidates)
      .innerJoin(mediaAttachments, eq(mediaAttachments.id, generationCandidates.mediaId))
      .where(eq(generationCandidates.jobId, jobId))
      .orderBy(asc(generationCandidates.position))
  ).map((r) => r.media);
}

/** The account's latest jobs, newest first; `limit` is kept between 1 and 100. */
export async function listJobs(
  db: DatabaseLike,
  accountId: string,
  limit: number,
): Promise<GenerationJob[]> {
  return await db
    .select()
    .from(generationJobs)
    .where(eq(generationJobs.accountId, accountId))
    .orderBy(desc(generationJobs.id))
    .limit(Math.min(Math.max(limit, 1), 100));
}

/** Marks an unsettled job cancelled; undefined when it was settled meanwhile. */
export async function markJobCancelled(
  db: DatabaseLike,
  jobId: string,
): Promise<GenerationJob | undefined> {
  return (
    await db
      .update(generationJobs)
      .set({ state: "cancelled", finishedAt: new Date() })
      .where(and(eq(generationJobs.id, jobId), inArray(generationJobs.state, UNSETTLED_STATES)))
      .returning()
  )[0];
}

/** Marks an unsettled job failed with the error the user will read (a settled job is left as it is). */
export async function markJobFailed(
  db: DatabaseLike,
  jobId: string,
  error: GenerationError,
): Promise<void> {
  await db
    .update(generationJobs)
    .set({
      state: "failed",
      errorCode: error.reason,
      errorMessage: error.message,
      retryAfterSeconds: error.retryAfterSeconds ?? null,
      finishedAt: new Date(),
    })
    .where(and(eq(generationJobs.id, jobId), inArray(generationJobs.state, UNSETTLED_STATES)));
}

/**
 * Claims the oldest queued job that is not in `skip` (jobs this process already runs) by moving it to
 * "running"; undefined when none is left. Counts the attempt, which restart recovery bounds.
 */
export async function claimNextQueuedJob(
  db: DatabaseLike,
  skip: ReadonlySet<string>,
): Promise<GenerationJob | undefined> {
  for (;;) {
    const next = (
      await db
        .select()
        .from(generationJobs)
        .where(eq(generationJobs.state, "queued"))
        .orderBy(asc(generationJobs.id))
        .limit(skip.size + 1)
    ).find((j) => !skip.has(j.id));
    if (next === undefined) return undefined;
    const claimed = (
      await db
        .update(generationJobs)
        .set({ state: "running", startedAt: new Date(), attempts: next.attempts + 1 })
        .where(and(eq(generationJobs.id, next.id), eq(generationJobs.state, "queued")))
        .returning()
    )[0];
    // Lost the race (cancelled meanwhile): look again.
    if (claimed !== undefined) return claimed;
  }
}
