// The HTML of a local status beyond what the author typed: the "Remix of" link to a quoted source, the
// visible AI label with prompt(s) and model(s), and the instance's AI hashtag. Plain paragraphs, links and
// hashtags only, because that is what survives Mastodon's sanitizer and reaches its users.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Config } from "../config.ts";
import type { DatabaseLike } from "../db/client.ts";
import { canSee } from "../db/queries/visibility.ts";
import { generationJobs, type MediaAttachment, type Status, statuses } from "../db/schema/index.ts";
import { isAiGenerated } from "../media/service.ts";
import type { LocalUrls } from "./local-urls.ts";
import { escapeHtml, type RenderedText, renderStatusText } from "./status-text.ts";

const LABEL_PROMPT_MAX_LENGTH = 500;

/**
 * The status a set of attachments remixes (from the generation job that made them), if any. Only one
 * `accountId` may still see and that is public or unlisted is quoted (startRemix checked it, but it may
 * have been deleted or its author's followers changed since): a quote publishes the source's id.
 */
export async function remixSource(
  db: DatabaseLike,
  accountId: string,
  media: MediaAttachment[],
): Promise<Status | undefined> {
  const jobIds = media
    .map((m) => m.provenance?.generationId)
    .filter((id): id is string => typeof id === "string");
  if (jobIds.length === 0) return undefined;
  const job = (
    await db
      .select({ remixOfStatusId: generationJobs.remixOfStatusId })
      .from(generationJobs)
      .where(
        and(inArray(generationJobs.id, jobIds), sql`${generationJobs.remixOfStatusId} is not null`),
      )
      .limit(1)
  )[0];
  if (!job?.remixOfStatusId) return undefined;
  const source = (
    await db.select().from(statuses).where(eq(statuses.id, job.remixOfStatusId)).limit(1)
  )[0];
  if (source === undefined || source.reblogOfId !== null) return undefined;
  if (source.visibility !== "public" && source.visibility !== "unlisted") return undefined;
  return (await canSee(db, source, accountId)) ? source : undefined;
}

/**
 * The full HTML of a status: the remix link, what the author wrote, then for AI images the visible label
 * with the prompt(s) and model(s) and the instance's AI hashtag. It is all plain paragraphs, links and
 * hashtags, because that is what survives Mastodon's sanitizer.
 */
export async function composeContent(
  db: DatabaseLike,
  deps: { urls: LocalUrls; config: Config },
  text: string,
  media: MediaAttachment[],
  quote: { quoted: Status; remix: boolean } | undefined,
): Promise<RenderedText> {
  const rendered = await renderStatusText(db, deps.urls, deps.config.domain, text);
  const parts: string[] = [];
  if (quote !== undefined) {
    // In the text too, for servers that do not read `quote`: "RE:" is what Mastodon writes there.
    const href = quote.quoted.url ?? quote.quoted.iri;
    parts.push(
      `<p class="quote-inline">${quote.remix ? "Remix of" : "RE:"} <a href="${escapeHtml(href)}">${escapeHtml(href.replace(/^https?:\/\//, ""))}</a></p>`,
    );
  }
  parts.push(rendered.html);
  const ai = media.filter((m) => isAiGenerated(m.provenance));
  const tagList = [...rendered.tags];
  if (ai.length > 0) {
    const lines = new Map<string, string>();
    for (const m of ai) {
      const p = m.provenance!;
      const prompt = (p.prompt ?? "").trim();
      const shown =
        prompt.length > LABEL_PROMPT_MAX_LENGTH
          ? `${prompt.slice(0, LABEL_PROMPT_MAX_LENGTH)}…`
          : prompt;
      const model = [p.provider, p.model].filter(Boolean).join(" / ");
      lines.set(
        `${shown}\u0000${model}`,
        `Prompt: “${escapeHtml(shown)}”${model ? ` (${escapeHtml(model)})` : ""}`,
      );
    }
    parts.push(
      `<p class="ai-label">AI-generated image${ai.length > 1 ? "s" : ""}<br>${[...lines.values()].join("<br>")}</p>`,
    );
    const hashtag = deps.config.aiHashtag;
    if (!tagList.some((t) => t.name === hashtag.toLowerCase())) {
      tagList.push({ name: hashtag.toLowerCase(), displayName: hashtag });
      parts.push(
        `<p><a href="${escapeHtml(deps.urls.tag(hashtag.toLowerCase()))}" class="mention hashtag" rel="tag">#<span>${escapeHtml(hashtag)}</span></a></p>`,
      );
    }
  }
  return { html: parts.join(""), tags: tagList, mentions: rendered.mentions };
}
