// Statuses written here: publish (text, 1–N images with alt text and focal point, content warning,
// visibility, reply, AI label and hashtag, remix quote, poll), edit and delete. Each change and its domain event
// are one transaction; federation delivers Create/Update/Delete from the events.

import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Config } from "../config.ts";
import type { Database, DatabaseLike, Transaction } from "../db/client.ts";
import { largerOf } from "../db/dialect.ts";
import { newId } from "../db/ids.ts";
import { canSee } from "../db/queries/visibility.ts";
import { returned } from "../db/returned.ts";
import {
  type Account,
  accounts,
  type MediaAttachment,
  mediaAttachments,
  type QuotePolicy,
  type Status,
  statusEdits,
  statuses,
  statusMentions,
  statusTags,
  tags,
  VISIBILITIES,
  type Visibility,
} from "../db/schema/index.ts";
import { badRequest, forbidden, notFound, unprocessable } from "../errors.ts";
import { type FocalPoint, resolveAltText, validateFocus } from "../media/service.ts";
import { forcedSensitive } from "./account-moderation.ts";
import { hasBlocked } from "./block-policy.ts";
import { addToConversations } from "./conversations.ts";
import { linkStatusEmojis } from "./custom-emojis.ts";
import { notifyAboutEdit, notifyQuoted } from "./edit-notifications.ts";
import { recordEvent } from "./events.ts";
import type { LocalUrls } from "./local-urls.ts";
import { mentionedAccountIds, notifyMentioned } from "./notification-records.ts";
import { refuseBlockedOutputs, warnFlaggedOutputs } from "./output-policy.ts";
import { type PollInput, setLocalPoll, validatePoll } from "./polls.ts";
import { preferencesOf } from "./preferences.ts";
import { quoteColumns, quoteForNewStatus, quoteOnEdit, quotePolicyToStore } from "./quotes.ts";
import { composeContent, remixSource } from "./status-content.ts";
import type { RenderedText } from "./status-text.ts";

export const STATUS_MAX_LENGTH = 5000;
export const SPOILER_MAX_LENGTH = 500;

export interface StatusDeps {
  db: Database;
  urls: LocalUrls;
  config: Config;
}

export interface AttachmentInput {
  id: string;
  /** Alt text; for an AI image an empty one falls back to the prompt. */
  description?: string | null;
  focus?: FocalPoint;
}

export interface PublishStatusInput {
  text?: string;
  /** In display order; the first is the cover image. */
  media?: AttachmentInput[];
  spoilerText?: string;
  sensitive?: boolean;
  visibility?: Visibility;
  inReplyToId?: string | null;
  language?: string | null;
  /** A poll (not together with images, as on Mastodon). */
  poll?: PollInput | null;
  /** Keep the post out of dataset exports (Atelier's own; domain/datasets/selection.ts). */
  datasetOptOut?: boolean;
  /** The status to quote (Mastodon 4.5's quoted_status_id; domain/quotes.ts decides if it may). */
  quotedStatusId?: string | null;
  /** Who may quote this one (absent: public; followers-only and direct posts: nobody). */
  quotePolicy?: QuotePolicy;
}

async function localAccount(db: DatabaseLike, accountId: string) {
  const account = (
    await db
      .select()
      .from(accounts)
      .where(and(eq(accounts.id, accountId), isNull(accounts.domain)))
      .limit(1)
  )[0];
  if (account === undefined) throw forbidden("Only local accounts can post here");
  if (account.suspendedAt !== null) throw forbidden("This account is suspended");
  return account;
}

function validateCommon(input: {
  text?: string;
  spoilerText?: string;
  language?: string | null;
  visibility?: Visibility;
}) {
  if ((input.text ?? "").length > STATUS_MAX_LENGTH) {
    throw badRequest(`The text is too long: at most ${STATUS_MAX_LENGTH} characters`);
  }
  if ((input.spoilerText ?? "").length > SPOILER_MAX_LENGTH) {
    throw badRequest(`The content warning is too long: at most ${SPOILER_MAX_LENGTH} characters`);
  }
  if (input.language != null && !/^[a-z]{2,3}$/.test(input.language)) {
    throw badRequest("The language must be an ISO 639 code such as en");
  }
  if (input.visibility !== undefined && !VISIBILITIES.includes(input.visibility)) {
    throw badRequest(`Visibility must be one of ${VISIBILITIES.join(", ")}`);
  }
}

/**
 * Stores the hashtags and mentions; returns the mentioned account ids. A mention of an account the author blocked is dropped (the text
 * stays, the mention record does not), as Mastodon's ProcessMentionsService: the blocked account is
 * neither notified nor addressed.
 */
