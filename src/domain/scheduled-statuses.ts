// Scheduled statuses (Mastodon's): a status written now and published later. Scheduling checks it as
// publishing would, holds its images, and keeps Mastodon's limits; the scheduler publishes each one at its
// time through publishStatus (so federation, notifications and AI labels happen as for any post) and
// deletes its row in the same transaction, so a crash in between can never publish it twice. With several
// workers, the transaction is also the claim: it starts by locking the row (skipLocked: on PostgreSQL a
// row another worker is publishing is passed over; SQLite's IMMEDIATE transactions take turns, and the
// second finds the row gone), so each scheduled status is published once.

import { and, asc, count, eq, gte, lt, lte, min, ne } from "drizzle-orm";
import type { DatabaseLike, Transaction } from "../db/client.ts";
import { skipLocked } from "../db/dialect.ts";
import { newId } from "../db/ids.ts";
import { returned } from "../db/returned.ts";
import {
  mediaAttachments,
  type ScheduledStatus,
  type ScheduledStatusParams,
  scheduledStatuses,
} from "../db/schema/index.ts";
import { AppError, notFound, unprocessable } from "../errors.ts";
import { logger } from "../logging.ts";
import { DueTimer } from "./due-timer.ts";
import { quotableStatus } from "./quotes.ts";
import {
  checkPublishable,
  type PublishStatusInput,
  publishStatusIn,
  type StatusDeps,
} from "./statuses.ts";

const log = logger("domain", "scheduled-statuses");

/** Mastodon's ScheduledStatus::MINIMUM_OFFSET: a scheduled status is at least this far ahead. */
export const SCHEDULE_MIN_OFFSET_MS = 5 * 60_000;
/** Mastodon's ScheduledStatus::TOTAL_LIMIT and DAILY_LIMIT (per account; a day is a UTC date). */
export const SCHEDULED_TOTAL_LIMIT = 300;
export const SCHEDULED_DAILY_LIMIT = 25;
const DAY_MS = 86_400_000;

export interface ScheduleStatusInput extends PublishStatusInput {
  /** The OAuth application posting it (null for a token without one). */
  applicationId?: string | null;
}

export interface ScheduledStatusDeps extends StatusDeps {
  /** The clock; tests move it instead of waiting minutes. */
  now?: () => Date;
}

/** Whether `at` is too close to `now` to be scheduled (Mastodon's five-minute rule). */
export function tooSoonToSchedule(at: Date, now: Date): boolean {
  return at.getTime() <= now.getTime() + SCHEDULE_MIN_OFFSET_MS;
}

/**
 * Mastodon's checks of a scheduled time, with its messages ("Validation failed: …" as Rails words a
 * RecordInvalid): far enough ahead, and room under the total and the daily limit. `except` is the row
 * being rescheduled, which does not count against itself.
 */
async function checkSchedule(
  db: DatabaseLike,
  accountId: string,
  at: Date,
  now: Date,
  except?: string,
): Promise<void> {
  const reasons: string[] = [];
  if (tooSoonToSchedule(at, now)) {
    reasons.push("Scheduled at The scheduled date must be in the future");
  }
  const mine = async (...more: ReturnType<typeof eq>[]) =>
    (
      await db
        .select({ n: count() })
        .from(scheduledStatuses)
        .where(
          and(
            eq(scheduledStatuses.accountId, accountId),
            ...(except === undefined ? [] : [ne(scheduledStatuses.id, except)]),
            ...more,
          ),
        )
        .limit(1)
    )[0]?.n ?? 0;
  if ((await mine()) >= SCHEDULED_TOTAL_LIMIT) {
    reasons.push(`You have exceeded the limit of ${SCHEDULED_TOTAL_LIMIT} scheduled posts`);
  }
  const dayStart = new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
  const dayEnd = new Date(dayStart.getTime() + DAY_MS);
  if (
    (await mine(
      gte(scheduledStatuses.scheduledAt, dayStart),
      lt(scheduledStatuses.scheduledAt, dayEnd),
    )) >= SCHEDULED_DAILY_LIMIT
  ) {
    reasons.push(
      `You have exceeded the limit of ${SCHEDULED_DAILY_LIMIT} scheduled posts for today`,
    );
  }
  if (reasons.length > 0) throw unprocessable(`Validation failed: ${reasons.join(", ")}`);
}

