// /api/v1/polls: a poll by id (its status's visibility applies: 404 when the status is hidden) and a
// vote (choices[] as option indexes). The rules live in domain/polls.ts; the answer is the Poll as the
// status shows it, rendered the one way statuses are.
import { Hono } from "hono";
import { z } from "zod";
import { findVisibleStatus } from "../../db/queries/statuses.ts";
import { notFound, unprocessable } from "../../errors.ts";
import { listParam, parseParams } from "../http.ts";
import { maybeViewerId, optionalScope, requireScope, viewerId } from "../middleware.ts";
import { renderStatuses } from "../render.ts";
import type { ApiDeps, ApiEnv, ApiPoll } from "../types.ts";

const voteParams = z.object({ choices: z.unknown().optional().transform(listParam) });

export function pollsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  const poll = async (viewer: string | null, id: string): Promise<ApiPoll> => {
    const row = await findVisibleStatus(deps.db, viewer, id);
    const rendered = row ? (await renderStatuses(deps, [row], viewer))[0] : undefined;
    if (rendered?.poll == null || rendered.reblog !== null) throw notFound();
    return rendered.poll;
  };

  app.get("/:id", optionalScope("read:statuses"), async (c) =>
    c.json(await poll(maybeViewerId(c), c.req.param("id"))),
  );

  app.post("/:id/votes", requireScope("write:statuses"), async (c) => {
    const viewer = viewerId(c);
    const { choices } = await parseParams(c, voteParams);
    const indexes = (choices ?? []).map((v) => (/^\d{1,3}$/.test(v.trim()) ? Number(v) : -1));
    if (indexes.length === 0) throw unprocessable("Validation failed: Choose at least one option");
    await deps.polls.vote(viewer, c.req.param("id"), indexes);
    return c.json(await poll(viewer, c.req.param("id")));
  });

  return app;
}
