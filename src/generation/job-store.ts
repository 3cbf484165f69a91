// The rows of a generation job's life: stored queued, claimed by the worker, then settled as succeeded,
// failed or cancelled. Every change of state is guarded by the state it leaves, so that a cancel racing
// the worker (or two workers) cannot both win. A running job is also held by a lease (db/claims.ts): the
// worker running it renews the lease, and a job whose lease ran out was left by a worker that died.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { unclaimed } from "../db/claims.ts";
import type { Database, DatabaseLike } from "../db/client.ts";
import { skipLocked } from "../db/dialect.ts";
import { newId } from "../db/ids.ts";
import { finishPage, type PageParams, pageConditions, pageOrder } from "../db/queries/page.ts";
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
  /** Output moderation's verdict on each candidate, in the same order. */
  verdicts: CandidateVerdict[];
}

type StudioFields = "kind" | "parentId" | "sessionId" | "depth" | "maskPng";

/** A job's parameters; without the studio's, it is a plain generation starting its own session. */
export type QueuedJobParameters = Omit<JobParameters, StudioFields> &
  Partial<Pick<JobParameters, StudioFields>>;

export async function insertQueuedJob(
  db: DatabaseLike,
  accountId: string,
  provider: string,
  parameters: QueuedJobParameters,
): Promise<GenerationJob> {
  const id = newId();
  return returned(
    await db
      .insert(generationJobs)
      // A step without a session starts one: the session is named by its first step.
      .values({
        id,
        accountId,
        state: "queued",
        provider,
        ...parameters,
        sessionId: parameters.sessionId ?? id,
      })
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

export interface CandidateVerdict {
  mediaId: string;
  flagged: boolean;
  /** Empty when not flagged. */
  categories: string[];
}

/** The output moderation verdicts of those of `mediaIds` that are generated candidates. */
export async function candidateVerdicts(
  db: DatabaseLike,
  mediaIds: string[],
): Promise<CandidateVerdict[]> {
  if (mediaIds.length === 0) return [];
  return (
    await db
      .select({
        mediaId: generationCandidates.mediaId,
        flagged: generationCandidates.flagged,
        categories: generationCandidates.flaggedCategories,
      })
      .from(generationCandidates)
      .where(inArray(generationCandidates.mediaId, mediaIds))
  ).map((v) => ({ ...v, categories: v.flagged ? v.categories : [] }));
}

/**
 * A page of the account's jobs, newest first (Mastodon's max_id / since_id / min_id), those whose prompt
 * contains `q` (case-insensitive) when it is given.
 */
export async function listJobs(
  db: DatabaseLike,
  accountId: string,
  page: PageParams,
  q?: string,
): Promise<GenerationJob[]> {
  const conditions = [
    eq(generationJobs.accountId, accountId),
    ...pageConditions(generationJobs.id, page),
  ];
  if (q !== undefined && q.trim() !== "") {
    // LIKE's wildcards in what the user typed are matched as themselves.
    const pattern = `%${q
      .trim()
      .toLowerCase()
      .replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    conditions.push(sql`lower(${generationJobs.prompt}) like ${pattern} escape '\\'`);
  }
  const rows = await db
    .select()
    .from(generationJobs)
    .where(and(...conditions))
    .orderBy(pageOrder(generationJobs.id, page))
    .limit(Math.min(Math.max(page.limit, 1), 100));
  return finishPage(rows, page);
}

/**
 * What settling a job does to its inpainting mask: drops it. The mask is only read by the provider call
 * (the worker holds the claimed row), and up to 4 MiB of base64 per step would otherwise pile up; that a
 * step was masked stays known from its kind ("inpaint").
 */
export const MASK_DROPPED = { maskPng: null } as const;

/** Marks an unsettled job cancelled; undefined when it was settled meanwhile. */
export async function markJobCancelled(
  db: DatabaseLike,
  jobId: string,
): Promise<GenerationJob | undefined> {
  return (
    await db
      .update(generationJobs)
      .set({ state: "cancelled", finishedAt: new Date(), ...MASK_DROPPED })
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
      ...MASK_DROPPED,
    })
    .where(and(eq(generationJobs.id, jobId), inArray(generationJobs.state, UNSETTLED_STATES)));
}

/**
 * Claims the oldest queued job for `claimant` by moving it to "running" with a lease of `leaseMs`, in one
 * atomic UPDATE (two workers claiming at once get different jobs); undefined when none is left. Counts
 * the attempt, which restart recovery bounds.
 */
export async function claimNextQueuedJob(
  db: Database,
  claimant: string,
  leaseMs: number,
): Promise<GenerationJob | undefined> {
  const now = new Date();
  // A read first: the worker looks every second, and an idle look should not take the write lock.
  const any = await db
    .select({ id: generationJobs.id })
    .from(generationJobs)
    .where(eq(generationJobs.state, "queued"))
    .limit(1);
  if (any.length === 0) return undefined;
  return (
    await db.transaction(
      async (tx) =>
        await tx
          .update(generationJobs)
          .set({
            state: "running",
            startedAt: now,
            attempts: sql`${generationJobs.attempts} + 1`,
            claimedBy: claimant,
            claimedUntil: new Date(now.getTime() + leaseMs),
          })
          .where(
            inArray(
              generationJobs.id,
              skipLocked(
                tx,
                tx
                  .select({ id: generationJobs.id })
                  .from(generationJobs)
                  .where(eq(generationJobs.state, "queued"))
                  .orderBy(asc(generationJobs.id))
                  .limit(1),
              ),
            ),
          )
          .returning(),
    )
  )[0];
}

/**
 * Takes over, for `claimant`, the running jobs whose lease ran out (their worker died or stopped), in
 * one atomic UPDATE, so that of two workers recovering at once only one settles each job. Jobs left
 * running before leases existed have none, and count as run out.
 */
export async function claimInterruptedJobs(
  db: Database,
  claimant: string,
  leaseMs: number,
): Promise<GenerationJob[]> {
  const now = new Date();
  return await db.transaction(
    async (tx) =>
      await tx
        .update(generationJobs)
        .set({ claimedBy: claimant, claimedUntil: new Date(now.getTime() + leaseMs) })
        .where(
          inArray(
            generationJobs.id,
            skipLocked(
              tx,
              tx
                .select({ id: generationJobs.id })
                .from(generationJobs)
                .where(
                  and(
                    eq(generationJobs.state, "running"),
                    unclaimed(generationJobs.claimedUntil, now),
                  ),
                )
                .orderBy(asc(generationJobs.id))
                .limit(100),
            ),
          ),
        )
        .returning(),
  );
}

/** Puts a job `claimant` holds back in the queue, unclaimed (a local job interrupted by a stop). */
export async function requeueJob(db: DatabaseLike, jobId: string, claimant: string): Promise<void> {
  await db
    .update(generationJobs)
    .set({ state: "queued", claimedBy: null, claimedUntil: null })
    .where(
      and(
        eq(generationJobs.id, jobId),
        eq(generationJobs.state, "running"),
        eq(generationJobs.claimedBy, claimant),
      ),
    );
}

/** Extends the lease of the running jobs `claimant` holds among `jobIds`. */
export async function renewJobLeases(
  db: DatabaseLike,
  claimant: string,
  jobIds: string[],
  leaseMs: number,
): Promise<void> {
  if (jobIds.length === 0) return;
  await db
    .update(generationJobs)
    .set({ claimedUntil: new Date(Date.now() + leaseMs) })
    .where(
      and(
        inArray(generationJobs.id, jobIds),
        eq(generationJobs.state, "running"),
        eq(generationJobs.claimedBy, claimant),
      ),
    );
}

/**
 * Lets go of the running jobs `claimant` holds among `jobIds` (a stop cut them off), so the next worker
 * to recover settles them at once instead of when the lease runs out.
 */
export async function releaseJobs(
  db: DatabaseLike,
  claimant: string,
  jobIds: string[],
): Promise<void> {
  if (jobIds.length === 0) return;
  await db
    .update(generationJobs)
    .set({ claimedBy: null, claimedUntil: null })
    .where(
      and(
        inArray(generationJobs.id, jobIds),
        eq(generationJobs.state, "running"),
        eq(generationJobs.claimedBy, claimant),
      ),
    );
}
