// PostgreSQL's generation jobs, candidates, spending and blocked terms: the tables of
// src/db/schema/generation.ts. Seeds, costs and sizes are bigint: a candidate's seed is the job's plus its
// position (past 2^31 for a job seeded near the top), and sums of micro-dollars grow without bound.
import { bigint, boolean, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { GenerationErrorCode, GenerationJobState } from "../../schema/generation.ts";
import { accounts } from "./accounts.ts";
import { createdAt, id, timestamp } from "./columns.ts";
import { mediaAttachments } from "./media.ts";
import { statuses } from "./statuses.ts";

export const generationJobs = pgTable(
  "generation_jobs",
  {
    id: id(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    state: text("state").$type<GenerationJobState>().notNull().default("queued"),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    prompt: text("prompt").notNull(),
    negativePrompt: text("negative_prompt"),
    size: text("size").notNull(),
    quality: text("quality").notNull().default("auto"),
    background: text("background").notNull().default("auto"),
    n: integer("n").notNull().default(1),
    seed: bigint("seed", { mode: "number" }),
    sourceMediaId: text("source_media_id").references(() => mediaAttachments.id, {
      onDelete: "set null",
    }),
    remixOfStatusId: text("remix_of_status_id").references(() => statuses.id, {
      onDelete: "set null",
    }),
    revisedPrompt: text("revised_prompt"),
    costMicros: bigint("cost_micros", { mode: "number" }).notNull().default(0),
    errorCode: text("error_code").$type<GenerationErrorCode>(),
    errorMessage: text("error_message"),
    retryAfterSeconds: integer("retry_after_seconds"),
    attempts: integer("attempts").notNull().default(0),
    claimedBy: text("claimed_by"),
    claimedUntil: timestamp("claimed_until"),
    createdAt: createdAt(),
    startedAt: timestamp("started_at"),
    finishedAt: timestamp("finished_at"),
  },
  (t) => [
    index("generation_jobs_account_idx").on(t.accountId, t.id),
    index("generation_jobs_state_idx").on(t.state, t.id),
  ],
);

export const generationCandidates = pgTable(
  "generation_candidates",
  {
    jobId: text("job_id")
      .notNull()
      .references(() => generationJobs.id, { onDelete: "cascade" }),
    mediaId: text("media_id")
      .notNull()
      .references(() => mediaAttachments.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    seed: bigint("seed", { mode: "number" }),
    revisedPrompt: text("revised_prompt"),
  },
  (t) => [
    uniqueIndex("generation_candidates_media_unique").on(t.mediaId),
    index("generation_candidates_job_idx").on(t.jobId, t.position),
  ],
);

export const generationSpending = pgTable(
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
    costMicros: bigint("cost_micros", { mode: "number" }).notNull(),
    priced: boolean("priced").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    index("generation_spending_created_idx").on(t.createdAt),
    index("generation_spending_job_idx").on(t.jobId),
  ],
);

export const blockedTerms = pgTable("blocked_terms", {
  term: text("term").primaryKey(),
  reason: text("reason").notNull().default(""),
  createdAt: createdAt(),
});
