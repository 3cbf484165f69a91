// /api/v1/admin/accounts and /api/v2/admin/accounts: find accounts (local and known remote, suspended
// ones included) and act on them. Filters and pages as Mastodon's (v1's flags, v2's origin/status/
// permissions; 100 a page by default, 200 at most); actions answer Mastodon's Admin::Account, or `{}`
// for POST .../action. Every rule is domain/admin-accounts.ts's and domain/account-moderation.ts's.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import {
  type AdminAccountFilter,
  type AdminAccountRow,
  findAdminAccount,
  listAdminAccounts,
} from "../../../db/queries/admin-accounts.ts";
import { ACCOUNT_ACTIONS } from "../../../db/schema/index.ts";
import {
  actOnAccount,
  type UndoAction,
  undoAccountAction,
  WARNING_TEXT_MAX_LENGTH,
} from "../../../domain/account-moderation.ts";
import { approveAccount, rejectAccount, signInAddresses } from "../../../domain/admin-accounts.ts";
import { notFound } from "../../../errors.ts";
import { booleanParam, parseParams } from "../../http.ts";
import { viewerId } from "../../middleware.ts";
import { readPage, setLinkHeader } from "../../pagination.ts";
import { renderAccounts } from "../../render.ts";
import { toApiAdminAccount } from "../../serializers/admin.ts";
import type { ApiAdminAccount, ApiDeps, ApiEnv } from "../../types.ts";
import { requireAdmin } from "./require-admin.ts";

/** Admin::Account entities for rows, their accounts and sign-in addresses loaded at once. */
export async function renderAdminAccounts(
  deps: ApiDeps,
  rows: readonly AdminAccountRow[],
): Promise<ApiAdminAccount[]> {
  const accounts = await renderAccounts(
    deps,
    rows.map((r) => r.account),
  );
  const ips = await signInAddresses(
    deps.db,
    rows.filter((r) => r.user !== null).map((r) => r.account.id),
  );
  return rows.map((r, n) => toApiAdminAccount(r, accounts[n]!, ips.get(r.account.id) ?? []));
}

const text = (c: Context, name: string) => {
  const v = c.req.query(name)?.trim();
  return v === undefined || v === "" ? undefined : v;
};
const flag = (c: Context, name: string) => booleanParam(c.req.query(name)) === true;

function v1Filter(c: Context): AdminAccountFilter {
  const statuses = [
    "active",
    "pending",
    "disabled",
    "silenced",
    "suspended",
    "sensitized",
  ] as const;
  const status = statuses.find((s) => flag(c, s));
  return {
    ...(flag(c, "local") ? { origin: "local" as const } : {}),
    ...(flag(c, "remote") ? { origin: "remote" as const } : {}),
    ...(status ? { status } : {}),
    ...(flag(c, "staff") ? { staff: true } : {}),
    ...common(c),
  };
}

function v2Filter(c: Context): AdminAccountFilter {
  const origin = text(c, "origin");
  const status = text(c, "status");
  const known = ["active", "pending", "disabled", "silenced", "suspended"] as const;
  return {
    ...(origin === "local" || origin === "remote" ? { origin } : {}),
    ...(known.includes(status as (typeof known)[number])
      ? { status: status as (typeof known)[number] }
      : {}),
    ...(text(c, "permissions") === "staff" ? { staff: true } : {}),
    ...common(c),
  };
}

function common(c: Context): AdminAccountFilter {
  const pick = (name: string) => text(c, name)?.slice(0, 200);
  return {
    ...(pick("username") ? { username: pick("username")! } : {}),
    ...(pick("display_name") ? { displayName: pick("display_name")! } : {}),
    ...(pick("by_domain") ? { byDomain: pick("by_domain")! } : {}),
    ...(pick("email") ? { email: pick("email")! } : {}),
  };
}

const ActionParams = z.object({
  type: z.enum(ACCOUNT_ACTIONS, {
    error: "must be one of none, sensitive, disable, silence, suspend",
  }),
  text: z
    .string({ error: "must be text" })
    .max(WARNING_TEXT_MAX_LENGTH)
    .nullish()
    .transform((v) => v ?? ""),
  report_id: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => (v === null || v === undefined || v === "" ? undefined : String(v))),
  send_email_notification: z
    .unknown()
    .optional()
    .transform((v) => booleanParam(v) ?? true),
  // Mastodon's saved warning texts; this server keeps none, so an id names nothing and is ignored.
  warning_preset_id: z.unknown().optional(),
});

function accountsRouter(deps: ApiDeps, filterOf: (c: Context) => AdminAccountFilter) {
  const app = new Hono<ApiEnv>();
  const read = requireAdmin(deps, "admin:read:accounts");
  const write = requireAdmin(deps, "admin:write:accounts");
  const mail = {
    mailer: deps.mailer,
    instanceName: deps.config.instanceName,
    origin: deps.config.origin,
  };
  const answer = async (c: Context<ApiEnv>, id: string) => {
    const row = await findAdminAccount(deps.db, id);
    if (row === undefined) throw notFound();
    return c.json((await renderAdminAccounts(deps, [row]))[0]!);
  };

  app.get("/", read, async (c) => {
    const page = readPage(c, 100, 200);
    const rows = await listAdminAccounts(deps.db, filterOf(c), page);
    setLinkHeader(
      c,
      deps.config.origin,
      rows.map((r) => r.account.id),
      page.limit,
    );
    return c.json(await renderAdminAccounts(deps, rows));
  });

  app.get("/:id", read, async (c) => await answer(c, c.req.param("id")));

  app.post("/:id/action", write, async (c) => {
    const p = await parseParams(c, ActionParams);
    await actOnAccount(
      deps.db,
      {
        moderatorId: viewerId(c),
        targetId: c.req.param("id"),
        action: p.type,
        text: p.text,
        reportId: p.report_id,
        notify: p.send_email_notification,
      },
      mail,
    );
    return c.json({});
  });

  app.post("/:id/approve", write, async (c) => {
    await approveAccount(deps.db, c.req.param("id"), mail);
    return await answer(c, c.req.param("id"));
  });

  app.post("/:id/reject", write, async (c) => {
    const row = await findAdminAccount(deps.db, c.req.param("id"));
    if (row === undefined) throw notFound();
    // Answered as it was: the account is gone once rejected.
    const [before] = await renderAdminAccounts(deps, [row]);
    await rejectAccount(deps.db, row.account.id, mail);
    return c.json(before);
  });

  for (const undo of ["enable", "unsuspend", "unsilence", "unsensitive"] satisfies UndoAction[]) {
    app.post(`/:id/${undo}`, write, async (c) => {
      await undoAccountAction(deps.db, { moderatorId: viewerId(c) }, c.req.param("id"), undo);
      return await answer(c, c.req.param("id"));
    });
  }

  return app;
}

export const adminAccountsRouter = (deps: ApiDeps) => accountsRouter(deps, v1Filter);
export const adminAccountsV2Router = (deps: ApiDeps) => accountsRouter(deps, v2Filter);