async function storeTagsAndMentions(
  tx: Transaction,
  statusId: string,
  authorId: string,
  rendered: RenderedText,
): Promise<string[]> {
  for (const tag of rendered.tags) {
    await tx
      .insert(tags)
      .values({ name: tag.name, displayName: tag.displayName })
      .onConflictDoNothing();
    await tx.insert(statusTags).values({ statusId, tagName: tag.name }).onConflictDoNothing();
  }
  const stored: string[] = [];
  for (const account of rendered.mentions) {
    if (await hasBlocked(tx, authorId, account.id)) continue;
    await tx
      .insert(statusMentions)
      .values({ statusId, accountId: account.id })
      .onConflictDoNothing();
    stored.push(account.id);
  }
  return stored;
}

/** Checks the attachment inputs against the account's rows; returns them in the given order. */
async function loadOwnMedia(
  db: DatabaseLike,
  accountId: string,
  inputs: AttachmentInput[],
  max: number,
): Promise<MediaAttachment[]> {
  if (inputs.length > max) throw badRequest(`A status can have at most ${max} images`);
  const ids = inputs.map((m) => m.id);
  if (new Set(ids).size !== ids.length) throw badRequest("The same image is attached twice");
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(mediaAttachments)
    .where(and(inArray(mediaAttachments.id, ids), eq(mediaAttachments.accountId, accountId)));
  return ids.map((id) => {
    const row = rows.find((r) => r.id === id);
    if (row === undefined) throw badRequest(`No such image of yours: ${id}`);
    if (row.state !== "ready") throw badRequest(`The image ${id} is not ready yet`);
    return row;
  });
}

/**
 * The status `accountId` replies to: it exists, is not a boost, and they may see it. One they may not
 * see (followers-only, direct) is refused exactly as one that does not exist, so the reply neither
 * publishes its id nor confirms it exists.
 */
async function replyTarget(db: DatabaseLike, accountId: string, statusId: string): Promise<Status> {
  const parent = (await db.select().from(statuses).where(eq(statuses.id, statusId)).limit(1))[0];
  if (
    parent === undefined ||
    parent.reblogOfId !== null ||
    !(await canSee(db, parent, accountId))
  ) {
    throw notFound("The status to reply to does not exist");
  }
  return parent;
}

/**
 * Publishes a status by a local account. Attaches the given (unattached, ready) images in order with
 * their alt text and focal points, labels AI images, quotes the remixed status, stores hashtags and
 * mentions, updates the counters and records `status.published`, all in one transaction.
 */
export async function publishStatus(
  deps: StatusDeps,
  accountId: string,
  input: PublishStatusInput,
): Promise<Status> {
  return await deps.db.transaction(async (tx) => await publishStatusIn(tx, deps, accountId, input));
}

/**
 * Checks `input` as publishing it would (text, images free to attach, reply target) without writing
 * anything; scheduling a status checks it now so that a refusal comes at once, as on Mastodon.
 */
export async function checkPublishable(
  db: DatabaseLike,
  deps: StatusDeps,
  accountId: string,
  input: PublishStatusInput,
): Promise<{ account: Account; media: MediaAttachment[]; parent: Status | undefined }> {
  validateCommon(input);
  const text = (input.text ?? "").trim();
  const mediaInputs = input.media ?? [];
  if (text === "" && mediaInputs.length === 0)
    throw badRequest("A status needs text or at least one image");
  if (input.poll != null) {
    if (mediaInputs.length > 0) throw unprocessable("A status cannot have both images and a poll");
    validatePoll(input.poll);
  }
  const account = await localAccount(db, accountId);
  const media = await loadOwnMedia(db, accountId, mediaInputs, deps.config.media.maxAttachments);
  // An image held by a scheduled status is taken until that one is published or cancelled.
  if (media.some((m) => m.statusId !== null || m.scheduledStatusId !== null))
    throw badRequest("An image is already attached to another status");
  await refuseBlockedOutputs(db, deps.config, media);
  const parent = input.inReplyToId
    ? await replyTarget(db, accountId, input.inReplyToId)
    : undefined;
  return { account, media, parent };
}