async function ownScheduled(
  db: DatabaseLike,
  accountId: string,
  id: string,
): Promise<ScheduledStatus> {
  const row = (
    await db
      .select()
      .from(scheduledStatuses)
      .where(and(eq(scheduledStatuses.id, id), eq(scheduledStatuses.accountId, accountId)))
      .limit(1)
  )[0];
  // Someone else's scheduled status is as unknown as a missing one.
  if (row === undefined) throw notFound();
  return row;
}

async function scheduledExists(db: DatabaseLike, id: string): Promise<boolean> {
  const rows = await db
    .select({ id: scheduledStatuses.id })
    .from(scheduledStatuses)
    .where(eq(scheduledStatuses.id, id))
    .limit(1);
  return rows.length > 0;
}

function toPublishInput(params: ScheduledStatusParams): PublishStatusInput {
  return {
    text: params.text,
    media: params.mediaIds.map((id) => ({ id })),
    ...(params.spoilerText !== null ? { spoilerText: params.spoilerText } : {}),
    ...(params.sensitive !== null ? { sensitive: params.sensitive } : {}),
    ...(params.visibility !== null ? { visibility: params.visibility } : {}),
    inReplyToId: params.inReplyToId,
    // None given: the author's default language applies when it is published.
    ...(params.language !== null ? { language: params.language } : {}),
    poll: params.poll ?? null,
    ...(params.datasetOptOut === true ? { datasetOptOut: true } : {}),
    quotedStatusId: params.quotedStatusId ?? null,
    ...(params.quotePolicy ? { quotePolicy: params.quotePolicy } : {}),
  };
}

/**
 * Schedules, reschedules and cancels, and publishes what is due. One timer sleeps until the next due
 * time; every change re-arms it. At start it first publishes what fell due while the server was down.
 */
export class ScheduledStatusService {
  readonly now: () => Date;
  readonly #deps: StatusDeps;
  readonly #timer: DueTimer;

