// /api/v1/accounts: the signed-in user's own account (verify/update credentials), lookup and search of
// stored accounts, an account's profile, statuses, followers and following, and relationships.
// Follow, block and mute are in account-actions.ts. `resolve=true` on lookup and search asks federation
// for a remote handle not stored yet (signed-in users only).
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import {
  countFollowRequests,
  findAccountById,
  findAccountsByIds,
  followersOf,
  followingOf,
  loadAccountMedia,
  relationships,
  searchAccounts,
} from "../../db/queries/accounts.ts";
import { pinnedStatuses } from "../../db/queries/pins.ts";
import { accountStatuses } from "../../db/queries/timelines.ts";
import { type Account, users, type Visibility } from "../../db/schema/index.ts";
import { findAccountByHandle } from "../../domain/handles.ts";
import { checkPreferences, updatePreferences } from "../../domain/preferences.ts";
import { updateProfile } from "../../domain/profiles.ts";
import { notFound } from "../../errors.ts";
import { asValidation, booleanParam, listParam, parseParams, readParams } from "../http.ts";
import { maybeViewerId, optionalScope, requireScope, viewerId } from "../middleware.ts";
import { readPage, setLinkHeader } from "../pagination.ts";
import { renderAccounts, renderStatuses, serializeContext } from "../render.ts";
import { resolveRemote } from "../resolve.ts";
import { toApiCredentialAccount } from "../serializers/account.ts";
import { toApiRelationship } from "../serializers/relationship.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";
import { readUpload } from "./media.ts";

const updateParams = z.object({
  display_name: z.string().optional(),
  note: z.string().optional(),
  locked: z.unknown().optional().transform(booleanParam),
  bot: z.unknown().optional().transform(booleanParam),
  discoverable: z.unknown().optional().transform(booleanParam),
  indexable: z.unknown().optional().transform(booleanParam),
  // Rails-style: fields_attributes[0][name]=…, as an object keyed by index or an array.
  fields_attributes: z
    .union([
      z.array(z.object({ name: z.string().default(""), value: z.string().default("") })),
      z.record(
        z.string(),
        z.object({ name: z.string().default(""), value: z.string().default("") }),
      ),
    ])
    .optional(),
  // The posting preferences, as Mastodon's source[privacy], source[sensitive], source[language].
  source: z
    .object({
      privacy: z.string().optional(),
      sensitive: z.unknown().optional().transform(booleanParam),
      language: z.string().optional().nullable(),
    })
    .optional(),
});