/** publishStatus inside the caller's transaction (the scheduler publishes and deletes its row in one). */
export async function publishStatusIn(
  tx: Transaction,
  deps: StatusDeps,
  accountId: string,
  input: PublishStatusInput,
): Promise<Status> {
  const text = (input.text ?? "").trim();
  const mediaInputs = input.media ?? [];
  const { account, media, parent } = await checkPublishable(tx, deps, accountId, input);
  const quote = await quoteForNewStatus(
    tx,
    accountId,
    input.quotedStatusId,
    await remixSource(tx, accountId, media),
  );
  const rendered = await composeContent(tx, deps, text, media, quote);
  // What the status does not say comes from the author's preferences, as on Mastodon.
  const prefs = await preferencesOf(tx, accountId);
  const spoilerText = (input.spoilerText ?? "").trim();
  const warned = await warnFlaggedOutputs(
    tx,
    media,
    {
      // A content warning hides the media too, as on Mastodon; so does a moderator's marking.
      sensitive:
        (input.sensitive ?? prefs.defaultSensitive) ||
        spoilerText !== "" ||
        account.sensitizedAt !== null,
      spoilerText,
    },
    SPOILER_MAX_LENGTH,
  );
  const visibility = input.visibility ?? prefs.defaultVisibility;
  const id = newId();
  const now = new Date();
  const row = returned(
    await tx
      .insert(statuses)
      .values({
        id,
        iri: deps.urls.status(id),
        url: deps.urls.statusPage(account.username, id),
        accountId,
        local: true,
        objectType: "Note",
        inReplyToId: parent?.id ?? null,
        inReplyToIri: parent?.iri ?? null,
        inReplyToAccountId: parent?.accountId ?? null,
        ...quoteColumns(quote),
        quotePolicy: quotePolicyToStore(input.quotePolicy, visibility),
        visibility,
        content: rendered.html,
        source: text,
        spoilerText: warned.spoilerText,
        sensitive: warned.sensitive,
        language: input.language === undefined ? prefs.defaultLanguage : input.language,
        datasetOptOut: input.datasetOptOut ?? false,
        createdAt: now,
      })
      .returning(),
  );
  for (const [position, m] of media.entries()) {
    const given = mediaInputs[position]!;
    const focus = given.focus === undefined ? undefined : validateFocus(given.focus);
    await tx
      .update(mediaAttachments)
      .set({
        statusId: id,
        position,
        description: resolveAltText(
          given.description === undefined ? m.description : given.description,
          m.provenance,
        ),
        ...(focus ? { focusX: focus.x, focusY: focus.y, hasFocus: true } : {}),
      })
      .where(eq(mediaAttachments.id, m.id));
  }
  const mentioned = await storeTagsAndMentions(tx, id, accountId, rendered);
  // The same rule as a status from elsewhere: the mentioned and the replied-to are notified.
  await notifyMentioned(tx, row, [...mentioned, ...(parent ? [parent.accountId] : [])]);
  await notifyQuoted(tx, row);
  await addToConversations(tx, row);
  if (input.poll != null) await setLocalPoll(tx, row, input.poll, now);
  await linkStatusEmojis(tx, id, null, [text, row.spoilerText, ...(input.poll?.options ?? [])]);
  await tx
    .update(accounts)
    .set({ statusesCount: sql`${accounts.statusesCount} + 1`, lastStatusAt: now })
    .where(eq(accounts.id, accountId));
  if (parent !== undefined) {
    await tx
      .update(statuses)
      .set({ repliesCount: sql`${statuses.repliesCount} + 1` })
      .where(eq(statuses.id, parent.id));
  }
  await recordEvent(tx, { type: "status.published", statusId: id });
  return input.poll != null
    ? (await tx.select().from(statuses).where(eq(statuses.id, id)).limit(1))[0]!
    : row;
}

export interface EditStatusInput {
  text?: string;
  spoilerText?: string;
  sensitive?: boolean;
  language?: string | null;
  /** New alt text / focal points of the attached images (the set of images itself cannot change). */
  media?: AttachmentInput[];
  /**
   * The poll after the edit: null removes it, undefined keeps it as it is. Changed options (or a changed
   * `multiple`) drop the votes, as on Mastodon.
   */
  poll?: PollInput | null;
  /** Keep the post out of dataset exports, or let it in again; undefined keeps it as it is. */
  datasetOptOut?: boolean;
  /** The status to quote now: absent keeps the quote, null drops it (domain/quotes.ts quoteOnEdit). */
  quotedStatusId?: string | null;
  quotePolicy?: QuotePolicy;
}

async function ownLocalStatus(
  db: DatabaseLike,
  accountId: string,
  statusId: string,
): Promise<Status> {
  const status = (await db.select().from(statuses).where(eq(statuses.id, statusId)).limit(1))[0];
  if (status === undefined || !status.local || status.reblogOfId !== null)
    throw notFound("No such status");
  if (status.accountId !== accountId) throw forbidden("This status is not yours");
  return status;
}

