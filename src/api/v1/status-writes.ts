// /api/v1/statuses, write side: post (with media, reply, content warning, visibility, language and the
// Idempotency-Key header, a poll) now or at scheduled_at, edit (text and the attachments' alt text and focal
// point) and delete (answering the deleted status with its source text, for "delete and redraft").
// Rules live in domain/statuses.ts and domain/scheduled-statuses.ts.
import { Hono } from "hono";
import { z } from "zod";
import { findScheduledStatus } from "../../db/queries/scheduled-statuses.ts";
import { findVisibleStatus } from "../../db/queries/statuses.ts";
import type { Visibility } from "../../db/schema/index.ts";
import type { PollInput } from "../../domain/polls.ts";
import { parseQuotePolicy } from "../../domain/quotes.ts";
import {
  type AttachmentInput,
  deleteStatus,
  editStatus,
  type PublishStatusInput,
  publishStatus,
} from "../../domain/statuses.ts";
import { badRequest, notFound, unprocessable } from "../../errors.ts";
import type { FocalPoint } from "../../media/service.ts";
import { asValidation, booleanParam, listParam, parseParams } from "../http.ts";
import { IdempotencyCache } from "../idempotency.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { renderStatuses } from "../render.ts";
import type { ApiDeps, ApiEnv, ApiStatus } from "../types.ts";
import { parseScheduledAt, renderScheduledStatuses } from "./scheduled-statuses.ts";

const IDEMPOTENCY_KEY_MAX_LENGTH = 200;
const SCHEDULED_PREFIX = "scheduled:";

/** Mastodon's focus parameter: "x,y" with each in −1…1 (validated by the media service). */
export function parseFocus(value: unknown): FocalPoint | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const parts = String(value).split(",");
  const [x, y] = parts.map((p) => Number(p.trim()));
  if (parts.length !== 2 || x === undefined || y === undefined || Number.isNaN(x + y)) {
    throw badRequest('Focus must be "x,y" with two numbers between -1 and 1');
  }
  return { x, y };
}

const visibility = z.enum(["public", "unlisted", "private", "direct"]);
const text = z.union([z.string(), z.number().transform(String)]);

/**
 * Mastodon's poll parameters (`poll[options][]`, `poll[expires_in]`, `poll[multiple]`,
 * `poll[hide_totals]`), as a form, JSON or multipart body gives them; the limits are the domain's.
 */
const pollParam = z
  .object({
    options: z
      .union([z.array(text), z.record(z.string(), text), text])
      .transform((v) => (typeof v === "string" ? [v] : Array.isArray(v) ? v : Object.values(v))),
    expires_in: z.union([z.number(), z.string()]).transform(Number),
    multiple: z.unknown().optional().transform(booleanParam),
    hide_totals: z.unknown().optional().transform(booleanParam),
  })
  .transform(
    (p): PollInput => ({
      options: p.options,
      expiresIn: p.expires_in,
      multiple: p.multiple === true,
      hideTotals: p.hide_totals === true,
    }),
  );

const createParams = z.object({
  status: text.optional(),
  media_ids: z.unknown().optional().transform(listParam),
  in_reply_to_id: text.optional().nullable(),
  sensitive: z.unknown().optional().transform(booleanParam),
  spoiler_text: text.optional(),
  visibility: visibility.optional(),
  language: z.string().optional().nullable(),
  scheduled_at: z.string().optional().nullable(),
  poll: pollParam.optional().nullable(),
  /** Atelier's own: keep the post out of dataset exports (README, "Datasets"). */
  dataset_opt_out: z.unknown().optional().transform(booleanParam),
  quoted_status_id: text.optional().nullable(),
  quote_approval_policy: z.unknown().optional().transform(parseQuotePolicy),
});

const mediaAttribute = z.object({
  id: text,
  description: z.string().optional().nullable(),
  focus: z.unknown().optional(),
});

const editParams = z.object({
  status: text.optional(),
  spoiler_text: text.optional(),
  sensitive: z.unknown().optional().transform(booleanParam),
  language: z.string().optional().nullable(),
  media_ids: z.unknown().optional().transform(listParam),
  media_attributes: z
    .union([z.array(mediaAttribute), z.record(z.string(), mediaAttribute)])
    .optional(),
  poll: pollParam.optional().nullable(),
  dataset_opt_out: z.unknown().optional().transform(booleanParam),
  // Absent keeps the quote; empty or null drops it (domain/quotes.ts quoteOnEdit).
  quoted_status_id: text.optional().nullable(),
  quote_approval_policy: z.unknown().optional().transform(parseQuotePolicy),
});

