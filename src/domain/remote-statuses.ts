// Statuses that arrive from other servers: stored with their attachments, mentions and hashtags (HTML
// sanitized, sizes bounded), edited when an Update comes, dropped on Delete. Local users who are
// mentioned or replied to are notified.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { largerOf, takeTurns } from "../db/dialect.ts";
import { newId } from "../db/ids.ts";
import { preparedPerHandle } from "../db/prepared.ts";
import { returned } from "../db/returned.ts";
import {
  type Account,
  accounts,
  type MediaProvenance,
  type MediaType,
  mediaAttachments,
  type QuotePolicy,
  type Status,
  type StatusPoll,
  statusEdits,
  statuses,
  statusMentions,
  statusTags,
  tags,
  type Visibility,
} from "../db/schema/index.ts";
import { addToConversations } from "./conversations.ts";
import { linkStatusEmojis } from "./custom-emojis.ts";
import { notifyAboutEdit, notifyQuoted } from "./edit-notifications.ts";
import { recordEvent } from "./events.ts";
import { htmlToText, sanitizeRemoteHtml } from "./html-sanitizer.ts";
import { mentionedAccountIds, notifyMentioned } from "./notification-records.ts";
import { dropVotesOnChangedOptions } from "./polls.ts";
import { initialQuoteState, quoteAuthorizedByUpdate } from "./quotes.ts";
import { receivedRemixSource } from "./remix.ts";
import { persistRemoteEmojis, type RemoteEmojiInput, usedEmojiInputs } from "./remote-emojis.ts";

export const REMOTE_STATUS_LIMITS = {
  content: 100_000,
  spoilerText: 2_000,
  attachments: 16,
  mentions: 100,
  tags: 50,
  description: 5_000,
};

export interface RemoteAttachmentInput {
  type: MediaType;
  remoteUrl: string;
  mediaType: string | null;
  description: string | null;
  width: number | null;
  height: number | null;
  blurhash: string | null;
  /** The sent focal point (−1…1), or null when the sender gave none. */
  focus: { x: number; y: number } | null;
  /** Atelier's AI provenance extension, already bounded (provenanceFromJsonLd). */
  provenance?: MediaProvenance | null;
}

export interface RemoteStatusInput {
  iri: string;
  url: string | null;
  objectType: string;
  visibility: Visibility;
  /** HTML as received; sanitized here. */
  content: string;
  spoilerText: string;
  sensitive: boolean;
  language: string | null;
  inReplyToIri: string | null;
  quoteOfIri: string | null;
  /**
   * The status it remixes (Atelier's `remixOf`), an http(s) IRI already bounded by the mapper. Only
   * linked when it is the quoted status or one stored here: it is never fetched.
   */
  remixOfIri?: string | null;
  published: Date | null;
  updated: Date | null;
  attachments: RemoteAttachmentInput[];
  /** A Question's options and counts, already bounded by the mapper. */
  poll: StatusPoll | null;
  /** Actor ids of mentioned accounts (only the ones stored here are linked). */
  mentionIris: string[];
  /** Hashtag names without '#'. */
  tags: string[];
  /** The object's `Emoji` tags (only those its text uses are kept). */
  emojis?: RemoteEmojiInput[];
  /** Who may quote it, from its interactionPolicy.canQuote (null or absent: it said nothing). */
  quotePolicy?: QuotePolicy | null;
  /** The QuoteAuthorization of its quote, once the caller checked that the quoted author issued it. */
  quoteAuthorizationIri?: string | null;
}

const statusByIri = preparedPerHandle((db) =>
  db
    .select()
    .from(statuses)
    .where(eq(statuses.iri, sql.placeholder("iri")))
    .prepare(),
);

export async function findStatusByIri(db: DatabaseLike, iri: string): Promise<Status | undefined> {
  return await statusByIri(db).get({ iri });
}

export async function findStatusById(db: DatabaseLike, id: string): Promise<Status | undefined> {
  return (await db.select().from(statuses).where(eq(statuses.id, id)).limit(1))[0];
}

/** Sanitized, bounded fields of a status as they are stored. */
function storedFields(input: RemoteStatusInput, author: Account) {
  return {
    content: sanitizeRemoteHtml(input.content.slice(0, REMOTE_STATUS_LIMITS.content)),
    spoilerText: htmlToText(input.spoilerText.slice(0, REMOTE_STATUS_LIMITS.spoilerText)),
    // An author our moderators marked sensitive is sensitive whatever its server says.
    sensitive: input.sensitive || input.spoilerText.trim() !== "" || author.sensitizedAt !== null,
    language: input.language?.slice(0, 16) ?? null,
    poll: input.poll,
    quotePolicy: input.quotePolicy ?? null,
  };
}

