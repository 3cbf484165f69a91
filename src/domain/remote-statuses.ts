// Statuses that arrive from other servers: stored with their attachments, mentions and hashtags (HTML
// sanitized, sizes bounded), edited when an Update comes, dropped on Delete. Local users who are
// mentioned or replied to are notified.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { preparedPerHandle } from "../db/prepared.ts";
import {
  type Account,
  accounts,
  type MediaProvenance,
  type MediaType,
  mediaAttachments,
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
import { recordEvent } from "./events.ts";
import { htmlToText, sanitizeRemoteHtml } from "./html-sanitizer.ts";
import { mentionedAccountIds, notifyMentioned } from "./notification-records.ts";
import { dropVotesOnChangedOptions } from "./polls.ts";

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
  published: Date | null;
  updated: Date | null;
  attachments: RemoteAttachmentInput[];
  /** A Question's options and counts, already bounded by the mapper. */
  poll: StatusPoll | null;
  /** Actor ids of mentioned accounts (only the ones stored here are linked). */
  mentionIris: string[];
  /** Hashtag names without '#'. */
  tags: string[];
}

const statusByIri = preparedPerHandle((db) =>
  db
    .select()
    .from(statuses)
    .where(eq(statuses.iri, sql.placeholder("iri")))
    .prepare(),
);

export function findStatusByIri(db: DatabaseLike, iri: string): Status | undefined {
  return statusByIri(db).get({ iri });
}

export function findStatusById(db: DatabaseLike, id: string): Status | undefined {
  return db.select().from(statuses).where(eq(statuses.id, id)).get();
}

/** Sanitized, bounded fields of a status as they are stored. */
function storedFields(input: RemoteStatusInput) {
  return {
    content: sanitizeRemoteHtml(input.content.slice(0, REMOTE_STATUS_LIMITS.content)),
    spoilerText: htmlToText(input.spoilerText.slice(0, REMOTE_STATUS_LIMITS.spoilerText)),
    sensitive: input.sensitive || input.spoilerText.trim() !== "",
    language: input.language?.slice(0, 16) ?? null,
    poll: input.poll,
  };
}

function insertAttachments(tx: DatabaseLike, status: Status, input: RemoteStatusInput): void {
  input.attachments.slice(0, REMOTE_STATUS_LIMITS.attachments).forEach((a, position) => {
    tx.insert(mediaAttachments)
      .values({
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
      })
      .run();
  });
}

function linkMentionsAndTags(tx: DatabaseLike, status: Status, input: RemoteStatusInput): string[] {
  const iris = [...new Set(input.mentionIris)].slice(0, REMOTE_STATUS_LIMITS.mentions);
  const mentioned =
    iris.length === 0 ? [] : tx.select().from(accounts).where(inArray(accounts.iri, iris)).all();
  for (const account of mentioned) {
    tx.insert(statusMentions)
      .values({ statusId: status.id, accountId: account.id })
      .onConflictDoNothing()
      .run();
  }
  const names = [
    ...new Set(
      input.tags
        .map((t) => t.replace(/^#/, "").trim())
        .filter((t) => /^[\p{L}\p{N}_]{1,100}$/u.test(t)),
    ),
  ].slice(0, REMOTE_STATUS_LIMITS.tags);
  for (const name of names) {
    tx.insert(tags)
      .values({ name: name.toLowerCase(), displayName: name })
      .onConflictDoNothing()
      .run();
    tx.insert(statusTags)
      .values({ statusId: status.id, tagName: name.toLowerCase() })
      .onConflictDoNothing()
      .run();
  }
  return mentioned.map((a) => a.id);
}

/**
 * Stores a status received from `author`. Idempotent by the status id: the same status again returns the
 * stored row. Local accounts mentioned or replied to are notified.
 */
export function receiveRemoteStatus(
  db: Database,
  author: Account,
  input: RemoteStatusInput,
): Status {
  const existing = findStatusByIri(db, input.iri);
  if (existing !== undefined) return existing;
  return db.transaction((tx) => {
    const parent = input.inReplyToIri ? findStatusByIri(tx, input.inReplyToIri) : undefined;
    const quoted = input.quoteOfIri ? findStatusByIri(tx, input.quoteOfIri) : undefined;
    const created = input.published ?? new Date();
    const status = tx
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
        visibility: input.visibility,
        ...storedFields(input),
        createdAt: created,
        editedAt: input.updated && input.updated > created ? input.updated : null,
        fetchedAt: new Date(),
      })
      .returning()
      .get();
    insertAttachments(tx, status, input);
    const mentionedIds = linkMentionsAndTags(tx, status, input);
    if (parent !== undefined) {
      tx.update(statuses)
        .set({ repliesCount: sql`${statuses.repliesCount} + 1` })
        .where(eq(statuses.id, parent.id))
        .run();
    }
    notifyMentioned(tx, status, [...mentionedIds, ...(parent ? [parent.accountId] : [])]);
    addToConversations(tx, status);
    tx.update(accounts)
      .set({ statusesCount: sql`${accounts.statusesCount} + 1`, lastStatusAt: created })
      .where(eq(accounts.id, author.id))
      .run();
    recordEvent(tx, { type: "status.received", statusId: status.id });
    return status;
  });
}

