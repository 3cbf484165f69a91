// Polls going out. A local account's vote on a remote poll: one Create of a Note per choice, named after
// the option, in reply to the Question and addressed to its author only (as Mastodon sends votes). A vote
// on one of our polls, and its end: an Update of the Question with the new counts, to the author's
// followers and the remote voters (Mastodon sends the same; it waits three minutes to gather votes, we
// send at once, and like it nothing while the totals are hidden until the end).
import { Note } from "@fedify/vocab";
import { and, eq, inArray } from "drizzle-orm";
import { findAccountById } from "../../src/db/queries/accounts.ts";
import { pollVotes } from "../../src/db/schema/index.ts";
import type { EventOf } from "../../src/domain/events.ts";
import { findStatusById } from "../../src/domain/remote-statuses.ts";
import { remotePollVoters } from "../loaders.ts";
import { ExtendedCreate, ExtendedUpdate } from "../mappers/extensions.ts";
import { audience, type Outbox, send } from "./send.ts";
import { noteActivity } from "./statuses.ts";

export async function sendPollVote(outbox: Outbox, event: EventOf<"poll.voted">) {
  const { db } = outbox.deps;
  const status = await findStatusById(db, event.statusId);
  if (status?.poll == null) return;
  if (status.local) {
    if (status.poll.hideTotals) return;
    await sendQuestionUpdate(outbox, event.statusId, `votes/${event.voteIds[0] ?? "0"}`);
    return;
  }
  const voter = await findAccountById(db, event.accountId, { includeSuspended: true });
  const pollAuthor = await findAccountById(db, status.accountId, { includeSuspended: true });
  if (voter === undefined || voter.domain !== null || pollAuthor === undefined) return;
  const votes =
    event.voteIds.length === 0
      ? []
      : await db
          .select()
          .from(pollVotes)
          .where(and(eq(pollVotes.statusId, status.id), inArray(pollVotes.id, event.voteIds)));
  const recipients = await audience(outbox, voter, [pollAuthor], false);
  for (const vote of votes) {
    const title = status.poll.options[vote.choice]?.title;
    if (title === undefined) continue;
    const id = `${voter.iri}#votes/${vote.id}`;
    const note = new Note({
      id: new URL(id),
      name: title,
      attribution: new URL(voter.iri),
      replyTarget: new URL(status.iri),
      to: new URL(pollAuthor.iri),
    });
    const create = new ExtendedCreate({
      id: new URL(`${id}/activity`),
      actor: new URL(voter.iri),
      object: note,
      to: new URL(pollAuthor.iri),
    });
    await send(outbox, voter, recipients, create);
  }
}

export async function sendPollEnd(outbox: Outbox, event: EventOf<"poll.ended">) {
  // Named after the end time: a poll edited after its end ends again under another id.
  const status = await findStatusById(outbox.deps.db, event.statusId);
  const end = status?.poll?.expiresAt ? Date.parse(status.poll.expiresAt) : 0;
  await sendQuestionUpdate(outbox, event.statusId, `end/${end}`);
}

/** The Question with its current counts, to whoever saw it: followers, mentioned, remote voters. */
async function sendQuestionUpdate(outbox: Outbox, statusId: string, suffix: string) {
  const built = await noteActivity(outbox, statusId);
  if (built === null || built.status.poll === null) return;
  const { status, bundle, note, recipients } = built;
  const voters = await audience(
    outbox,
    bundle.author,
    await remotePollVoters(outbox.deps.db, statusId),
    false,
  );
  const update = new ExtendedUpdate({
    // One id per change: receivers drop an activity id they have seen.
    id: new URL(`${status.iri}#updates/poll/${suffix}`),
    actor: new URL(bundle.author.iri),
    object: note,
    tos: note.toIds,
    ccs: note.ccIds,
  });
  const seen = new Set(recipients.map((r) => r.id));
  await send(
    outbox,
    bundle.author,
    [...recipients, ...voters.filter((v) => !seen.has(v.id))],
    update,
  );
}
