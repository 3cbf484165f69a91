// Local statuses made the way src/domain/statuses.ts makes them: rows with media, mentions and tags, and
// the domain event in one transaction, so the federation outbox is tested against what it sees in production.
import { eq, sql } from "drizzle-orm";
import { newId } from "../../src/db/ids.ts";
import {
  type Account,
  accounts,
  mediaAttachments,
  type Status,
  statusEdits,
  statuses,
  statusMentions,
  statusTags,
  tags,
  type Visibility,
} from "../../src/db/schema/index.ts";
import type { Deps } from "../../src/deps.ts";
import { recordEvent } from "../../src/domain/events.ts";

export interface TestMedia {
  key: string;
  mediaType?: string;
  width: number;
  height: number;
  description: string;
  blurhash: string;
  focusX?: number;
  focusY?: number;
}

export interface TestStatusInput {
  content: string;
  visibility?: Visibility;
  spoilerText?: string;
  sensitive?: boolean;
  language?: string;
  media?: TestMedia[];
  inReplyTo?: Status;
  mentions?: Account[];
  tags?: string[];
}

/** Publishes a local status with its media as the statuses service does, and kicks the dispatcher. */
export function publishTestStatus(deps: Deps, author: Account, input: TestStatusInput): Status {
  const status = deps.db.transaction((tx) => {
    const id = newId();
    const row = tx
      .insert(statuses)
      .values({
        id,
        iri: deps.urls.status(id),
        url: deps.urls.statusPage(author.username, id),
        accountId: author.id,
        local: true,
        visibility: input.visibility ?? "public",
        content: input.content,
        source: input.content,
        spoilerText: input.spoilerText ?? "",
        sensitive: input.sensitive ?? false,
        language: input.language ?? "en",
        inReplyToId: input.inReplyTo?.id ?? null,
        inReplyToIri: input.inReplyTo?.iri ?? null,
        inReplyToAccountId: input.inReplyTo?.accountId ?? null,
      })
      .returning()
      .get();
    (input.media ?? []).forEach((m, position) => {
      tx.insert(mediaAttachments)
        .values({
          id: newId(),
          accountId: author.id,
          statusId: id,
          position,
          type: "image",
          mediaType: m.mediaType ?? "image/webp",
          originalKey: m.key,
          displayKey: m.key,
          width: m.width,
          height: m.height,
          description: m.description,
          blurhash: m.blurhash,
          focusX: m.focusX ?? 0,
          focusY: m.focusY ?? 0,
        })
        .run();
    });
    for (const account of input.mentions ?? []) {
      tx.insert(statusMentions).values({ statusId: id, accountId: account.id }).run();
    }
    for (const name of input.tags ?? []) {
      tx.insert(tags)
        .values({ name: name.toLowerCase(), displayName: name })
        .onConflictDoNothing()
        .run();
      tx.insert(statusTags).values({ statusId: id, tagName: name.toLowerCase() }).run();
    }
    tx.update(accounts)
      .set({ statusesCount: sql`${accounts.statusesCount} + 1` })
      .where(eq(accounts.id, author.id))
      .run();
    recordEvent(tx, { type: "status.published", statusId: id });
    return row;
  });
  deps.events.kick();
  return status;
}

/** Edits a local status's text as the statuses service does (history kept, event recorded). */
export function editTestStatus(deps: Deps, status: Status, content: string): Status {
  const updated = deps.db.transaction((tx) => {
    tx.insert(statusEdits)
      .values({ id: newId(), statusId: status.id, content: status.content, media: [] })
      .run();
    const row = tx
      .update(statuses)
      .set({ content, source: content, editedAt: new Date() })
      .where(eq(statuses.id, status.id))
      .returning()
      .get();
    recordEvent(tx, { type: "status.edited", statusId: status.id });
    return row;
  });
  deps.events.kick();
  return updated;
}

/** Deletes a local status as the statuses service does. */
export function deleteTestStatus(deps: Deps, status: Status): void {
  deps.db.transaction((tx) => {
    const mentioned = tx
      .select({ id: statusMentions.accountId })
      .from(statusMentions)
      .where(eq(statusMentions.statusId, status.id))
      .all()
      .map((r) => r.id);
    tx.delete(statuses).where(eq(statuses.id, status.id)).run();
    recordEvent(tx, {
      type: "status.deleted",
      statusId: status.id,
      iri: status.iri,
      accountId: status.accountId,
      visibility: status.visibility,
      mentionedAccountIds: mentioned,
      reblogOfId: null,
    });
  });
  deps.events.kick();
}
