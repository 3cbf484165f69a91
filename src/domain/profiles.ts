// Profile edits of local accounts (display name, bio, flags, profile fields). The change and an
// `account.updated` event commit together, so federation sends the Update to followers.
import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { type Account, accounts, type ProfileField } from "../db/schema/index.ts";
import { notFound, unprocessable } from "../errors.ts";
import { linkAccountEmojis } from "./custom-emojis.ts";
import { applyDatasetChoices, type DatasetChoices } from "./datasets/choices.ts";
import { recordEvent } from "./events.ts";

export const DISPLAY_NAME_MAX = 30;
export const NOTE_MAX = 500;
export const FIELDS_MAX = 4;
export const FIELD_NAME_MAX = 255;
export const FIELD_VALUE_MAX = 255;

export interface ProfileChanges {
  displayName?: string;
  /** The bio as typed (plain text); stored as HTML (see noteToHtml). */
  note?: string;
  locked?: boolean;
  bot?: boolean;
  discoverable?: boolean;
  indexable?: boolean;
  fields?: { name: string; value: string }[];
  /** A media attachment of the account (already processed) to show as avatar or header. */
  avatarMediaId?: string;
  headerMediaId?: string;
  /** The settings form's dataset choices, saved with the profile (one transaction, one Update). */
  dataset?: Partial<DatasetChoices>;
}

/** Applies profile changes to a local account; rejects over-long values with 422 and per-field details. */
export async function updateProfile(
  db: Database,
  accountId: string,
  changes: ProfileChanges,
): Promise<Account> {
  const details: Record<string, { error: string; description: string }[]> = {};
  const tooLong = (key: string, max: number) => {
    details[key] = [
      { error: "ERR_TOO_LONG", description: `is too long (maximum is ${max} characters)` },
    ];
  };
  if (changes.displayName !== undefined && [...changes.displayName].length > DISPLAY_NAME_MAX) {
    tooLong("display_name", DISPLAY_NAME_MAX);
  }
  if (changes.note !== undefined && [...changes.note].length > NOTE_MAX) tooLong("note", NOTE_MAX);
  let fields: ProfileField[] | undefined;
  if (changes.fields !== undefined) {
    const kept = changes.fields
      .map((f) => ({ name: f.name.trim(), value: f.value.trim() }))
      .filter((f) => f.name !== "" || f.value !== "");
    if (kept.length > FIELDS_MAX) {
      details.fields = [{ error: "ERR_TOO_MANY", description: `at most ${FIELDS_MAX} fields` }];
    } else if (
      kept.some((f) => f.name.length > FIELD_NAME_MAX || f.value.length > FIELD_VALUE_MAX)
    ) {
      tooLong("fields", FIELD_VALUE_MAX);
    }
    // Field values are HTML wherever they are shown or federated; what a user types is text.
    fields = kept.map((f) => ({ name: f.name, value: escapeHtml(f.value) }));
  }
  if (Object.keys(details).length > 0) {
    // Mastodon's wording: "Validation failed: Display name is too long (maximum is 30 characters)".
    const reasons = Object.entries(details).map(
      ([key, list]) => `${key.replace("_", " ")} ${list.map((d) => d.description).join(", ")}`,
    );
    throw unprocessable(`Validation failed: ${reasons.join("; ")}`, details);
  }
  return await db.transaction(async (tx) => {
    const set: Partial<Account> = { updatedAt: new Date() };
    if (changes.displayName !== undefined) set.displayName = changes.displayName.trim();
    if (changes.note !== undefined) set.note = noteToHtml(changes.note);
    if (changes.locked !== undefined) set.locked = changes.locked;
    if (changes.bot !== undefined) set.bot = changes.bot;
    if (changes.discoverable !== undefined) set.discoverable = changes.discoverable;
    if (changes.indexable !== undefined) set.indexable = changes.indexable;
    if (fields !== undefined) set.fields = fields;
    if (changes.avatarMediaId !== undefined) set.avatarMediaId = changes.avatarMediaId;
    if (changes.headerMediaId !== undefined) set.headerMediaId = changes.headerMediaId;
    const account = (
      await tx
        .update(accounts)
        .set(set)
        .where(and(eq(accounts.id, accountId), isNull(accounts.domain)))
        .returning()
    )[0];
    if (account === undefined) throw notFound("No such local account");
    await linkAccountEmojis(tx, account);
    if (changes.dataset !== undefined) {
      await applyDatasetChoices(tx, accountId, changes.dataset, "settings");
    }
    await recordEvent(tx, { type: "account.updated", accountId });
    return account;
  });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A bio typed as plain text → the HTML stored and shown: paragraphs by blank lines, <br> for newlines. */
export function noteToHtml(text: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .trim()
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== "");
  return paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`).join("");
}

/** The plain text a user would edit for a stored local bio (the inverse of noteToHtml). */
export function noteToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>\s*<p>/gi, "\n\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}
