// Polls (Mastodon's): the limits a new poll must keep, the poll a status is published or edited with,
// votes by local accounts (on local and remote polls) and by remote actors (on ours, from their vote
// Notes). A local poll's counts are recounted from poll_votes at each vote, so they are always real; a
// remote poll's counts are its server's, bumped by our own votes until its next Update says better.
import { and, count, countDistinct, eq } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { canSee } from "../db/queries/visibility.ts";
import {
  type Account,
  pollEndings,
  pollVotes,
  type Status,
  type StatusPoll,
  statuses,
} from "../db/schema/index.ts";
import { notFound, unprocessable } from "../errors.ts";
import { logger } from "../logging.ts";
import { recordEvent } from "./events.ts";

const log = logger("domain", "polls");

/** Mastodon's defaults (PollValidator): what /api/v1/instance announces and publishing enforces. */
export const POLL_LIMITS = {
  minOptions: 2,
  maxOptions: 4,
  maxCharactersPerOption: 50,
  /** Seconds: five minutes … one month (Mastodon's 2,629,746 s, a twelfth of a year). */
  minExpiration: 300,
  maxExpiration: 2_629_746,
} as const;

/** A poll as a client posts it (poll[options][], poll[expires_in], poll[multiple], poll[hide_totals]). */
export interface PollInput {
  options: string[];
  /** Seconds from publication. */
  expiresIn: number;
  multiple?: boolean;
  hideTotals?: boolean;
}

/** Refuses a poll outside Mastodon's limits (422, as its PollValidator). */
export function validatePoll(input: PollInput): void {
  const options = input.options.map((o) => o.trim());
  const reasons: string[] = [];
  if (options.length < POLL_LIMITS.minOptions) reasons.push("Poll must have at least two options");
  if (options.length > POLL_LIMITS.maxOptions) {
    reasons.push(`Poll can have at most ${POLL_LIMITS.maxOptions} options`);
  }
  if (options.some((o) => o === "")) reasons.push("Poll options cannot be blank");
  if (options.some((o) => [...o].length > POLL_LIMITS.maxCharactersPerOption)) {
    reasons.push(
      `Poll options can be at most ${POLL_LIMITS.maxCharactersPerOption} characters each`,
    );
  }
  if (new Set(options).size !== options.length) reasons.push("Poll options must differ");
  if (!Number.isInteger(input.expiresIn) || input.expiresIn < POLL_LIMITS.minExpiration) {
    reasons.push(`Poll must last at least ${POLL_LIMITS.minExpiration} seconds`);
  } else if (input.expiresIn > POLL_LIMITS.maxExpiration) {
    reasons.push(`Poll can last at most ${POLL_LIMITS.maxExpiration} seconds`);
  }
  if (reasons.length > 0) throw unprocessable(`Validation failed: ${reasons.join(", ")}`);
}

/** A new local poll with no votes, ending `expiresIn` seconds after `now`. */
export function newPoll(input: PollInput, now: Date): StatusPoll {
  return {
    options: input.options.map((title) => ({ title: title.trim(), votesCount: 0 })),
    multiple: input.multiple === true,
    expiresAt: new Date(now.getTime() + input.expiresIn * 1000).toISOString(),
    votersCount: 0,
    hideTotals: input.hideTotals === true,
  };
}

/** Whether the poll has ended by `now`. */
export function pollExpired(poll: StatusPoll, now: Date): boolean {
  return poll.expiresAt !== null && Date.parse(poll.expiresAt) <= now.getTime();
}

/**
 * Sets (or, with null, removes) the poll of a local status inside the caller's transaction, with its
 * end-of-poll job. Changing the options or `multiple` drops the votes, as Mastodon's edit does; the
 * end moves to `expiresIn` from now either way.
 */