export function statusWritesRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const idempotency = new IdempotencyCache();

  const render = async (viewer: string, statusId: string): Promise<ApiStatus> => {
    const row = await findVisibleStatus(deps.db, viewer, statusId);
    const rendered = row ? (await renderStatuses(deps, [row], viewer))[0] : undefined;
    if (rendered === undefined) throw notFound();
    return rendered;
  };

  // Like Mastodon (which looks the status up among the caller's own), someone else's status is 404 here.
  const own = async (viewer: string, statusId: string): Promise<ApiStatus> => {
    const rendered = await render(viewer, statusId);
    if (rendered.account.id !== viewer) throw notFound();
    return rendered;
  };

  app.post("/", requireScope("write:statuses"), async (c) => {
    const viewer = viewerId(c);
    const key = c.req.header("idempotency-key")?.trim();
    if (key !== undefined && key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
      throw badRequest(`The Idempotency-Key is too long: at most ${IDEMPOTENCY_KEY_MAX_LENGTH}`);
    }
    const p = await parseParams(c, createParams);
    // Checked after the body is read and before publishing, with no await in between: two requests with
    // the same key cannot both publish.
    if (key) {
      const earlier = idempotency.get(viewer, key);
      // A scheduled status is remembered with a prefix: its id is not a status id.
      if (earlier?.startsWith(SCHEDULED_PREFIX)) {
        const id = earlier.slice(SCHEDULED_PREFIX.length);
        const row = await findScheduledStatus(deps.db, viewer, id);
        if (row !== undefined) return c.json((await renderScheduledStatuses(deps, [row]))[0]);
      } else {
        const row = earlier ? await findVisibleStatus(deps.db, viewer, earlier) : undefined;
        if (row !== undefined) return c.json((await renderStatuses(deps, [row], viewer))[0]);
      }
    }
    const input: PublishStatusInput = {
      ...(p.status !== undefined ? { text: p.status } : {}),
      media: (p.media_ids ?? []).map((id) => ({ id })),
      ...(p.spoiler_text !== undefined ? { spoilerText: p.spoiler_text } : {}),
      ...(p.sensitive !== undefined ? { sensitive: p.sensitive } : {}),
      ...(p.visibility !== undefined ? { visibility: p.visibility as Visibility } : {}),
      inReplyToId: p.in_reply_to_id || null,
      // Absent, the author's default language applies (domain/preferences.ts).
      ...(p.language ? { language: p.language } : {}),
      ...(p.poll ? { poll: p.poll } : {}),
      ...(p.dataset_opt_out !== undefined ? { datasetOptOut: p.dataset_opt_out } : {}),
      ...(p.quoted_status_id ? { quotedStatusId: p.quoted_status_id } : {}),
      ...(p.quote_approval_policy ? { quotePolicy: p.quote_approval_policy } : {}),
    };
    const scheduledAt = p.scheduled_at ? parseScheduledAt(p.scheduled_at) : undefined;
    // With a future scheduled_at Mastodon answers the ScheduledStatus instead; one already past posts now.
    if (scheduledAt !== undefined && deps.scheduledStatuses.wantsScheduling(scheduledAt)) {
      const applicationId = c.get("auth")?.token.applicationId ?? null;
      const row = await asValidation(
        async () =>
          await deps.scheduledStatuses.schedule(viewer, { ...input, applicationId }, scheduledAt),
      );
      if (key) idempotency.set(viewer, key, `${SCHEDULED_PREFIX}${row.id}`);
      return c.json((await renderScheduledStatuses(deps, [row]))[0]);
    }
    const status = await asValidation(async () => await publishStatus(deps, viewer, input));
    if (key) idempotency.set(viewer, key, status.id);
    return c.json(await render(viewer, status.id));
  });

  app.put("/:id", requireScope("write:statuses"), async (c) => {
    const viewer = viewerId(c);
    await own(viewer, c.req.param("id"));
    const p = await parseParams(c, editParams);
    const attributes = p.media_attributes
      ? Array.isArray(p.media_attributes)
        ? p.media_attributes
        : Object.values(p.media_attributes)
      : [];
    const media: AttachmentInput[] = attributes.map((a) => {
      const focus = parseFocus(a.focus);
      return {
        id: a.id,
        ...(a.description !== undefined ? { description: a.description } : {}),
        ...(focus ? { focus } : {}),
      };
    });
    // The set of images cannot change on edit yet; say so rather than silently ignore media_ids.
    if (p.media_ids !== undefined) {
      const attached = (await render(viewer, c.req.param("id"))).media_attachments.map((m) => m.id);
      if (attached.join(",") !== p.media_ids.join(",")) {
        throw unprocessable(
          "Changing which images are attached is not supported; edit their descriptions instead",
        );
      }
    }
    const status = await asValidation(
      async () =>
        await editStatus(deps, viewer, c.req.param("id"), {
          ...(p.status !== undefined ? { text: p.status } : {}),
          ...(p.spoiler_text !== undefined ? { spoilerText: p.spoiler_text } : {}),
          ...(p.sensitive !== undefined ? { sensitive: p.sensitive } : {}),
          ...(p.language !== undefined ? { language: p.language || null } : {}),
          // As Mastodon, an edit without poll parameters leaves the status without a poll.
          poll: p.poll ?? null,
          media,
          ...(p.dataset_opt_out !== undefined ? { datasetOptOut: p.dataset_opt_out } : {}),
          ...(p.quoted_status_id !== undefined
            ? { quotedStatusId: p.quoted_status_id || null }
            : {}),
          ...(p.quote_approval_policy ? { quotePolicy: p.quote_approval_policy } : {}),
        }),
    );
    return c.json(await render(viewer, status.id));
  });

  app.delete("/:id", requireScope("write:statuses"), async (c) => {
    const viewer = viewerId(c);
    const before = await own(viewer, c.req.param("id"));
    const row = await findVisibleStatus(deps.db, viewer, before.id);
    await deleteStatus(deps, viewer, before.id);
    // Mastodon answers the deleted status with its source, so the client can offer to redraft it.
    return c.json({ ...before, text: row?.source ?? "" });
  });

  return app;
}
