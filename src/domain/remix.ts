// Remix: start a generation from another status's prompt (a local post, or a remote one whose attachment
// carried Atelier's AI provenance extension). The post made from the result quotes the source status
// (statuses.quoteOfId, FEP-044f on the wire) — see publishStatus.
import { asc, eq } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { canSee } from "../db/queries/visibility.ts";
import { type GenerationJob, mediaAttachments, type Status, statuses } from "../db/schema/index.ts";
import { AppError, forbidden, notFound, unprocessable } from "../errors.ts";
import type { GenerationRequestInput } from "../generation/job-request.ts";
import type { GenerationService } from "../generation/jobs.ts";
import { REMOTE_PROMPT_MAX_LENGTH } from "../generation/provenance-vocab.ts";
import { assertMayQuote, REMIX_REFUSED } from "./quotes.ts";

export interface RemixDeps {
  db: Database;
  generation: GenerationService;
}

/** The prompt (and negative prompt) a status's first AI image was made from, if it says. */
export async function promptOfStatus(
  db: Database,
  statusId: string,
): Promise<{ prompt: string; negativePrompt?: string } | undefined> {
  const media = await db
    .select()
    .from(mediaAttachments)
    .where(eq(mediaAttachments.statusId, statusId))
    .orderBy(asc(mediaAttachments.position));
  for (const m of media) {
    const prompt = m.provenance?.prompt?.trim();
    if (prompt) {
      const negative = m.provenance?.negativePrompt?.trim();
      return {
        prompt: prompt.slice(0, REMOTE_PROMPT_MAX_LENGTH),
        ...(negative ? { negativePrompt: negative.slice(0, 1000) } : {}),
      };
    }
  }
  return undefined;
}

/**
 * The status `viewerId` may remix: it exists, is not a boost, and they may see it (a post they may not
 * see is answered exactly as one that does not exist, so the prompt of a followers-only or direct post
 * never leaks and its existence is not confirmed). Only public and unlisted statuses can be remixed,
 * because the result quotes them publicly, and only when their author lets the viewer quote them (422).
 */
export async function remixableStatus(
  db: Database,
  viewerId: string,
  statusId: string,
): Promise<Status> {
  const source = (await db.select().from(statuses).where(eq(statuses.id, statusId)).limit(1))[0];
  if (source === undefined || source.reblogOfId !== null || !(await canSee(db, source, viewerId))) {
    throw notFound("No such status to remix");
  }
  if (source.visibility !== "public" && source.visibility !== "unlisted") {
    throw forbidden("Only public or unlisted posts can be remixed");
  }
  // The remix will quote its source, so the source's quote policy decides here, before any work.
  await assertMayQuote(db, viewerId, source, REMIX_REFUSED);
  return source;
}

/** The prompt to pre-fill a remix of `statusId` with, or undefined if `viewerId` may not remix it. */
export async function remixPromptFor(
  db: Database,
  viewerId: string,
  statusId: string,
): Promise<{ prompt: string; negativePrompt?: string } | undefined> {
  try {
    await remixableStatus(db, viewerId, statusId);
  } catch (error) {
    if (error instanceof AppError) return undefined;
    throw error;
  }
  return await promptOfStatus(db, statusId);
}

/** Queues a generation for `accountId` from the prompt of `statusId` (optionally changed by the user). */
export async function startRemix(
  deps: RemixDeps,
  accountId: string,
  statusId: string,
  overrides: Omit<GenerationRequestInput, "remixOfStatusId" | "prompt"> & { prompt?: string } = {},
): Promise<GenerationJob> {
  await remixableStatus(deps.db, accountId, statusId);
  const origin = await promptOfStatus(deps.db, statusId);
  if (origin === undefined) throw unprocessable("This post carries no prompt to remix");
  return deps.generation.request(accountId, {
    ...overrides,
    prompt: overrides.prompt?.trim() || origin.prompt,
    negativePrompt: overrides.negativePrompt ?? origin.negativePrompt,
    remixOfStatusId: statusId,
  });
}

/**
 * The stored status a received post says it remixes (`remixOfIri`, Atelier's `remixOf`): the one it
 * quotes when the IRIs agree, else one already stored here. Nothing is fetched for it, so a remote
 * claim cannot make this server request any address. A boost, or the post itself, is never a source.
 */
export async function receivedRemixSource(
  db: DatabaseLike,
  post: { iri: string; quoteOfIri: string | null; remixOfIri?: string | null | undefined },
  quoted: Status | undefined,
): Promise<Status | undefined> {
  const iri = post.remixOfIri;
  if (!iri || iri === post.iri) return undefined;
  const source =
    iri === post.quoteOfIri
      ? quoted
      : (await db.select().from(statuses).where(eq(statuses.iri, iri)).limit(1))[0];
  return source?.reblogOfId === null ? source : undefined;
}