export async function setLocalPoll(
  tx: DatabaseLike,
  status: Status,
  input: PollInput | null,
  now: Date,
): Promise<void> {
  if (input === null) {
    if (status.poll === null) return;
    await tx.delete(pollVotes).where(eq(pollVotes.statusId, status.id));
    await tx.delete(pollEndings).where(eq(pollEndings.statusId, status.id));
    await tx
      .update(statuses)
      .set({ poll: null, objectType: "Note" })
      .where(eq(statuses.id, status.id));
    return;
  }
  validatePoll(input);
  const poll = newPoll(input, now);
  const previous = status.poll;
  const sameChoices =
    previous !== null &&
    previous.multiple === poll.multiple &&
    previous.options.map((o) => o.title).join("\n") === poll.options.map((o) => o.title).join("\n");
  if (!sameChoices) await tx.delete(pollVotes).where(eq(pollVotes.statusId, status.id));
  await tx.update(statuses).set({ poll, objectType: "Question" }).where(eq(statuses.id, status.id));
  if (sameChoices) await recount(tx, status.id);
  await scheduleEnding(tx, status.id, new Date(poll.expiresAt!));
}

/** (Re)arms the end-of-poll job of a poll. */
async function scheduleEnding(tx: DatabaseLike, statusId: string, endsAt: Date): Promise<void> {
  await tx
    .insert(pollEndings)
    .values({ statusId, endsAt })
    .onConflictDoUpdate({ target: pollEndings.statusId, set: { endsAt } });
}

/** Recounts a local poll from its votes and stores the counts on its status. */
async function recount(tx: DatabaseLike, statusId: string): Promise<StatusPoll | null> {
  const status = (await tx.select().from(statuses).where(eq(statuses.id, statusId)).limit(1))[0];
  if (status?.poll == null) return null;
  const perChoice = new Map(
    (
      await tx
        .select({ choice: pollVotes.choice, n: count() })
        .from(pollVotes)
        .where(eq(pollVotes.statusId, statusId))
        .groupBy(pollVotes.choice)
    ).map((r) => [r.choice, r.n]),
  );
  const voters =
    (
      await tx
        .select({ n: countDistinct(pollVotes.accountId) })
        .from(pollVotes)
        .where(eq(pollVotes.statusId, statusId))
        .limit(1)
    )[0]?.n ?? 0;
  const poll: StatusPoll = {
    ...status.poll,
    options: status.poll.options.map((o, i) => ({
      title: o.title,
      votesCount: perChoice.get(i) ?? 0,
    })),
    votersCount: voters,
  };
  await tx.update(statuses).set({ poll }).where(eq(statuses.id, statusId));
  return poll;
}

/** The choices `accountId` made in a poll, in option order. */
export async function choicesOf(
  db: DatabaseLike,
  statusId: string,
  accountId: string,
): Promise<number[]> {
  return (
    await db
      .select({ choice: pollVotes.choice })
      .from(pollVotes)
      .where(and(eq(pollVotes.statusId, statusId), eq(pollVotes.accountId, accountId)))
      .orderBy(pollVotes.choice)
  ).map((r) => r.choice);
}

/**
 * A local account votes: `choices` are option indexes. The poll must be visible to them (404 otherwise,
 * as a missing one), still open, not their own, not voted in yet, and the choices in range and single on
 * a single-choice poll (422, as Mastodon's VoteValidator). Records `poll.voted`: federation sends the
 * votes to a remote poll's author, or an Update of our own Question.
 */
