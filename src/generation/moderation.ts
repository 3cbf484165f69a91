// Prompt moderation before any (paid) provider call: the instance's own blocked terms, always, then the
// provider's moderation endpoint when it has one (OpenAI). A refused prompt fails with the reason.
import { asc, eq } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { returned } from "../db/returned.ts";
import { type BlockedTerm, blockedTerms } from "../db/schema/index.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import { GenerationError, type ImageProvider } from "./provider.ts";

export const BLOCKED_TERM_MAX_LENGTH = 100;

/** Lower case, compatibility-normalized, zero-width characters removed, whitespace collapsed. */
export function normalizeForPolicy(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u200b-\u200f\u2060\ufeff\u00ad]/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether `term` occurs in `normalizedText` as a whole word or phrase (not inside another word). */
function containsTerm(normalizedText: string, term: string): boolean {
  const pattern = escapeRegExp(term).replace(/ /g, "\\s+");
  return new RegExp(`(?<![\\p{L}\\p{N}])${pattern}(?![\\p{L}\\p{N}])`, "u").test(normalizedText);
}

export async function listBlockedTerms(db: DatabaseLike): Promise<BlockedTerm[]> {
  return await db.select().from(blockedTerms).orderBy(asc(blockedTerms.term));
}

/** Adds a blocked term (a word or phrase, matched case-insensitively as a whole word). */
export async function addBlockedTerm(
  db: DatabaseLike,
  term: string,
  reason = "",
): Promise<BlockedTerm> {
  const normalized = normalizeForPolicy(term);
  if (normalized === "") throw badRequest("A blocked term must not be empty");
  if (normalized.length > BLOCKED_TERM_MAX_LENGTH) {
    throw badRequest(`A blocked term is at most ${BLOCKED_TERM_MAX_LENGTH} characters`);
  }
  const existing = (
    await db.select().from(blockedTerms).where(eq(blockedTerms.term, normalized)).limit(1)
  )[0];
  if (existing !== undefined) throw conflict(`"${normalized}" is already blocked`);
  return returned(
    await db
      .insert(blockedTerms)
      .values({ term: normalized, reason: reason.trim().slice(0, 500) })
      .returning(),
  );
}

export async function removeBlockedTerm(db: DatabaseLike, term: string): Promise<void> {
  const normalized = normalizeForPolicy(term);
  const removed = await db
    .delete(blockedTerms)
    .where(eq(blockedTerms.term, normalized))
    .returning();
  if (removed.length === 0) throw notFound(`"${normalized}" is not a blocked term`);
}

/** The first blocked term the text contains, if any. */
export async function findBlockedTerm(
  db: DatabaseLike,
  text: string,
): Promise<BlockedTerm | undefined> {
  const normalized = normalizeForPolicy(text);
  return (await listBlockedTerms(db)).find((t) => containsTerm(normalized, t.term));
}

/**
 * Refuses a prompt (GenerationError "content_policy", HTTP 422) that this instance's policy or the
 * provider's moderation flags, saying why. Run before every generation, so a refused prompt costs nothing.
 */
export async function moderatePrompt(
  db: DatabaseLike,
  provider: ImageProvider,
  prompt: string,
  negativePrompt: string | undefined,
  signal: AbortSignal = AbortSignal.timeout(30_000),
): Promise<void> {
  const text = negativePrompt ? `${prompt}\n${negativePrompt}` : prompt;
  const blocked = await findBlockedTerm(db, text);
  if (blocked !== undefined) {
    throw new GenerationError(
      "content_policy",
      `This prompt contains "${blocked.term}", which this instance does not allow${blocked.reason ? ` (${blocked.reason})` : ""}`,
    );
  }
  if (provider.moderate !== undefined) {
    const verdict = await provider.moderate(prompt, signal);
    if (verdict.flagged) {
      throw new GenerationError(
        "content_policy",
        `This prompt was refused by the moderation check${verdict.categories.length > 0 ? ` (${verdict.categories.join(", ")})` : ""}`,
      );
    }
  }
}
