// The end of polls, a durable job: poll_endings holds each poll whose end is still to be announced (a
// local poll from its publication; a remote one once a local account voted). At its time the author and
// every local voter get a `poll` notification and `poll.ended` is recorded (federation sends the final
// Update of our Question); the row goes in the same transaction, so a restart neither repeats nor loses
// an end: at start the job first closes what ended while the server was down.
import { and, asc, eq, isNull, lte, min } from "drizzle-orm";
import type { Database } from "../db/client.ts";
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
      nextDue: () =>
        this.#db
          .select({ at: min(pollEndings.endsAt) })
          .from(pollEndings)
          .get()?.at ?? null,
      runDue: () => this.closeDue(),
      now: this.now,
    });
  }

  /** A local account's vote (see voteInPoll); the new end of a remote poll may need the timer. */
  vote(accountId: string, statusId: string, choices: number[]) {
    const status = voteInPoll(this.#db, accountId, statusId, choices, this.now());
    this.rearm();
    return status;
  }

  /** Announces every poll ended by now(); returns how many. */
  closeDue(): number {
    let closed = 0;
    for (;;) {
      const due = this.#db
        .select()
        .from(pollEndings)
        .where(lte(pollEndings.endsAt, this.now()))
        .orderBy(asc(pollEndings.endsAt), asc(pollEndings.statusId))
        .limit(50)
        .all();
      if (due.length === 0) return closed;
      for (const row of due) if (this.#close(row.statusId)) closed++;
    }
  }

  #close(statusId: string): boolean {
    return this.#db.transaction((tx) => {
      const row = tx.select().from(pollEndings).where(eq(pollEndings.statusId, statusId)).get();
      if (row === undefined || row.endsAt > this.now()) return false;
      tx.delete(pollEndings).where(eq(pollEndings.statusId, statusId)).run();
      const status = tx.select().from(statuses).where(eq(statuses.id, statusId)).get();
      if (status?.poll == null) return false;
      const localVoters = tx
        .selectDistinct({ id: pollVotes.accountId })
        .from(pollVotes)
        .innerJoin(accounts, eq(accounts.id, pollVotes.accountId))
        .where(and(eq(pollVotes.statusId, statusId), isNull(accounts.domain)))
        .all()
        .map((r) => r.id);
      // As Mastodon, the notification comes "from" the poll's author, the author's own included.
      const recipients = new Set([...(status.local ? [status.accountId] : []), ...localVoters]);
      for (const accountId of recipients) {
        addNotification(tx, { accountId, fromAccountId: status.accountId, type: "poll", statusId });
      }
      recordEvent(tx, { type: "poll.ended", statusId });
      return true;
    });
  }

  /** Closes what ended while stopped, then keeps the timer armed until close(). */
  start(): void {
    this.#timer.start();
  }

  /** Sets the timer for the next end (after a poll was published, edited or voted in). */
  rearm(): void {
    this.#timer.rearm();
  }

  close(): void {
    this.#timer.close();
  }
}