export async function voteInPoll(
  db: Database,
  accountId: string,
  statusId: string,
  choices: number[],
  now: Date,
): Promise<Status> {
  return await db.transaction(async (tx) => {
    const status = (await tx.select().from(statuses).where(eq(statuses.id, statusId)).limit(1))[0];
    if (
      status?.poll == null ||
      status.reblogOfId !== null ||
      !(await canSee(tx, status, accountId))
    ) {
      throw notFound();
    }
    const poll = status.poll;
    if (pollExpired(poll, now))
      throw unprocessable("Validation failed: The poll has already ended");
    if (status.accountId === accountId) {
      throw unprocessable("Validation failed: You cannot vote in your own poll");
    }
    if ((await choicesOf(tx, statusId, accountId)).length > 0) {
      throw unprocessable("Validation failed: You have already voted on this poll");
    }
    const unique = [...new Set(choices)];
    if (unique.length === 0) throw unprocessable("Validation failed: Choose at least one option");
    if (unique.some((c) => !Number.isInteger(c) || c < 0 || c >= poll.options.length)) {
      throw unprocessable("Validation failed: That option does not exist");
    }
    if (!poll.multiple && unique.length > 1) {
      throw unprocessable("Validation failed: This poll allows a single choice");
    }
    const voteIds: string[] = [];
    for (const choice of unique) {
      const id = newId(now);
      await tx.insert(pollVotes).values({ id, statusId, accountId, choice, createdAt: now });
      voteIds.push(id);
    }
    if (status.local) await recount(tx, statusId);
    else {
      // Our votes show at once; the remote server's next Update brings the true counts.
      const counted: StatusPoll = {
        ...poll,
        options: poll.options.map((o, i) =>
          unique.includes(i) ? { ...o, votesCount: o.votesCount + 1 } : o,
        ),
        votersCount: poll.votersCount === null ? null : poll.votersCount + 1,
      };
      await tx.update(statuses).set({ poll: counted }).where(eq(statuses.id, statusId));
      // The voter is told when the remote poll ends too.
      if (poll.expiresAt !== null) {
        await tx
          .insert(pollEndings)
          .values({ statusId, endsAt: new Date(poll.expiresAt) })
          .onConflictDoNothing();
      }
    }
    await recordEvent(tx, { type: "poll.voted", statusId, accountId, voteIds });
    return (await tx.select().from(statuses).where(eq(statuses.id, statusId)).limit(1))[0]!;
  });
}

/**
 * A remote actor's vote on one of our polls: a Note named after an option, in reply to the Question.
 * Counted once per actor and option (once per actor on a single-choice poll), only for an existing
 * option of an open poll the actor may see. Returns whether it was counted.
 */
export async function receiveRemoteVote(
  db: Database,
  voter: Account,
  status: Status,
  optionTitle: string,
  iri: string,
  now: Date,
): Promise<boolean> {
  return await db.transaction(async (tx) => {
    const poll = status.poll;
    if (!status.local || poll === null || voter.domain === null) return false;
    const choice = poll.options.findIndex((o) => o.title === optionTitle);
    const refuse = (reason: string) => {
      log.info("Not counting the vote {iri} of {actor}: {reason}.", {
        iri,
        actor: voter.iri,
        reason,
      });
      return false;
    };
    if (choice < 0) return refuse("no such option");
    if (pollExpired(poll, now)) return refuse("the poll has ended");
    if (!(await canSee(tx, status, voter.id))) return refuse("the voter may not see the poll");
    const earlier = await choicesOf(tx, status.id, voter.id);
    if (earlier.includes(choice) || (!poll.multiple && earlier.length > 0)) {
      return refuse("already voted");
    }
    const id = newId(now);
    await tx
      .insert(pollVotes)
      .values({ id, statusId: status.id, accountId: voter.id, choice, iri: iri.slice(0, 2048) });
    await recount(tx, status.id);
    await recordEvent(tx, {
      type: "poll.voted",
      statusId: status.id,
      accountId: voter.id,
      voteIds: [id],
    });
    return true;
  });
}

/**
 * A remote poll refreshed by its server's Update: votes of ours on options that changed no longer
 * count (Mastodon resets a poll whose options are edited).
 */
export async function dropVotesOnChangedOptions(
  tx: DatabaseLike,
  status: Status,
  next: StatusPoll | null,
): Promise<void> {
  const before = status.poll?.options.map((o) => o.title).join("\n");
  const after = next?.options.map((o) => o.title).join("\n");
  if (before !== undefined && before !== after) {
    await tx.delete(pollVotes).where(eq(pollVotes.statusId, status.id));
  }
}
