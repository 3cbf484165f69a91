// Image generation: jobs (a prompt on its way to images), their candidate images (media attachments not yet
// posted), the instance-wide spending record, and the admin-editable blocked terms of the prompt policy.
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { bigInteger, createdAt, id, timestamp } from "./columns.ts";
import { mediaAttachments } from "./media.ts";
import { statuses } from "./statuses.ts";

export type GenerationJobState = "queued" | "running" | "succeeded" | "failed" | "cancelled";

/**
 * A step of a studio session: a plain generation, or one that works on its parent's image (an instruction
 * edits it, a variation redraws its prompt, a mask limits the edit, or it is reframed to another size).
 */
export type GenerationKind = "generate" | "refine" | "vary" | "inpaint" | "resize";

/** Why a job failed, as a stable code the API and pages can explain. */
export type GenerationErrorCode =
  | "content_policy"
  | "rate_limited"
  | "provider_quota"
  | "timeout"
  | "provider_auth"
  | "provider_error"
  | "invalid_image"
  | "interrupted"
  | "internal";

export const generationJobs = sqliteTable(
  "generation_jobs",
  {
    id: id(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    state: text("state").$type<GenerationJobState>().notNull().default("queued"),
    /** "local" or "openai". */
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    prompt: text("prompt").notNull(),
    negativePrompt: text("negative_prompt"),
    /** "WIDTHxHEIGHT". */
    size: text("size").notNull(),
    /** Provider-specific quality ("low", "medium", "high", "standard", "hd", "auto"). */
    quality: text("quality").notNull().default("auto"),
    /** "auto", "opaque" or "transparent" (gpt-image models). */
    background: text("background").notNull().default("auto"),
    /** Candidates requested. */
    n: integer("n").notNull().default(1),
    /**
     * Seed of the first candidate (local provider; the others use seed+1, seed+2 …): a candidate's can
     * pass 2^31 for a job seeded near the top.
     */
    seed: bigInteger("seed"),
    /** An image to edit (images.edit), for providers and models that can. */
    sourceMediaId: text("source_media_id").references(() => mediaAttachments.id, {
      onDelete: "set null",
    }),
    kind: text("kind").$type<GenerationKind>().notNull().default("generate"),
    /**
     * The generation this step refines (its image is `sourceMediaId`); null for a session's first step
     * and for an edit of an upload. Kept as a plain id: the lineage a posted image carries is copied into
     * its provenance, so deleting an old step loses nothing shown.
     */
    parentId: text("parent_id"),
    /** The studio session: the id of its first step. Null for jobs made before sessions existed. */
    sessionId: text("session_id"),
    /** Steps from the session's first (0), bounded so a chain cannot grow without end. */
    depth: integer("depth").notNull().default(0),
    /** The inpainting mask, PNG as base64 (checked and bounded on the way in; see studio.ts). */
    maskPng: text("mask_png"),
    /** The status whose prompt this job remixes; the post made from it quotes that status. */
    remixOfStatusId: text("remix_of_status_id").references(() => statuses.id, {
      onDelete: "set null",
    }),
    revisedPrompt: text("revised_prompt"),
    /** US dollars × 1,000,000, so sums stay exact. */
    costMicros: bigInteger("cost_micros").notNull().default(0),
    errorCode: text("error_code").$type<GenerationErrorCode>(),
    /** Safe to show to the user (never contains the API key). */
    errorMessage: text("error_message"),
    /** Seconds the provider asked us to wait (rate limits). */
    retryAfterSeconds: integer("retry_after_seconds"),
    attempts: integer("attempts").notNull().default(0),
    /** The worker running the job (see job-store.ts claimNextQueuedJob); null when none does. */
    claimedBy: text("claimed_by"),
    /** Until when it holds it, renewed while it runs: past this, restart recovery settles the job. */
    claimedUntil: timestamp("claimed_until"),
    createdAt: createdAt(),
    startedAt: timestamp("started_at"),
    finishedAt: timestamp("finished_at"),
  },
  (t) => [
    index("generation_jobs_account_idx").on(t.accountId, t.id),
    index("generation_jobs_state_idx").on(t.state, t.id),
    index("generation_jobs_session_idx").on(t.sessionId, t.id),
  ],
);

export type GenerationJob = typeof generationJobs.$inferSelect;
export type NewGenerationJob = typeof generationJobs.$inferInsert;

/** The images a job produced; each is a media attachment (statusId null until posted). */
export const generationCandidates = sqliteTable(
  "generation_candidates",
  {
    jobId: text("job_id")
      .notNull()
      .references(() => generationJobs.id, { onDelete: "cascade" }),
    mediaId: text("media_id")
      .notNull()
      .references(() => mediaAttachments.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    seed: bigInteger("seed"),
    revisedPrompt: text("revised_prompt"),
    /**
     * The output moderation's verdict on the image (the provider's image moderation and/or the instance's
     * hook), kept so that posting applies GENERATION_OUTPUT_POLICY to it (domain/output-policy.ts).
     */
    flagged: integer("flagged", { mode: "boolean" }).notNull().default(false),
    /** The flagged categories (e.g. "violence"); empty when not flagged. */
    flaggedCategories: text("flagged_categories", { mode: "json" })
      .$type<string[]>()
      .notNull()
      .default([]),
  },
  (t) => [
    uniqueIndex("generation_candidates_media_unique").on(t.mediaId),
    index("generation_candidates_job_idx").on(t.jobId, t.position),
  ],
);

export type GenerationCandidate = typeof generationCandidates.$inferSelect;

/** Every paid (or free) provider call, kept even when the job or the account is gone. */
export const generationSpending = sqliteTable(
  "generation_spending",
  {
    id: id(),
    jobId: text("job_id"),
    accountId: text("account_id"),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    size: text("size").notNull(),
    quality: text("quality").notNull(),
    images: integer("images").notNull(),
    /** Sums of micro-dollars grow without bound. */
    costMicros: bigInteger("cost_micros").notNull(),
    /** False when no price was configured for this model/quality/size (cost recorded as 0). */
    priced: integer("priced", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    index("generation_spending_created_idx").on(t.createdAt),
    // The daily quota asks whether a cancelled or failed job was paid for.
    index("generation_spending_job_idx").on(t.jobId),
  ],
);

export type GenerationSpending = typeof generationSpending.$inferSelect;

/** Terms a prompt may not contain (case-insensitive, whole words or phrases); edited by admins. */
export const blockedTerms = sqliteTable("blocked_terms", {
  /** Lower-case term or phrase. */
  term: text("term").primaryKey(),
  reason: text("reason").notNull().default(""),
  createdAt: createdAt(),
});

export type BlockedTerm = typeof blockedTerms.$inferSelect;
