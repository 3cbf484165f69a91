// Remix: start a generation from another status's prompt (a local post, or a remote one whose attachment
// carried Atelier's AI provenance extension). The post made from the result quotes the source status
// (statuses.quoteOfId, FEP-044f on the wire) — see publishStatus.
import { asc, eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { type GenerationJob, mediaAttachments, statuses } from "../db/schema/index.ts";
import { forbidden, notFound, unprocessable } from "../errors.ts";
import type { GenerationRequestInput } from "../generation/job-request.ts";
import type { GenerationService } from "../generation/jobs.ts";
import { REMOTE_PROMPT_MAX_LENGTH } from "../generation/provenance-vocab.ts";

export interface RemixDeps {
  db: Database;
  generation: GenerationService;
}

/** The prompt (and negative prompt) a status's first AI image was made from, if it says. */
export function promptOfStatus(
  db: Database,
  statusId: string,
): { prompt: string; negativePrompt?: string } | undefined {
  const media = db
    .select()
    .from(mediaAttachments)
    .where(eq(mediaAttachments.statusId, statusId))
    .orderBy(asc(mediaAttachments.position))
    .all();
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
 * Queues a generation for `accountId` from the prompt of `statusId` (optionally changed by the user).
 * Only public and unlisted statuses can be remixed, because the result quotes them publicly.
 */
export async function startRemix(
  deps: RemixDeps,
  accountId: string,
  statusId: string,
  overrides: Omit<GenerationRequestInput, "remixOfStatusId" | "prompt"> & { prompt?: string } = {},
): Promise<GenerationJob> {
  const source = deps.db.select().from(statuses).where(eq(statuses.id, statusId)).get();
  if (source === undefined || source.reblogOfId !== null) throw notFound("No such status to remix");
  if (source.visibility !== "public" && source.visibility !== "unlisted") {
    throw forbidden("Only public or unlisted posts can be remixed");
  }
  const origin = promptOfStatus(deps.db, statusId);
  if (origin === undefined) throw unprocessable("This post carries no prompt to remix");
  return deps.generation.request(accountId, {
    ...overrides,
    prompt: overrides.prompt?.trim() || origin.prompt,
    negativePrompt: overrides.negativePrompt ?? origin.negativePrompt,
    remixOfStatusId: statusId,
  });
}
