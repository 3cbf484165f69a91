// Reads the rows a Note or an addressed activity needs (a status with author, media, mentions, tags,
// parent), and the follower inboxes a delivery goes to.
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import type { DatabaseLike } from "../src/db/client.ts";
import { loadStatusEmojis } from "../src/db/queries/emojis.ts";
import {
  type Account,
  accounts,
  follows,
  mediaAttachments,
  pollVotes,
  type Status,
  statuses,
  statusMentions,
  statusTags,
  tags,
} from "../src/db/schema/index.ts";
import type { StatusBundle } from "./mappers/to-ap.ts";

export async function loadStatusBundle(
  db: DatabaseLike,
  status: Status,
): Promise<StatusBundle | null> {
  const author = (
    await db.select().from(accounts).where(eq(accounts.id, status.accountId)).limit(1)
  )[0];
  if (author === undefined) return null;
  const media = await db
    .select()
    .from(mediaAttachments)
    .where(eq(mediaAttachments.statusId, status.id))
    .orderBy(asc(mediaAttachments.position));
  const mentionIds = (
    await db
      .select({ id: statusMentions.accountId })
      .from(statusMentions)
      .where(eq(statusMentions.statusId, status.id))
  ).map((r) => r.id);
  const mentions =
    mentionIds.length === 0
      ? []
      : await db.select().from(accounts).where(inArray(accounts.id, mentionIds));
  const tagNames = (
    await db
      .select({ name: tags.displayName })
      .from(statusTags)
      .innerJoin(tags, eq(tags.name, statusTags.tagName))
      .where(eq(statusTags.statusId, status.id))
  ).map((r) => r.name);
  let inReplyToIri = status.inReplyToIri;
  if (inReplyToIri === null && status.inReplyToId !== null) {
    inReplyToIri =
      (
        await db
          .select({ iri: statuses.iri })
          .from(statuses)
          .where(eq(statuses.id, status.inReplyToId))
          .limit(1)
      )[0]?.iri ?? null;
  }
  let quoteOfIri = status.quoteOfIri;
  if (quoteOfIri === null && status.quoteOfId !== null) {
    quoteOfIri =
      (
        await db
          .select({ iri: statuses.iri })
          .from(statuses)
          .where(eq(statuses.id, status.quoteOfId))
          .limit(1)
      )[0]?.iri ?? null;
  }
  // A remix quotes its source, so its IRI is the quote's (a lookup only if the two ever differ).
  const remixOfIri =
    status.remixOfId === null
      ? null
      : status.remixOfId === status.quoteOfId
        ? quoteOfIri
        : ((
            await db
              .select({ iri: statuses.iri })
              .from(statuses)
              .where(eq(statuses.id, status.remixOfId))
              .limit(1)
          )[0]?.iri ?? null);
  const emojis = (await loadStatusEmojis(db, [status.id])).get(status.id) ?? [];
  return {
    status,
    author,
    media,
    mentions,
    tags: tagNames,
    emojis,
    inReplyToIri,
    quoteOfIri,
    remixOfIri,
  };
}

/** What a delivery needs of an account: who it is and where its inboxes are. */
export type Addressee = Pick<Account, "id" | "iri" | "domain" | "inboxUrl" | "sharedInboxUrl">;

/**
 * Remote accounts following `accountId` (accepted), for addressing deliveries. Only the addressing
 * columns: a popular account has 10,000s of followers, and mapping whole rows was most of the cost.
 */
export async function remoteFollowers(db: DatabaseLike, accountId: string): Promise<Addressee[]> {
  return await db
    .select({
      id: accounts.id,
      iri: accounts.iri,
      domain: accounts.domain,
      inboxUrl: accounts.inboxUrl,
      sharedInboxUrl: accounts.sharedInboxUrl,
    })
    .from(follows)
    .innerJoin(accounts, eq(accounts.id, follows.accountId))
    .where(
      and(
        eq(follows.targetAccountId, accountId),
        eq(follows.state, "accepted"),
        isNotNull(accounts.domain),
      ),
    );
}

/** Remote accounts that voted in a local poll: they are told of its counts, as Mastodon does. */
export async function remotePollVoters(db: DatabaseLike, statusId: string): Promise<Addressee[]> {
  return await db
    .selectDistinct({
      id: accounts.id,
      iri: accounts.iri,
      domain: accounts.domain,
      inboxUrl: accounts.inboxUrl,
      sharedInboxUrl: accounts.sharedInboxUrl,
    })
    .from(pollVotes)
    .innerJoin(accounts, eq(accounts.id, pollVotes.accountId))
    .where(and(eq(pollVotes.statusId, statusId), isNotNull(accounts.domain)));
}
