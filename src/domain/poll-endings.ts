// The end of polls, a durable job: poll_endings holds each poll whose end is still to be announced (a
// local poll from its publication; a remote one once a local account voted). At its time the author and
// every local voter get a `poll` notification and `poll.ended` is recorded (federation sends the final
// Update of our Question); the row goes in the same transaction, so a restart neither repeats nor loses
// an end: at start the job first closes what ended while the server was down. With several workers the
// transaction is the claim: it locks the row first (skipLocked), so each end is announced once.
import { and, asc, eq, isNull, lte, min } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { skipLocked } from "../db/dialect.ts";
import { accounts, pollEndings, pollVotes, statuses } from "../db/schema/index.ts";
import { DueTimer } from "./due-timer.ts";
import { recordEvent } from "./events.ts";
import { addNotification } from "./notification-records.ts";
import { voteInPoll } from "./polls.ts";

export interface PollServiceDeps {
  db: Database;
  /** The clock; tests move it instead of waiting minutes. */
  now?: () => Date;
}

/** Votes (with this service's clock deciding what has ended) and the end-of-poll job. */
export class PollService {
  readonly now: () => Date;
  readonly #db: Database;
  readonly #timer: DueTimer;

  constructor(deps: PollServiceDeps) {
    this.#db = deps.db;
    this.now = deps.now ?? (() => new Date());
    this.#timer = new DueTimer({
      name: "Close ended polls",
      nextDue: async () =>
        (
          await this.#db
            .select({ at: min(pollEndings.endsAt) })
            .from(pollEndings)
            .limit(1)
        )[0]?.at ?? null,
      runDue: async () => await this.closeDue(),
      now: this.now,
    });
  }

  /** A local account's vote (see voteInPoll); the new end of a remote poll may need the timer. */
  async vote(accountId: string, statusId: string, choices: number[]) {
    const status = await voteInPoll(this.#db, accountId, statusId, choices, this.now());
    await this.rearm();
    return status;
  }

  /** Announces every poll ended by now(); returns how many. */
  async closeDue(): Promise<number> {
    let closed = 0;
    for (;;) {
      const due = await this.#db
        .select()
        .from(pollEndings)
        .where(lte(pollEndings.endsAt, this.now()))
        .orderBy(asc(pollEndings.endsAt), asc(pollEndings.statusId))
        .limit(50);
      if (due.length === 0) return closed;
      let settled = 0;
      for (const row of due) {
        const outcome = await this.#close(row.statusId);
        if (outcome === "closed") closed++;
        if (outcome !== "held") settled++;
      }
      // Every due row is another worker's, closing it now: it is done without us.
      if (settled === 0) return closed;
    }
  }

  /** "held" when another worker has the row locked (it announces the end). */
  async #close(statusId: string): Promise<"closed" | "gone" | "held"> {
    return await this.#db.transaction(async (tx) => {
      const [row] = await skipLocked(
        tx,
        tx.select().from(pollEndings).where(eq(pollEndings.statusId, statusId)).limit(1),
      );
      if (row === undefined) {
        const [other] = await tx
          .select({ statusId: pollEndings.statusId })
          .from(pollEndings)
          .where(eq(pollEndings.statusId, statusId))
          .limit(1);
        return other === undefined ? "gone" : "held";
      }
      // Its end was moved (an edit) since it was found due.
      if (row.endsAt > this.now()) return "gone";
      await tx.delete(pollEndings).where(eq(pollEndings.statusId, statusId));
      const status = (
        await tx.select().from(statuses).where(eq(statuses.id, statusId)).limit(1)
      )[0];
      if (status?.poll == null) return "gone";
      const localVoters = (
        await tx
          .selectDistinct({ id: pollVotes.accountId })
          .from(pollVotes)
          .innerJoin(accounts, eq(accounts.id, pollVotes.accountId))
          .where(and(eq(pollVotes.statusId, statusId), isNull(accounts.domain)))
      ).map((r) => r.id);
      // As Mastodon, the notification comes "from" the poll's author, the author's own included.
      const recipients = new Set([...(status.local ? [status.accountId] : []), ...localVoters]);
      for (const accountId of recipients) {
        await addNotification(tx, {
          accountId,
          fromAccountId: status.accountId,
          type: "poll",
          statusId,
        });
      }
      await recordEvent(tx, { type: "poll.ended", statusId });
      return "closed" as const;
    });
  }

  /** Closes what ended while stopped, then keeps the timer armed until close(). */
  async start(): Promise<void> {
    await this.#timer.start();
  }

  /** Sets the timer for the next end (after a poll was published, edited or voted in). */
  async rearm(): Promise<void> {
    await this.#timer.rearm();
  }

  close(): void {
    this.#timer.close();
  }
}