export function accountsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const ctx = serializeContext(deps);

  const credentialAccount = async (account: Account) => {
    const user = (
      await deps.db.select().from(users).where(eq(users.accountId, account.id)).limit(1)
    )[0];
    if (user === undefined) throw notFound();
    return toApiCredentialAccount(
      account,
      user,
      await loadAccountMedia(deps.db, [account]),
      ctx,
      await countFollowRequests(deps.db, account.id),
    );
  };
  const accountOr404 = async (id: string) => {
    const account = await findAccountById(deps.db, id);
    if (account === undefined) throw notFound();
    return account;
  };
  // As Mastodon: a suspended account still answers by id and lookup, marked `suspended: true` with its
  // profile blanked (the serializer) and no statuses; a deleted one is gone.
  const profileOr404 = async (id: string) => {
    const account = await findAccountById(deps.db, id, { includeSuspended: true });
    if (account === undefined || account.deletedAt !== null) throw notFound();
    return account;
  };

  app.get("/verify_credentials", requireScope(["profile", "read:accounts"]), async (c) =>
    c.json(await credentialAccount(await accountOr404(viewerId(c)))),
  );

  app.patch("/update_credentials", requireScope("write:accounts"), async (c) => {
    const p = await parseParams(c, updateParams);
    const fields = p.fields_attributes
      ? Array.isArray(p.fields_attributes)
        ? p.fields_attributes
        : Object.entries(p.fields_attributes)
            .sort(([a], [b]) => Number(a) - Number(b))
            .map(([, f]) => f)
      : undefined;
    const source = p.source;
    // Checked before anything is stored, so a refused value changes nothing.
    const preferences = await asValidation(() =>
      checkPreferences({
        ...(source?.privacy !== undefined
          ? { defaultVisibility: source.privacy as Visibility }
          : {}),
        ...(source?.sensitive !== undefined ? { defaultSensitive: source.sensitive } : {}),
        ...(source?.language !== undefined ? { defaultLanguage: source.language } : {}),
      }),
    );
    // Avatar and header arrive as multipart files; each is processed like any upload, and an empty one
    // (a picture left as it was) changes nothing.
    const viewer = viewerId(c);
    const images: { avatarMediaId?: string; headerMediaId?: string } = {};
    for (const [field, key] of [
      ["avatar", "avatarMediaId"],
      ["header", "headerMediaId"],
    ] as const) {
      const bytes = await readUpload(c, field, deps.media.limits.maxBytes, { emptyIsAbsent: true });
      if (bytes !== undefined) images[key] = (await deps.media.ingest(viewer, bytes)).id;
    }
    const account = await updateProfile(deps.db, viewer, {
      ...images,
      ...(p.display_name !== undefined ? { displayName: p.display_name } : {}),
      ...(p.note !== undefined ? { note: p.note } : {}),
      ...(p.locked !== undefined ? { locked: p.locked } : {}),
      ...(p.bot !== undefined ? { bot: p.bot } : {}),
      ...(p.discoverable !== undefined ? { discoverable: p.discoverable } : {}),
      ...(p.indexable !== undefined ? { indexable: p.indexable } : {}),
      ...(fields !== undefined ? { fields } : {}),
    });
    await updatePreferences(deps.db, viewer, preferences);
    return c.json(await credentialAccount(account));
  });

  app.get("/lookup", optionalScope("read:accounts"), async (c) => {
    const acct = c.req.query("acct") ?? "";
    let account = await findAccountByHandle(deps.db, acct, deps.config.domain, {
      includeSuspended: true,
    });
    if (account === undefined && booleanParam(c.req.query("resolve")) && maybeViewerId(c)) {
      const resolved = await resolveRemote(deps, acct);
      if (resolved !== null && "account" in resolved) account = resolved.account;
    }
    if (account === undefined) throw notFound();
    return c.json((await renderAccounts(deps, [account]))[0]);
  });

  app.get("/relationships", requireScope("read:follows"), async (c) => {
    const ids = (listParam((await readParams(c)).id) ?? []).slice(0, 80);
    const known = new Set((await findAccountsByIds(deps.db, ids)).map((a) => a.id));
    return c.json(
      (
        await relationships(
          deps.db,
          viewerId(c),
          ids.filter((id) => known.has(id)),
        )
      ).map(toApiRelationship),
    );
  });

  app.get("/search", requireScope("read:accounts"), async (c) => {
    const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 40) || 40, 1), 80);
    const offset = Math.max(Number(c.req.query("offset") ?? 0) || 0, 0);
    // Control characters read as spaces, as in /api/v2/search (PostgreSQL refuses NUL in text).
    const q = (c.req.query("q") ?? "").replace(/\p{Cc}/gu, " ");
    if (booleanParam(c.req.query("resolve")) && offset === 0) {
      const resolved = await resolveRemote(deps, q);
      if (resolved !== null && "account" in resolved) {
        return c.json(await renderAccounts(deps, [resolved.account]));
      }
    }
    const rows = await searchAccounts(deps.db, q, {
      limit,
      offset,
      localDomain: deps.config.domain,
      followingOf: booleanParam(c.req.query("following")) ? viewerId(c) : null,
      viewerId: viewerId(c),
    });
    return c.json(await renderAccounts(deps, rows));
  });

  app.get("/familiar_followers", requireScope("read:follows"), async (c) => {
    const ids = listParam((await readParams(c)).id) ?? [];
    return c.json(ids.slice(0, 40).map((id) => ({ id, accounts: [] })));
  });

  // Several accounts at once (Mastodon 4.3), in the order asked.
  app.get("/", optionalScope("read:accounts"), async (c) => {
    const ids = (listParam((await readParams(c)).id) ?? []).slice(0, 40);
    const byId = new Map((await findAccountsByIds(deps.db, ids)).map((a) => [a.id, a]));
    return c.json(
      await renderAccounts(
        deps,
        ids.map((id) => byId.get(id)).filter((a) => a !== undefined),
      ),
    );
  });

  app.get("/:id", optionalScope("read:accounts"), async (c) => {
    const account = await profileOr404(c.req.param("id"));
    return c.json((await renderAccounts(deps, [account]))[0]);
  });

  app.get("/:id/statuses", optionalScope("read:statuses"), async (c) => {
    const account = await profileOr404(c.req.param("id"));
    if (account.suspendedAt !== null) return c.json([]);
    const page = readPage(c);
    const viewer = maybeViewerId(c);
    // Pins are few (domain/pins.ts bounds them): one page, newest pin first, and no Link header, so
    // clients do not ask for a next page; a request for one (max_id…) gets nothing more.
    if (booleanParam(c.req.query("pinned"))) {
      if (c.req.query("max_id") || c.req.query("min_id") || c.req.query("since_id")) {
        return c.json([]);
      }
      return c.json(
        await renderStatuses(deps, await pinnedStatuses(deps.db, viewer, account.id), viewer),
      );
    }
    const tagged = c.req.query("tagged")?.replace(/^#/, "") || undefined;
    const rows = await accountStatuses(
      deps.db,
      viewer,
      account.id,
      {
        onlyMedia: booleanParam(c.req.query("only_media")) ?? false,
        excludeReplies: booleanParam(c.req.query("exclude_replies")) ?? false,
        excludeReblogs: booleanParam(c.req.query("exclude_reblogs")) ?? false,
        tagged,
      },
      page,
    );
    setLinkHeader(
      c,
      deps.config.origin,
      rows.map((x) => x.id),
      page.limit,
    );
    return c.json(await renderStatuses(deps, rows, viewer, "account"));
  });

  app.get("/:id/followers", optionalScope("read:accounts"), async (c) => {
    const account = await accountOr404(c.req.param("id"));
    const page = readPage(c, 40, 80);
    const result = await followersOf(deps.db, account.id, page);
    setLinkHeader(c, deps.config.origin, result.keys, page.limit);
    return c.json(await renderAccounts(deps, result.accounts));
  });

  app.get("/:id/following", optionalScope("read:accounts"), async (c) => {
    const account = await accountOr404(c.req.param("id"));
    const page = readPage(c, 40, 80);
    const result = await followingOf(deps.db, account.id, page);
    setLinkHeader(c, deps.config.origin, result.keys, page.limit);
    return c.json(await renderAccounts(deps, result.accounts));
  });

  return app;
}