/**
 * Applies an edit of a stored remote status by its author: the previous version goes to the history,
 * content and attachments are replaced. Returns null when the status is unknown or not the author's.
 */
export function updateRemoteStatus(
  db: Database,
  author: Account,
  input: RemoteStatusInput,
): Status | null {
  return db.transaction((tx) => {
    const status = findStatusByIri(tx, input.iri);
    if (status === undefined || status.accountId !== author.id || status.local) return null;
    const oldMedia = tx
      .select({
        id: mediaAttachments.id,
        description: mediaAttachments.description,
        remoteUrl: mediaAttachments.remoteUrl,
      })
      .from(mediaAttachments)
      .where(eq(mediaAttachments.statusId, status.id))
      .all();
    const fields = storedFields(input);
    dropVotesOnChangedOptions(tx, status, fields.poll);
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
      return tx
        .update(statuses)
        .set({ poll: fields.poll, fetchedAt: new Date() })
        .where(eq(statuses.id, status.id))
        .returning()
        .get();
    }
    // The kept version is stamped with the edit's own time, the status's new edited_at.
    const editedAt = input.updated ?? new Date();
    tx.insert(statusEdits)
      .values({
        id: newId(),
        statusId: status.id,
        createdAt: editedAt,
        content: status.content,
        spoilerText: status.spoilerText,
        sensitive: status.sensitive,
        media: oldMedia.map((m) => ({ id: m.id, description: m.description })),
      })
      .run();
    const updated = tx
      .update(statuses)
      .set({
        ...fields,
        visibility: status.visibility,
        editedAt,
        fetchedAt: new Date(),
      })
      .where(eq(statuses.id, status.id))
      .returning()
      .get();
    tx.delete(mediaAttachments).where(eq(mediaAttachments.statusId, status.id)).run();
    insertAttachments(tx, updated, input);
    tx.delete(statusTags).where(eq(statusTags.statusId, status.id)).run();
    // Mentions are kept and added to; only the accounts this version newly mentions are notified.
    const before = new Set(mentionedAccountIds(tx, status.id));
    const now = linkMentionsAndTags(tx, updated, input);
    notifyMentioned(
      tx,
      updated,
      now.filter((id) => !before.has(id)),
    );
    recordEvent(tx, { type: "status.remote-updated", statusId: status.id });
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
export function deleteRemoteStatus(db: Database, author: Account, iri: string): boolean {
  return db.transaction((tx) => {
    const status = findStatusByIri(tx, iri);
    if (status === undefined || status.accountId !== author.id || status.local) return false;
    if (status.inReplyToId !== null) {
      tx.update(statuses)
        .set({ repliesCount: sql`max(0, ${statuses.repliesCount} - 1)` })
        .where(eq(statuses.id, status.inReplyToId))
        .run();
    }
    if (status.reblogOfId !== null) {
      tx.update(statuses)
        .set({ reblogsCount: sql`max(0, ${statuses.reblogsCount} - 1)` })
        .where(eq(statuses.id, status.reblogOfId))
        .run();
    }
    tx.delete(statuses).where(eq(statuses.id, status.id)).run();
    tx.update(accounts)
      .set({ statusesCount: sql`max(0, ${accounts.statusesCount} - 1)` })
      .where(and(eq(accounts.id, author.id), isNull(accounts.suspendedAt)))
      .run();
    return true;
  });
}
