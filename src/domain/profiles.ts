// Editing a local account's profile and preferences (name, bio, fields, follower approval, discoverability,
// AI-data consent). Profile changes are recorded as an account.updated event so followers get an Update.
import { eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { accounts, type ProfileField, users } from "../db/schema/index.ts";
import { badRequest } from "../errors.ts";
import { recordEvent } from "./events.ts";

export const DISPLAY_NAME_MAX = 60;
export const BIO_MAX = 1000;
export const FIELDS_MAX = 4;
export const FIELD_NAME_MAX = 60;
export const FIELD_VALUE_MAX = 255;

export interface ProfileInput {
  displayName: string;
  /** Plain text as typed; stored as escaped HTML paragraphs. */
  bio: string;
  fields: { name: string; value: string }[];
  locked: boolean;
  discoverable: boolean;
  indexable: boolean;
}

const escapeHtml = (s: string) =>
  s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");

/** Plain text → the HTML ActivityPub carries: escaped, blank lines make paragraphs, newlines <br>. */
export function plainTextToHtml(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .filter((p) => p.trim() !== "")
    .map((p) => `<p>${escapeHtml(p.trim()).replaceAll(/\r?\n/g, "<br>")}</p>`)
    .join("");
}

/** HTML we stored from plain text → the text again, for the edit form. */
export function htmlToPlainText(html: string): string {
  return html
    .replaceAll(/<br\s*\/?>/g, "\n")
    .replaceAll("</p><p>", "\n\n")
    .replaceAll(/<[^>]*>/g, "")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}

/** Validates and saves a local account's profile; throws a 400 naming each bad field. */
export function updateProfile(db: Database, accountId: string, input: ProfileInput): void {
  const problems: Record<string, string> = {};
  const displayName = input.displayName.trim();
  if (displayName.length > DISPLAY_NAME_MAX) {
    problems.displayName = `at most ${DISPLAY_NAME_MAX} characters`;
  }
  if (input.bio.length > BIO_MAX) problems.bio = `at most ${BIO_MAX} characters`;
  const fields = input.fields
    .map((f) => ({ name: f.name.trim(), value: f.value.trim() }))
    .filter((f) => f.name !== "" || f.value !== "");
  if (fields.length > FIELDS_MAX) problems.fields = `at most ${FIELDS_MAX} fields`;
  for (const f of fields) {
    if (f.name === "" || f.name.length > FIELD_NAME_MAX || f.value.length > FIELD_VALUE_MAX) {
      problems.fields = `each field needs a label (at most ${FIELD_NAME_MAX} characters) and a value of at most ${FIELD_VALUE_MAX}`;
    }
  }
  if (Object.keys(problems).length > 0) {
    throw badRequest(
      `Profile not saved: ${Object.entries(problems)
        .map(([k, v]) => `${k} ${v}`)
        .join("; ")}`,
      problems,
    );
  }
  const stored: ProfileField[] = fields.map((f) => ({
    name: f.name,
    value: escapeHtml(f.value),
  }));
  db.transaction((tx) => {
    tx.update(accounts)
      .set({
        displayName,
        note: plainTextToHtml(input.bio),
        fields: stored,
        locked: input.locked,
        discoverable: input.discoverable,
        indexable: input.indexable,
        updatedAt: new Date(),
      })
      .where(eq(accounts.id, accountId))
      .run();
    recordEvent(tx, { type: "account.updated", accountId });
  });
}

/** Sets whether the account's prompts and images may go into datasets exported from the instance. */
export function setAiDataConsent(db: Database, accountId: string, consent: boolean): void {
  db.update(users).set({ aiDataConsent: consent }).where(eq(users.accountId, accountId)).run();
}
