// Announcements: administrators publish notices to every local user (the CLI and the admin page call
// these); users dismiss them and react with emoji. Each change records its event, which the streaming
// API turns into `announcement`, `announcement.reaction` and `announcement.delete`.
import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { findAnnouncement, isCurrent } from "../db/queries/announcements.ts";
import { returned } from "../db/returned.ts";
import {
  type Announcement,
  announcementDismissals,
  announcementReactions,
  announcements,
} from "../db/schema/index.ts";
import { badRequest, notFound } from "../errors.ts";
import { recordEvent } from "./events.ts";

export const ANNOUNCEMENT_MAX_LENGTH = 2000;
/** Distinct emoji on one announcement, as Mastodon's limit. */
export const ANNOUNCEMENT_REACTIONS_MAX = 8;

export interface AnnouncementInput {
  text: string;
  startsAt?: Date | null;
  endsAt?: Date | null;
  allDay?: boolean;
}

function check(input: AnnouncementInput): void {
  const text = input.text.trim();
  if (text === "") throw badRequest("An announcement needs text");
  if (text.length > ANNOUNCEMENT_MAX_LENGTH) {
    throw badRequest(`The text is too long: at most ${ANNOUNCEMENT_MAX_LENGTH} characters`);
  }
  for (const d of [input.startsAt, input.endsAt]) {
    if (d != null && Number.isNaN(d.getTime())) throw badRequest("Not a valid date");
  }
  if (input.startsAt && input.endsAt && input.endsAt.getTime() <= input.startsAt.getTime()) {
    throw badRequest("The end must come after the start");
  }
  if (input.allDay && (!input.startsAt || !input.endsAt)) {
    throw badRequest("An all-day announcement needs a start and an end");
  }
}

/** Publishes an announcement to every local user at once. */
export async function createAnnouncement(
  db: Database,
  input: AnnouncementInput,
): Promise<Announcement> {
  check(input);
  return await db.transaction(async (tx) => {
    const now = new Date();
    const row = returned(
      await tx
        .insert(announcements)
        .values({
          id: newId(),
          text: input.text.trim(),
          startsAt: input.startsAt ?? null,
          endsAt: input.endsAt ?? null,
          allDay: input.allDay ?? false,
          publishedAt: now,
          updatedAt: now,
        })
        .returning(),
    );
    await recordEvent(tx, { type: "announcement.published", announcementId: row.id });
    return row;
  });
}

/** Changes an announcement's text or period; users who dismissed it see it as read still. */
export async function updateAnnouncement(
  db: Database,
  id: string,
  changes: Partial<AnnouncementInput>,
): Promise<Announcement> {
  const current = await findAnnouncement(db, id);
  if (current === undefined) throw notFound("There is no such announcement");
  const next: AnnouncementInput = {
    text: changes.text ?? current.text,
    startsAt: changes.startsAt === undefined ? current.startsAt : changes.startsAt,
    endsAt: changes.endsAt === undefined ? current.endsAt : changes.endsAt,
    allDay: changes.allDay ?? current.allDay,
  };
  check(next);
  return await db.transaction(async (tx) => {
    const row = (
      await tx
        .update(announcements)
        .set({
          text: next.text.trim(),
          startsAt: next.startsAt ?? null,
          endsAt: next.endsAt ?? null,
          allDay: next.allDay ?? false,
          updatedAt: new Date(),
        })
        .where(eq(announcements.id, id))
        .returning()
    )[0]!;
    await recordEvent(tx, { type: "announcement.published", announcementId: id });
    return row;
  });
}

/** Removes an announcement (with its dismissals and reactions); false if there was none. */
export async function removeAnnouncement(db: Database, id: string): Promise<boolean> {
  return await db.transaction(async (tx) => {
    const removed = (await tx.delete(announcements).where(eq(announcements.id, id)).returning())[0];
    if (removed === undefined) return false;
    await recordEvent(tx, { type: "announcement.deleted", announcementId: id });
    return true;
  });
}

/** A current announcement, else 404 (one that ended is as gone to users as a removed one). */
async function currentOr404(db: Database, id: string): Promise<Announcement> {
  const row = await findAnnouncement(db, id);
  if (row === undefined || !isCurrent(row)) throw notFound();
  return row;
}

/** `accountId` marks the announcement as read; repeating it is harmless. */
export async function dismissAnnouncement(
  db: Database,
  accountId: string,
  id: string,
): Promise<void> {
  await currentOr404(db, id);
  await db
    .insert(announcementDismissals)
    .values({ announcementId: id, accountId })
    .onConflictDoNothing();
}

// One unicode emoji (with its modifiers and joiners), the only kind Atelier has: it stores no custom
// emoji of its own.
const EMOJI = /^\p{RGI_Emoji}$/v;

/** `accountId` reacts to the announcement with the emoji `name`; repeating it is harmless. */
export async function addAnnouncementReaction(
  db: Database,
  accountId: string,
  id: string,
  name: string,
): Promise<void> {
  await currentOr404(db, id);
  if (!EMOJI.test(name)) throw badRequest("Name is not a recognized emoji");
  await db.transaction(async (tx) => {
    const names = (
      await tx
        .select({ name: announcementReactions.name })
        .from(announcementReactions)
        .where(eq(announcementReactions.announcementId, id))
        .groupBy(announcementReactions.name)
    ).map((r) => r.name);
    if (!names.includes(name) && names.length >= ANNOUNCEMENT_REACTIONS_MAX) {
      throw badRequest(`An announcement can have at most ${ANNOUNCEMENT_REACTIONS_MAX} reactions`);
    }
    const added = (
      await tx
        .insert(announcementReactions)
        .values({ announcementId: id, accountId, name })
        .onConflictDoNothing()
        .returning()
    )[0];
    if (added !== undefined)
      await recordEvent(tx, { type: "announcement.reaction", announcementId: id, name });
  });
}

/** `accountId` takes back their reaction `name`, if any. */
export async function removeAnnouncementReaction(
  db: Database,
  accountId: string,
  id: string,
  name: string,
): Promise<void> {
  await currentOr404(db, id);
  await db.transaction(async (tx) => {
    const removed = (
      await tx
        .delete(announcementReactions)
        .where(
          and(
            eq(announcementReactions.announcementId, id),
            eq(announcementReactions.accountId, accountId),
            eq(announcementReactions.name, name),
          ),
        )
        .returning()
    )[0];
    if (removed !== undefined) {
      await recordEvent(tx, { type: "announcement.reaction", announcementId: id, name });
    }
  });
}
