// /api/v1/statuses, read side: one status, its thread, who favourited or boosted it, its source and edit
// history; plus bookmarks. Create, edit and delete are in status-writes.ts; favourite and reblog in
// status-actions.ts.
import { and, asc, eq, inArray } from "drizzle-orm";
import { Hono } from "hono";
import { favouritedBy, rebloggedBy } from "../../db/queries/accounts.ts";
import { findVisibleStatus, statusContext } from "../../db/queries/statuses.ts";
import { visibleTo } from "../../db/queries/visibility.ts";
import { statusEdits, statuses } from "../../db/schema/index.ts";
import { bookmarkStatus, unbookmarkStatus } from "../../domain/bookmarks.ts";
import { notFound } from "../../errors.ts";
import { listParam, readParams } from "../http.ts";
import { maybeViewerId, optionalScope, requireScope, viewerId } from "../middleware.ts";
import { readPage, setLinkHeader } from "../pagination.ts";
import { renderAccounts, renderStatuses } from "../render.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

export function statusesRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  const visibleOr404 = async (viewer: string | null, id: string) => {
    const status = await findVisibleStatus(deps.db, viewer, id);
    if (status === undefined) throw notFound();
    return status;
  };
  const one = async (viewer: string | null, id: string) => {
    const rendered = (await renderStatuses(deps, [await visibleOr404(viewer, id)], viewer))[0];
    if (rendered === undefined) throw notFound();
    return rendered;
  };

  // Several statuses at once (Mastodon 4.3): visible ones, in the order asked, missing ones skipped.
  app.get("/", optionalScope("read:statuses"), async (c) => {
    const viewer = maybeViewerId(c);
    const ids = (listParam((await readParams(c)).id) ?? []).slice(0, 20);
    if (ids.length === 0) return c.json([]);
    const rows = await deps.db
      .select()
      .from(statuses)
      .where(and(inArray(statuses.id, ids), visibleTo(viewer)));
    const byId = new Map(rows.map((s) => [s.id, s]));
    const ordered = ids.map((id) => byId.get(id)).filter((s) => s !== undefined);
    return c.json(await renderStatuses(deps, ordered, viewer));
  });

  app.get("/:id", optionalScope("read:statuses"), async (c) => {
    const viewer = maybeViewerId(c);
    return c.json(await one(viewer, c.req.param("id")));
  });

  app.get("/:id/context", optionalScope("read:statuses"), async (c) => {
    const viewer = maybeViewerId(c);
    const status = await visibleOr404(viewer, c.req.param("id"));
    const { ancestors, descendants } = await statusContext(deps.db, viewer, status);
    // One render (one bundle, one filter set) for the whole thread, in the `thread` filter context.
    const rendered = await renderStatuses(deps, [...ancestors, ...descendants], viewer, "thread");
    const byId = new Map(rendered.map((s) => [s.id, s]));
    const pick = (rows: typeof ancestors) => rows.flatMap((s) => byId.get(s.id) ?? []);
    return c.json({ ancestors: pick(ancestors), descendants: pick(descendants) });
  });

  app.get("/:id/favourited_by", optionalScope("read:accounts"), async (c) => {
    const status = await visibleOr404(maybeViewerId(c), c.req.param("id"));
    const page = readPage(c, 40, 80);
    const result = await favouritedBy(deps.db, status.id, page);
    setLinkHeader(c, deps.config.origin, result.keys, page.limit);
    return c.json(await renderAccounts(deps, result.accounts));
  });

  app.get("/:id/reblogged_by", optionalScope("read:accounts"), async (c) => {
    const status = await visibleOr404(maybeViewerId(c), c.req.param("id"));
    const page = readPage(c, 40, 80);
    const result = await rebloggedBy(deps.db, status.id, page);
    setLinkHeader(c, deps.config.origin, result.keys, page.limit);
    return c.json(await renderAccounts(deps, result.accounts));
  });

  app.get("/:id/source", requireScope("read:statuses"), async (c) => {
    const viewer = viewerId(c);
    const status = await visibleOr404(viewer, c.req.param("id"));
    // As Mastodon: the source (for editing) is only the author's; anyone else's is not found.
    if (status.accountId !== viewer) throw notFound();
    return c.json({ id: status.id, text: status.source ?? "", spoiler_text: status.spoilerText });
  });

  app.get("/:id/history", optionalScope("read:statuses"), async (c) => {
    const viewer = maybeViewerId(c);
    const current = await one(viewer, c.req.param("id"));
    const edits = await deps.db
      .select()
      .from(statusEdits)
      .where(eq(statusEdits.statusId, current.id))
      .orderBy(asc(statusEdits.id));
    // Earlier versions name their media by id; show the current attachment with the old description.
    const media = new Map(current.media_attachments.map((m) => [m.id, m]));
    // An edit row keeps the version an edit replaced, stamped with that edit's time: a version was made
    // when the status was posted (the first) or by the edit before it.
    const versions = edits.map((e, i) => ({
      content: e.content,
      spoiler_text: e.spoilerText,
      sensitive: e.sensitive,
      created_at: i === 0 ? current.created_at : edits[i - 1]!.createdAt.toISOString(),
      account: current.account,
      poll: null,
      media_attachments: e.media
        .map((m) => {
          const attachment = media.get(m.id);
          return attachment ? { ...attachment, description: m.description } : undefined;
        })
        .filter((m) => m !== undefined),
      emojis: [],
    }));
    versions.push({
      content: current.content,
      spoiler_text: current.spoiler_text,
      sensitive: current.sensitive,
      created_at: current.edited_at ?? current.created_at,
      account: current.account,
      poll: null,
      media_attachments: current.media_attachments,
      emojis: [],
    });
    return c.json(versions);
  });

  app.post("/:id/bookmark", requireScope("write:bookmarks"), async (c) => {
    const viewer = viewerId(c);
    const status = await visibleOr404(viewer, c.req.param("id"));
    await bookmarkStatus(deps.db, viewer, status.id);
    return c.json(await one(viewer, status.id));
  });

  app.post("/:id/unbookmark", requireScope("write:bookmarks"), async (c) => {
    const viewer = viewerId(c);
    const status = await visibleOr404(viewer, c.req.param("id"));
    await unbookmarkStatus(deps.db, viewer, status.id);
    return c.json(await one(viewer, status.id));
  });

  // Not yet: POST /:id/pin|unpin|mute|unmute (no pins or conversation mutes stored).
  return app;
}