/** Edits a local status, keeping the previous version in status_edits and recording `status.edited`. */
export async function editStatus(
  deps: StatusDeps,
  accountId: string,
  statusId: string,
  input: EditStatusInput,
): Promise<Status> {
  validateCommon(input);
  const updated = await deps.db.transaction(async (tx) => {
    const status = await ownLocalStatus(tx, accountId, statusId);
    const media = await tx
      .select()
      .from(mediaAttachments)
      .where(eq(mediaAttachments.statusId, statusId))
      .orderBy(mediaAttachments.position);
    const text = input.text === undefined ? (status.source ?? "") : input.text.trim();
    if (text === "" && media.length === 0)
      throw badRequest("A status needs text or at least one image");
    if (input.poll != null && media.length > 0) {
      throw unprocessable("A status cannot have both images and a poll");
    }
    // The kept version is stamped with the edit's own time, the status's new edited_at.
    const editedAt = new Date();
    await tx.insert(statusEdits).values({
      id: newId(),
      statusId,
      createdAt: editedAt,
      content: status.content,
      spoilerText: status.spoilerText,
      sensitive: status.sensitive,
      media: media.map((m) => ({ id: m.id, description: m.description })),
    });
    for (const change of input.media ?? []) {
      const m = media.find((row) => row.id === change.id);
      if (m === undefined)
        throw badRequest(`The image ${change.id} is not attached to this status`);
      const focus = change.focus === undefined ? undefined : validateFocus(change.focus);
      const description =
        change.description === undefined
          ? m.description
          : resolveAltText(change.description, m.provenance);
      await tx
        .update(mediaAttachments)
        .set({
          description,
          ...(focus ? { focusX: focus.x, focusY: focus.y, hasFocus: true } : {}),
        })
        .where(eq(mediaAttachments.id, m.id));
    }
    const { quote, columns: quoteChange } = await quoteOnEdit(
      tx,
      status,
      input.quotedStatusId,
      await remixSource(tx, accountId, media),
    );
    const rendered = await composeContent(tx, deps, text, media, quote);
    await tx.delete(statusTags).where(eq(statusTags.statusId, statusId));
    const before = new Set(await mentionedAccountIds(tx, statusId));
    await tx.delete(statusMentions).where(eq(statusMentions.statusId, statusId));
    const mentioned = await storeTagsAndMentions(tx, statusId, status.accountId, rendered);
    // As Mastodon: only the accounts the edit newly mentions are notified.
    await notifyMentioned(
      tx,
      status,
      mentioned.filter((id) => !before.has(id)),
    );
    const requestedSpoiler =
      input.spoilerText === undefined ? status.spoilerText : input.spoilerText.trim();
    const { sensitive, spoilerText } = await warnFlaggedOutputs(
      tx,
      media,
      {
        // A moderator's marking holds through edits too.
        sensitive:
          (input.sensitive === undefined ? status.sensitive : input.sensitive) ||
          requestedSpoiler !== "" ||
          (await forcedSensitive(tx, status.accountId)),
        spoilerText: requestedSpoiler,
      },
      SPOILER_MAX_LENGTH,
    );
    if (input.poll !== undefined) await setLocalPoll(tx, status, input.poll, editedAt);
    const row = returned(
      await tx
        .update(statuses)
        .set({
          content: rendered.html,
          source: text,
          spoilerText,
          sensitive,
          ...(input.language !== undefined ? { language: input.language } : {}),
          ...(input.datasetOptOut !== undefined ? { datasetOptOut: input.datasetOptOut } : {}),
          ...quoteChange,
          ...(input.quotePolicy !== undefined
            ? { quotePolicy: quotePolicyToStore(input.quotePolicy, status.visibility) }
            : {}),
          editedAt,
        })
        .where(eq(statuses.id, statusId))
        .returning(),
    );
    await linkStatusEmojis(tx, statusId, null, [
      text,
      spoilerText,
      ...(row.poll?.options.map((o) => o.title) ?? []),
    ]);
    // A quote the edit added tells its author; the edit itself tells who boosted or quoted the status.
    await notifyQuoted(tx, row);
    await notifyAboutEdit(tx, row);
    await recordEvent(tx, { type: "status.edited", statusId });
    return row;
  });
  return updated;
}

/**
 * Deletes a local status (its attachments' rows go with it; the files stay, as other rows may share
 * them) and records `status.deleted` with what federation needs to address the Delete.
 */
export async function deleteStatus(
  deps: StatusDeps,
  accountId: string,
  statusId: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const status = await ownLocalStatus(tx, accountId, statusId);
    await recordEvent(tx, {
      type: "status.deleted",
      statusId,
      iri: status.iri,
      accountId,
      visibility: status.visibility,
      mentionedAccountIds: await mentionedAccountIds(tx, statusId),
      reblogOfId: null,
    });
    await tx.delete(statuses).where(eq(statuses.id, statusId));
    await tx
      .update(accounts)
      .set({ statusesCount: sql`${largerOf()}(${accounts.statusesCount} - 1, 0)` })
      .where(eq(accounts.id, accountId));
    if (status.inReplyToId !== null) {
      await tx
        .update(statuses)
        .set({ repliesCount: sql`${largerOf()}(${statuses.repliesCount} - 1, 0)` })
        .where(eq(statuses.id, status.inReplyToId));
    }
  });
}