  constructor(deps: ScheduledStatusDeps) {
    this.#deps = { db: deps.db, urls: deps.urls, config: deps.config };
    this.now = deps.now ?? (() => new Date());
    this.#timer = new DueTimer({
      name: "Publish scheduled statuses",
      nextDue: async () =>
        (
          await this.#deps.db
            .select({ at: min(scheduledStatuses.scheduledAt) })
            .from(scheduledStatuses)
            .limit(1)
        )[0]?.at ?? null,
      runDue: async () => await this.publishDue(),
      now: this.now,
    });
  }

  /**
   * Whether a status posted with `scheduledAt` is to be scheduled: Mastodon publishes one whose time
   * has already passed at once, and refuses one less than five minutes ahead (schedule() says so).
   */
  wantsScheduling(scheduledAt: Date): boolean {
    return scheduledAt.getTime() > this.now().getTime();
  }

  /** Checks `input` as publishing would, then stores it with its images held. */
  async schedule(
    accountId: string,
    input: ScheduleStatusInput,
    scheduledAt: Date,
  ): Promise<ScheduledStatus> {
    const row = await this.#deps.db.transaction(async (tx) => {
      await checkSchedule(tx, accountId, scheduledAt, this.now());
      const { media } = await checkPublishable(tx, this.#deps, accountId, input);
      // A quote it may not make is refused now, as the rest (it is checked again when published).
      if (input.quotedStatusId) await quotableStatus(tx, accountId, input.quotedStatusId);
      const id = newId();
      const created = returned(
        await tx
          .insert(scheduledStatuses)
          .values({
            id,
            accountId,
            scheduledAt,
            params: {
              text: (input.text ?? "").trim(),
              mediaIds: media.map((m) => m.id),
              sensitive: input.sensitive ?? null,
              spoilerText: input.spoilerText ?? null,
              visibility: input.visibility ?? null,
              inReplyToId: input.inReplyToId ?? null,
              language: input.language ?? null,
              applicationId: input.applicationId ?? null,
              ...(input.datasetOptOut === true ? { datasetOptOut: true } : {}),
              quotedStatusId: input.quotedStatusId ?? null,
              quotePolicy: input.quotePolicy ?? null,
              poll:
                input.poll == null
                  ? null
                  : {
                      options: input.poll.options.map((o) => o.trim()),
                      expiresIn: input.poll.expiresIn,
                      multiple: input.poll.multiple === true,
                      hideTotals: input.poll.hideTotals === true,
                    },
            },
          })
          .returning(),
      );
      for (const [position, m] of media.entries()) {
        await tx
          .update(mediaAttachments)
          .set({ scheduledStatusId: id, position })
          .where(eq(mediaAttachments.id, m.id));
      }
      return created;
    });
    await this.rearm();
    return row;
  }

  /** Moves a scheduled status to another time, under the same rules as scheduling it. */
  async reschedule(accountId: string, id: string, scheduledAt: Date): Promise<ScheduledStatus> {
    const row = await this.#deps.db.transaction(async (tx) => {
      await ownScheduled(tx, accountId, id);
      await checkSchedule(tx, accountId, scheduledAt, this.now(), id);
      return returned(
        await tx
          .update(scheduledStatuses)
          .set({ scheduledAt })
          .where(eq(scheduledStatuses.id, id))
          .returning(),
      );
    });
    await this.rearm();
    return row;
  }

  /** Cancels a scheduled status; its images are free again (the foreign key sets them loose). */
  async cancel(accountId: string, id: string): Promise<void> {
    await this.#deps.db.transaction(async (tx) => {
      await ownScheduled(tx, accountId, id);
      await tx.delete(scheduledStatuses).where(eq(scheduledStatuses.id, id));
    });
    await this.rearm();
  }

  /** Publishes every scheduled status due by now(), oldest time first; returns how many went out. */
  async publishDue(): Promise<number> {
    let published = 0;
    for (;;) {
      const due = await this.#deps.db
        .select()
        .from(scheduledStatuses)
        .where(lte(scheduledStatuses.scheduledAt, this.now()))
        .orderBy(asc(scheduledStatuses.scheduledAt), asc(scheduledStatuses.id))
        .limit(50);
      if (due.length === 0) return published;
      let settled = 0;
      for (const row of due) {
        const outcome = await this.#publish(row);
        if (outcome === "published") published++;
        if (outcome !== "held") settled++;
      }
      // Every due row is another worker's, being published now: it is done without us.
      if (settled === 0) return published;
    }
  }

  /**
   * Publishes one and deletes its row in one transaction; one that can no longer go out is dropped.
   * "held" when another worker has it locked (it publishes it), "gone" when it was published or
   * cancelled meanwhile.
   */
  async #publish(row: ScheduledStatus): Promise<"published" | "dropped" | "gone" | "held"> {
    const { db } = this.#deps;
    try {
      return await db.transaction(async (tx: Transaction) => {
        // Read again inside the transaction, locked: a cancel or another worker may have come first.
        const [still] = await skipLocked(
          tx,
          tx.select().from(scheduledStatuses).where(eq(scheduledStatuses.id, row.id)).limit(1),
        );
        if (still === undefined) return (await scheduledExists(tx, row.id)) ? "held" : "gone";
        // The images are released to the status being published (publishing refuses held ones).
        await tx
          .update(mediaAttachments)
          .set({ scheduledStatusId: null })
          .where(eq(mediaAttachments.scheduledStatusId, row.id));
        await publishStatusIn(tx, this.#deps, row.accountId, toPublishInput(still.params));
        await tx.delete(scheduledStatuses).where(eq(scheduledStatuses.id, row.id));
        return "published" as const;
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // Mastodon discards a scheduled status that fails validation when due (the replied-to status or
      // an image was deleted, the account suspended): retrying would fail the same way forever.
      log.warn("Dropping scheduled status {id} that can no longer be published: {reason}", {
        id: row.id,
        reason: error.message,
      });
      await db.delete(scheduledStatuses).where(eq(scheduledStatuses.id, row.id));
      return "dropped";
    }
  }

  /** Publishes what fell due while stopped, then keeps the timer armed until close(). */
  async start(): Promise<void> {
    await this.#timer.start();
  }

  /** Sets the timer again for the next due time (after a change to the scheduled statuses). */
  async rearm(): Promise<void> {
    await this.#timer.rearm();
  }

  close(): void {
    this.#timer.close();
  }
}
