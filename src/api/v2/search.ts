// GET /api/v2/search: accounts, statuses and hashtags this instance stores. With `resolve=true` a signed-in
// user's remote handle or URL is first looked up through federation (api/resolve.ts); what it finds comes
// first. When resolving fails the answer is what is stored, as Mastodon answers. Statuses are searched
// with Mastodon's rules and syntax (domain/search.ts): the viewer's own and interacted-with posts and
// indexable accounts' public ones; `account_id`, `min_id` and `max_id` narrow them as Mastodon's do.
import { Hono } from "hono";
import { z } from "zod";
import { searchAccounts } from "../../db/queries/accounts.ts";
import { searchTags } from "../../db/queries/search.ts";
import { findVisibleStatus } from "../../db/queries/statuses.ts";
import type { Account, Status } from "../../db/schema/index.ts";
import { MAX_QUERY_LENGTH, searchStatuses } from "../../domain/search.ts";
import { AppError } from "../../errors.ts";
import { booleanParam, parseParams } from "../http.ts";
import { maybeViewerId, optionalScope } from "../middleware.ts";
import { renderAccounts, renderStatuses } from "../render.ts";
import { renderTags } from "../render-tags.ts";
import { resolveRemote } from "../resolve.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

const params = z.object({
  q: z
    .string({ error: "can't be blank" })
    .min(1, { error: "can't be blank" })
    .max(MAX_QUERY_LENGTH, { error: `is too long (maximum is ${MAX_QUERY_LENGTH} characters)` })
    // Control characters read as spaces: PostgreSQL refuses NUL in text, FTS5 ends a string at it.
    .transform((q) => q.replace(/\p{Cc}/gu, " ")),
  type: z.enum(["accounts", "statuses", "hashtags"]).optional(),
  resolve: z.unknown().optional().transform(booleanParam),
  following: z.unknown().optional().transform(booleanParam),
  account_id: z.string().optional(),
  min_id: z
    .string()
    .regex(/^\d{1,20}$/)
    .optional(),
  max_id: z
    .string()
    .regex(/^\d{1,20}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

export function searchRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get("/", optionalScope("read:search"), async (c) => {
    const p = await parseParams(c, params);
    const viewer = maybeViewerId(c);
    const limit = Math.min(p.limit ?? 20, 40);
    // Mastodon lets only signed-in users page past the first results.
    const offset = viewer === null ? 0 : (p.offset ?? 0);
    const want = (type: string) => p.type === undefined || p.type === type;
    if (p.resolve && viewer === null) {
      throw new AppError(
        "unauthorized",
        "Search queries that resolve remote resources are not supported without authentication",
      );
    }
    const resolved = p.resolve && offset === 0 ? await resolveRemote(deps, p.q) : null;
    if (resolved !== null) {
      // A URL or handle names one thing: Mastodon answers just that.
      const account: Account[] =
        "account" in resolved && want("accounts") ? [resolved.account] : [];
      const visible =
        "status" in resolved && want("statuses")
          ? await findVisibleStatus(deps.db, viewer, resolved.status.id)
          : undefined;
      const found: Status[] = visible === undefined ? [] : [visible];
      return c.json({
        accounts: await renderAccounts(deps, account),
        statuses: await renderStatuses(deps, found, viewer),
        hashtags: [],
      });
    }
    const accounts = want("accounts")
      ? await searchAccounts(deps.db, p.q, {
          limit,
          offset,
          localDomain: deps.config.domain,
          followingOf: p.following && viewer !== null ? viewer : null,
          viewerId: viewer,
        })
      : [];
    const found = want("statuses")
      ? await searchStatuses(deps.db, deps.config.domain, viewer, p.q, {
          limit,
          offset,
          ...(p.account_id !== undefined ? { accountId: p.account_id } : {}),
          ...(p.min_id !== undefined ? { minId: p.min_id } : {}),
          ...(p.max_id !== undefined ? { maxId: p.max_id } : {}),
        })
      : [];
    const hashtags = want("hashtags") ? await searchTags(deps.db, p.q, { limit, offset }) : [];
    return c.json({
      accounts: await renderAccounts(deps, accounts),
      statuses: await renderStatuses(deps, found, viewer),
      hashtags: await renderTags(deps, hashtags, viewer),
    });
  });
  return app;
}
