// ScheduledStatus rows → Mastodon ScheduledStatus: the stored publish parameters in Mastodon's snake_case
// shape (its params also carry scheduled_at, idempotency and with_rate_limit, always null/false), and the
// images it holds.
import type { MediaAttachment, ScheduledStatus } from "../../db/schema/index.ts";
import type { ApiScheduledStatus } from "../types.ts";
import type { SerializeContext } from "./context.ts";
import { toApiMediaAttachment } from "./media.ts";

export function toApiScheduledStatus(
  row: ScheduledStatus,
  media: readonly MediaAttachment[],
  ctx: SerializeContext,
): ApiScheduledStatus {
  const p = row.params;
  return {
    id: row.id,
    scheduled_at: row.scheduledAt.toISOString(),
    params: {
      text: p.text,
      poll:
        p.poll == null
          ? null
          : {
              options: p.poll.options,
              expires_in: p.poll.expiresIn,
              multiple: p.poll.multiple,
              hide_totals: p.poll.hideTotals,
            },
      media_ids: p.mediaIds.length > 0 ? p.mediaIds : null,
      sensitive: p.sensitive,
      spoiler_text: p.spoilerText,
      visibility: p.visibility,
      in_reply_to_id: p.inReplyToId,
      language: p.language,
      application_id: p.applicationId,
      scheduled_at: null,
      idempotency: null,
      with_rate_limit: false,
    },
    media_attachments: media.map((m) => toApiMediaAttachment(m, ctx)),
  };
}
