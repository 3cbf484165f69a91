// Media uploads: POST /api/v2/media and the legacy POST /api/v1/media (multipart `file`, `description`,
// `focus`), then GET/PUT /api/v1/media/:id for alt text and focal point before the image is posted.
// Images are processed while the request waits (about a tenth of a second), so v2 answers 200 with the
// URL, as Mastodon does for synchronously processed media; 202 with `url: null` (and 206 from GET) are
// for an attachment still processing.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { AppError, notFound, unprocessable } from "../../errors.ts";
import { parseParams } from "../http.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { serializeContext } from "../render.ts";
import { toApiMediaAttachment } from "../serializers/media.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";
import { parseFocus } from "./status-writes.ts";

/**
 * The bytes of the multipart file field `name` (undefined when absent). Refuses a file larger than
 * `maxBytes` and a field that is text instead of a file; the body as a whole is bounded as it streams
 * in, before this reads it (src/http/body-limit.ts).
 */
export async function readUpload(
  c: Context,
  name: string,
  maxBytes: number,
  options: { emptyIsAbsent?: boolean } = {},
): Promise<Uint8Array | undefined> {
  const type = c.req.header("content-type") ?? "";
  if (!type.includes("multipart/form-data")) return undefined;
  const value = (await c.req.formData()).get(name);
  if (value === null) return undefined;
  // A form's untouched file input arrives as an empty part (Phanpy sends the profile form so), which
  // Rack drops: for Mastodon it is no file at all.
  if (options.emptyIsAbsent && (typeof value === "string" ? value === "" : value.size === 0)) {
    return undefined;
  }
  if (typeof value === "string") throw unprocessable(`${name} must be a file`);
  if (value.size > maxBytes) {
    throw new AppError("payload_too_large", `The file is too large: at most ${maxBytes} bytes`);
  }
  return new Uint8Array(await value.arrayBuffer());
}

const uploadParams = z.object({
  description: z.string().optional().nullable(),
  focus: z.unknown().optional(),
});

const updateParams = z.object({
  description: z.string().optional().nullable(),
  focus: z.unknown().optional(),
});

export function mediaRouter(deps: ApiDeps, version: "v1" | "v2"): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const ctx = serializeContext(deps);

  app.post("/", requireScope("write:media"), async (c) => {
    const bytes = await readUpload(c, "file", deps.media.limits.maxBytes);
    if (bytes === undefined) throw unprocessable("Validation failed: File can't be blank");
    const p = await parseParams(c, uploadParams);
    const focus = parseFocus(p.focus);
    const row = await deps.media.ingest(viewerId(c), bytes, {
      ...(p.description !== undefined ? { description: p.description } : {}),
      ...(focus ? { focus } : {}),
    });
    const entity = toApiMediaAttachment(row, ctx);
    // v1 always answers 200; v2 answers 202 while the file is still processing.
    return c.json(entity, version === "v2" && row.state === "processing" ? 202 : 200);
  });

  if (version === "v1") {
    // Like Mastodon, only attachments not yet posted: a posted image's alt text changes by editing the
    // status (PUT /api/v1/statuses/:id with media_attributes).
    const unattached = async (accountId: string, id: string) => {
      const row = await deps.media.get(accountId, id);
      if (row.statusId !== null) throw notFound();
      return row;
    };

    app.get("/:id", requireScope("write:media"), async (c) => {
      const row = await unattached(viewerId(c), c.req.param("id"));
      return c.json(toApiMediaAttachment(row, ctx), row.state === "processing" ? 206 : 200);
    });

    app.put("/:id", requireScope("write:media"), async (c) => {
      const viewer = viewerId(c);
      const row = await unattached(viewer, c.req.param("id"));
      const p = await parseParams(c, updateParams);
      const focus = parseFocus(p.focus);
      const updated = await deps.media.update(viewer, row.id, {
        ...(p.description !== undefined ? { description: p.description } : {}),
        ...(focus ? { focus } : {}),
      });
      return c.json(toApiMediaAttachment(updated, ctx), updated.state === "processing" ? 206 : 200);
    });
  }
  return app;
}
