// Local statuses going out: Create when published, Update when edited, Delete (with a Tombstone) when
// deleted, Announce for a boost and Undo(Announce) when it is taken back. The Note is built from the
// database rows, so whatever service wrote them, the same Note goes out.

import { Announce, Delete, PUBLIC_COLLECTION, Undo } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { inArray } from "drizzle-orm";
import { findAccountById } from "../../src/db/queries/accounts.ts";
import { accounts } from "../../src/db/schema/index.ts";
import type { EventOf } from "../../src/domain/events.ts";
import { findStatusById } from "../../src/domain/remote-statuses.ts";
import { loadStatusBundle } from "../loaders.ts";
import { ExtendedUpdate } from "../mappers/extensions.ts";
import {
  addressing,
  boostToAnnounce,
  noteToCreate,
  statusToNote,
  tombstone,
} from "../mappers/to-ap.ts";
import { audience, type Outbox, send } from "./send.ts";

export async function noteActivity(outbox: Outbox, statusId: string) {
  const status = await findStatusById(outbox.deps.db, statusId);
  if (status === undefined || !status.local || status.reblogOfId !== null) return null;
  const bundle = await loadStatusBundle(outbox.deps.db, status);
  if (bundle === null) return null;
  const note = statusToNote(bundle, outbox.deps.urls, outbox.deps.config.domain);
  const withFollowers = status.visibility !== "direct";
  const recipients = await audience(outbox, bundle.author, bundle.mentions, withFollowers);
  // Replies also go to the author of the status replied to, so the thread shows up there; quotes to
  // the quoted post's author, who may revoke them (Mastodon 4.5 delivers them there too).
  const quotedAuthorId = status.quoteOfId
    ? (await findStatusById(outbox.deps.db, status.quoteOfId))?.accountId
    : undefined;
  for (const accountId of [status.inReplyToAccountId, quotedAuthorId]) {
    if (accountId == null || status.visibility === "direct") continue;
    const other = await findAccountById(outbox.deps.db, accountId, { includeSuspended: true });
    if (other !== undefined) {
      recipients.push(...(await audience(outbox, bundle.author, [other], false)));
    }
  }
  return { status, bundle, note, recipients };
}

export async function sendStatusCreate(outbox: Outbox, event: EventOf<"status.published">) {
  const built = await noteActivity(outbox, event.statusId);
  if (built === null) return;
  const { status, bundle, note, recipients } = built;
  await send(outbox, bundle.author, recipients, noteToCreate(status.iri, bundle.author.iri, note));
}

export async function sendStatusUpdate(outbox: Outbox, event: EventOf<"status.edited">) {
  const built = await noteActivity(outbox, event.statusId);
  if (built === null) return;
  const { status, bundle, note, recipients } = built;
  const at = status.editedAt ?? new Date();
  const update = new ExtendedUpdate({
    id: new URL(`${status.iri}#updates/${at.getTime()}`),
    actor: new URL(bundle.author.iri),
    object: note,
    updated: Temporal.Instant.fromEpochMilliseconds(at.getTime()),
    tos: note.toIds,
    ccs: note.ccIds,
  });
  await send(outbox, bundle.author, recipients, update);
}

export async function sendStatusDelete(outbox: Outbox, event: EventOf<"status.deleted">) {
  const author = await findAccountById(outbox.deps.db, event.accountId, { includeSuspended: true });
  if (author === undefined || author.domain !== null) return;
  const mentioned =
    event.mentionedAccountIds.length === 0
      ? []
      : await outbox.deps.db
          .select()
          .from(accounts)
          .where(inArray(accounts.id, event.mentionedAccountIds));
  if (event.reblogOfId) {
    // A boost taken back: Undo(Announce) to the followers and the boosted status's author.
    const original = await findStatusById(outbox.deps.db, event.reblogOfId);
    const originalAuthor = original
      ? await findAccountById(outbox.deps.db, original.accountId, { includeSuspended: true })
      : undefined;
    const announce = new Announce({
      id: new URL(event.iri),
      actor: new URL(author.iri),
      object: original ? new URL(original.iri) : null,
    });
    const undo = new Undo({
      id: new URL(`${event.iri}#undo`),
      actor: new URL(author.iri),
      object: announce,
      tos: [PUBLIC_COLLECTION],
    });
    await send(
      outbox,
      author,
      await audience(outbox, author, originalAuthor ? [originalAuthor] : [], true),
      undo,
    );
    return;
  }
  const { tos, ccs } = addressing(
    event.visibility,
    author.followersUrl ?? outbox.deps.urls.followers(author.username),
    mentioned.map((m) => m.iri),
  );
  const del = new Delete({
    id: new URL(`${event.iri}#delete`),
    actor: new URL(author.iri),
    object: tombstone(event.iri),
    tos,
    ccs,
  });
  await send(
    outbox,
    author,
    await audience(outbox, author, mentioned, event.visibility !== "direct"),
    del,
  );
}

export async function sendBoost(outbox: Outbox, event: EventOf<"reblog.created">) {
  const boost = await findStatusById(outbox.deps.db, event.statusId);
  if (boost === undefined || !boost.local || boost.reblogOfId === null) return;
  const author = await findAccountById(outbox.deps.db, boost.accountId, { includeSuspended: true });
  const original = await findStatusById(outbox.deps.db, boost.reblogOfId);
  if (author === undefined || original === undefined) return;
  const originalAuthor = await findAccountById(outbox.deps.db, original.accountId, {
    includeSuspended: true,
  });
  const announce = boostToAnnounce(boost, author, original, originalAuthor, outbox.deps.urls);
  await send(
    outbox,
    author,
    await audience(outbox, author, originalAuthor ? [originalAuthor] : [], true),
    announce,
  );
}