async function insertAttachments(
  tx: DatabaseLike,
  status: Status,
  input: RemoteStatusInput,
): Promise<void> {
  for (const [position, a] of input.attachments
    .slice(0, REMOTE_STATUS_LIMITS.attachments)
    .entries()) {
    await tx.insert(mediaAttachments).values({
      id: newId(),
      accountId: status.accountId,
      statusId: status.id,
      position,
      type: a.type,
      mediaType: a.mediaType,
      remoteUrl: a.remoteUrl,
      width: a.width,
      height: a.height,
      description:
        a.description === null ? null : a.description.slice(0, REMOTE_STATUS_LIMITS.description),
      blurhash: a.blurhash,
      focusX: a.focus?.x ?? 0,
      focusY: a.focus?.y ?? 0,
      hasFocus: a.focus !== null,
      provenance: a.provenance ?? null,
    });
  }
}

async function linkMentionsAndTags(
  tx: DatabaseLike,
  status: Status,
  input: RemoteStatusInput,
): Promise<string[]> {
  const iris = [...new Set(input.mentionIris)].slice(0, REMOTE_STATUS_LIMITS.mentions);
  const mentioned =
    iris.length === 0 ? [] : await tx.select().from(accounts).where(inArray(accounts.iri, iris));
  for (const account of mentioned) {
    await tx
      .insert(statusMentions)
      .values({ statusId: status.id, accountId: account.id })
      .onConflictDoNothing();
  }
  const names = [
    ...new Set(
      input.tags
        .map((t) => t.replace(/^#/, "").trim())
        .filter((t) => /^[\p{L}\p{N}_]{1,100}$/u.test(t)),
    ),
  ].slice(0, REMOTE_STATUS_LIMITS.tags);
  for (const name of names) {
    await tx
      .insert(tags)
      .values({ name: name.toLowerCase(), displayName: name })
      .onConflictDoNothing();
    await tx
      .insert(statusTags)
      .values({ statusId: status.id, tagName: name.toLowerCase() })
      .onConflictDoNothing();
  }
  return mentioned.map((a) => a.id);
}

/** Stores the emojis the status's texts use (of its author's server) and links them to it. */
async function linkEmojis(
  tx: DatabaseLike,
  status: Status,
  author: Account,
  input: RemoteStatusInput,
): Promise<void> {
  if (author.domain === null) return;
  const texts = [
    htmlToText(status.content),
    status.spoilerText,
    ...(status.poll?.options.map((o) => o.title) ?? []),
  ];
  await persistRemoteEmojis(tx, author.domain, usedEmojiInputs(input.emojis ?? [], texts));
  await linkStatusEmojis(tx, status.id, author.domain, texts);
}

/**
 * Stores a status received from `author`. Idempotent by the status id: the same status again returns the
 * stored row. Local accounts mentioned or replied to are notified.
 */
export async function receiveRemoteStatus(
  db: Database,
  author: Account,
  input: RemoteStatusInput,
): Promise<Status> {
  const existing = await findStatusByIri(db, input.iri);
  if (existing !== undefined) return existing;
  return await db.transaction(async (tx) => {
    // Checked again in turn: the same status may arrive twice at once (two inboxes, a fetched reply
    // parent), and both would insert it.
    await takeTurns(tx, `remote-status:${input.iri}`);
    const stored = await findStatusByIri(tx, input.iri);
    if (stored !== undefined) return stored;
    const parent = input.inReplyToIri ? await findStatusByIri(tx, input.inReplyToIri) : undefined;
    const quoted = input.quoteOfIri ? await findStatusByIri(tx, input.quoteOfIri) : undefined;
    const remixOf = await receivedRemixSource(tx, input, quoted);
    const created = input.published ?? new Date();
    const status = returned(
      await tx
        .insert(statuses)
        .values({
          // A published time in the future would sort the status above everything else for ever.
          id: newId(Math.min(created.getTime(), Date.now())),
          iri: input.iri,
          url: input.url,
          accountId: author.id,
          local: false,
          objectType: input.objectType,
          inReplyToId: parent?.id ?? null,
          inReplyToIri: input.inReplyToIri,
          inReplyToAccountId: parent?.accountId ?? null,
          quoteOfId: quoted?.id ?? null,
          quoteOfIri: input.quoteOfIri,
          remixOfId: remixOf?.id ?? null,
          // Quoting a local post is decided by its policy here; a remote one by its author's consent.
          quoteState: input.quoteOfIri
            ? await initialQuoteState(tx, quoted, author.id, Boolean(input.quoteAuthorizationIri))
            : null,
          quoteAuthorizationIri: input.quoteAuthorizationIri ?? null,
          visibility: input.visibility,
          ...storedFields(input, author),
          createdAt: created,
          editedAt: input.updated && input.updated > created ? input.updated : null,
          fetchedAt: new Date(),
        })
        .returning(),
    );
    await insertAttachments(tx, status, input);
    const mentionedIds = await linkMentionsAndTags(tx, status, input);
    await linkEmojis(tx, status, author, input);
    if (parent !== undefined) {
      await tx
        .update(statuses)
        .set({ repliesCount: sql`${statuses.repliesCount} + 1` })
        .where(eq(statuses.id, parent.id));
    }
    await notifyMentioned(tx, status, [...mentionedIds, ...(parent ? [parent.accountId] : [])]);
    await notifyQuoted(tx, status);
    await addToConversations(tx, status);
    await tx
      .update(accounts)
      .set({ statusesCount: sql`${accounts.statusesCount} + 1`, lastStatusAt: created })
      .where(eq(accounts.id, author.id));
    await recordEvent(tx, { type: "status.received", statusId: status.id });
    return status;
  });
}

/**
 * Applies an edit of a stored remote status by its author: the previous version goes to the history,
 * content and attachments are replaced. Returns null when the status is unknown or not the author's.
 */
export async function updateRemoteStatus(
  db: Database,
  author: Account,
  input: RemoteStatusInput,
): Promise<Status | null> {
  return await db.transaction(async (tx) => {
    const status = await findStatusByIri(tx, input.iri);
    if (status === undefined || status.accountId !== author.id || status.local) return null;
    const oldMedia = await tx
      .select({
        id: mediaAttachments.id,
        description: mediaAttachments.description,
        remoteUrl: mediaAttachments.remoteUrl,
      })
      .from(mediaAttachments)
      .where(eq(mediaAttachments.statusId, status.id));
    const fields = storedFields(input, author);
    await dropVotesOnChangedOptions(tx, status, fields.poll);
    // A poll's new counts (Mastodon sends an Update of the Question at votes and at its end) are no edit:
    // nothing goes to the history and no "edited" mark appears, as Mastodon keeps them apart.
    if (
      status.poll !== null &&
      fields.poll !== null &&
      fields.content === status.content &&
      fields.spoilerText === status.spoilerText &&
      fields.sensitive === status.sensitive &&
      samePollOptions(status.poll, fields.poll) &&
      sameUrls(
        oldMedia.map((m) => m.remoteUrl),
        input.attachments.slice(0, REMOTE_STATUS_LIMITS.attachments).map((a) => a.remoteUrl),
      )
    ) {
      return returned(
        await tx
          .update(statuses)
          .set({ poll: fields.poll, fetchedAt: new Date() })
          .where(eq(statuses.id, status.id))
          .returning(),
      );
    }
    // The kept version is stamped with the edit's own time, the status's new edited_at.
    const editedAt = input.updated ?? new Date();
    await tx.insert(statusEdits).values({
      id: newId(),
      statusId: status.id,
      createdAt: editedAt,
      content: status.content,
      spoilerText: status.spoilerText,
      sensitive: status.sensitive,
      media: oldMedia.map((m) => ({ id: m.id, description: m.description })),
    });
    // The edit names its source afresh, read as on a Create (a status stored here by IRI, never fetched;
    // an edit keeps the quote); a version that names none is no remix any more.
    const remixOf = await receivedRemixSource(tx, { ...input, quoteOfIri: null }, undefined);
    const updated = returned(
      await tx
        .update(statuses)
        .set({
          ...fields,
          ...quoteAuthorizedByUpdate(status, input),
          remixOfId: remixOf?.id ?? null,
          visibility: status.visibility,
          editedAt,
          fetchedAt: new Date(),
        })
        .where(eq(statuses.id, status.id))
        .returning(),
    );
    await tx.delete(mediaAttachments).where(eq(mediaAttachments.statusId, status.id));
    await insertAttachments(tx, updated, input);
    await tx.delete(statusTags).where(eq(statusTags.statusId, status.id));
    // Mentions are kept and added to; only the accounts this version newly mentions are notified.
    const before = new Set(await mentionedAccountIds(tx, status.id));
    const now = await linkMentionsAndTags(tx, updated, input);
    await linkEmojis(tx, updated, author, input);
    await notifyMentioned(
      tx,
      updated,
      now.filter((id) => !before.has(id)),
    );
    await notifyAboutEdit(tx, updated);
    await recordEvent(tx, { type: "status.remote-updated", statusId: status.id });
    return updated;
  });
}

function samePollOptions(a: StatusPoll, b: StatusPoll): boolean {
  return (
    a.multiple === b.multiple &&
    a.options.map((o) => o.title).join("\n") === b.options.map((o) => o.title).join("\n")
  );
}

const sameUrls = (a: (string | null)[], b: string[]) => a.join("\n") === b.join("\n");

/** Deletes a remote status (or boost) by its id, if `author` owns it. Returns whether one was deleted. */
export async function deleteRemoteStatus(
  db: Database,
  author: Account,
  iri: string,
): Promise<boolean> {
  return await db.transaction(async (tx) => {
    const status = await findStatusByIri(tx, iri);
    if (status === undefined || status.accountId !== author.id || status.local) return false;
    if (status.inReplyToId !== null) {
      await tx
        .update(statuses)
        .set({ repliesCount: sql`${largerOf()}(0, ${statuses.repliesCount} - 1)` })
        .where(eq(statuses.id, status.inReplyToId));
    }
    if (status.reblogOfId !== null) {
      await tx
        .update(statuses)
        .set({ reblogsCount: sql`${largerOf()}(0, ${statuses.reblogsCount} - 1)` })
        .where(eq(statuses.id, status.reblogOfId));
    }
    await tx.delete(statuses).where(eq(statuses.id, status.id));
    await tx
      .update(accounts)
      .set({ statusesCount: sql`${largerOf()}(0, ${accounts.statusesCount} - 1)` })
      .where(and(eq(accounts.id, author.id), isNull(accounts.suspendedAt)));
    return true;
  });
}
