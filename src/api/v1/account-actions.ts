// /api/v1/accounts/:id/{follow,unfollow,block,unblock,mute,unmute,endorse,unendorse} and
// /api/v1/follow_requests/:id/{authorize,reject}: each answers the Relationship afterwards, as Mastodon
// does. The rules (and the events the federation outbox turns into Follow, Undo, Block, Accept, Reject)
// live in domain/follows.ts, interactions.ts and mutes.ts; repeats are harmless.
import { Hono } from "hono";
import { findAccountById, relationships } from "../../db/queries/accounts.ts";
import type { Account } from "../../db/schema/index.ts";
import { endorseAccount, unendorseAccount } from "../../domain/endorsements.ts";
import {
  acceptFollowRequest,
  findFollow,
  followAccount,
  rejectFollowRequest,
  setFollowOptions,
  unfollowAccount,
} from "../../domain/follows.ts";
import { blockAccount, unblockAccount } from "../../domain/interactions.ts";
import { muteAccount, unmuteAccount } from "../../domain/mutes.ts";
import { notFound } from "../../errors.ts";
import { asValidation, booleanParam, readParams } from "../http.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { toApiRelationship } from "../serializers/relationship.ts";
import type { ApiDeps, ApiEnv, ApiRelationship } from "../types.ts";

export function accountActions(deps: ApiDeps) {
  const accountOr404 = async (id: string): Promise<Account> => {
    const account = await findAccountById(deps.db, id);
    if (account === undefined) throw notFound();
    return account;
  };
  const relationship = async (viewer: string, targetId: string): Promise<ApiRelationship> => {
    const row = (await relationships(deps.db, viewer, [targetId]))[0];
    if (row === undefined) throw notFound();
    return toApiRelationship(row);
  };
  /** The signed-in account and the account in the path. */
  const pair = async (viewer: string, id: string) => ({
    me: await accountOr404(viewer),
    target: await accountOr404(id),
  });
  return { accountOr404, relationship, pair };
}

export function accountActionsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const { relationship, pair } = accountActions(deps);

  app.post("/:id/follow", requireScope("write:follows"), async (c) => {
    const viewer = viewerId(c);
    const { me, target } = await pair(viewer, c.req.param("id"));
    const p = await readParams(c);
    // Across a block (either way) followAccount throws AcrossBlockError: Mastodon's 403.
    const isNew = (await findFollow(deps.db, me.id, target.id)) === undefined;
    const follow = await asValidation(
      async () => await followAccount(deps.db, deps.urls, me, target),
    );
    // Boosts show by default on a new follow; a repeat changes only what it names.
    const reblogs = booleanParam(p.reblogs) ?? (isNew ? true : undefined);
    const notify = booleanParam(p.notify);
    await setFollowOptions(deps.db, follow, {
      ...(reblogs !== undefined ? { showReblogs: reblogs } : {}),
      ...(notify !== undefined ? { notify } : {}),
    });
    return c.json(await relationship(viewer, target.id));
  });

  app.post("/:id/unfollow", requireScope("write:follows"), async (c) => {
    const viewer = viewerId(c);
    const { me, target } = await pair(viewer, c.req.param("id"));
    await unfollowAccount(deps.db, me, target);
    return c.json(await relationship(viewer, target.id));
  });

  // Mastodon's "remove from followers".
  app.post("/:id/remove_from_followers", requireScope("write:follows"), async (c) => {
    const viewer = viewerId(c);
    const { me, target } = await pair(viewer, c.req.param("id"));
    await rejectFollowRequest(deps.db, me, target);
    return c.json(await relationship(viewer, target.id));
  });

  app.post("/:id/block", requireScope("write:blocks"), async (c) => {
    const viewer = viewerId(c);
    const { me, target } = await pair(viewer, c.req.param("id"));
    await asValidation(async () => await blockAccount(deps.db, deps.urls, me, target));
    return c.json(await relationship(viewer, target.id));
  });

  app.post("/:id/unblock", requireScope("write:blocks"), async (c) => {
    const viewer = viewerId(c);
    const { me, target } = await pair(viewer, c.req.param("id"));
    await unblockAccount(deps.db, me, target);
    return c.json(await relationship(viewer, target.id));
  });

  app.post("/:id/mute", requireScope("write:mutes"), async (c) => {
    const viewer = viewerId(c);
    const { me, target } = await pair(viewer, c.req.param("id"));
    const p = await readParams(c);
    const notifications = booleanParam(p.notifications);
    await asValidation(
      async () =>
        await muteAccount(
          deps.db,
          me,
          target,
          notifications !== undefined ? { notifications } : {},
        ),
    );
    return c.json(await relationship(viewer, target.id));
  });

  app.post("/:id/unmute", requireScope("write:mutes"), async (c) => {
    const viewer = viewerId(c);
    const { me, target } = await pair(viewer, c.req.param("id"));
    await unmuteAccount(deps.db, me, target);
    return c.json(await relationship(viewer, target.id));
  });

  // Feature on profile: Mastodon 4.4's endorse/unendorse, and the older pin/unpin clients still call.
  for (const path of ["endorse", "pin"]) {
    app.post(`/:id/${path}`, requireScope("write:accounts"), async (c) => {
      const viewer = viewerId(c);
      const { me, target } = await pair(viewer, c.req.param("id"));
      await asValidation(async () => await endorseAccount(deps.db, me, target));
      return c.json(await relationship(viewer, target.id));
    });
  }
  for (const path of ["unendorse", "unpin"]) {
    app.post(`/:id/${path}`, requireScope("write:accounts"), async (c) => {
      const viewer = viewerId(c);
      const { me, target } = await pair(viewer, c.req.param("id"));
      await unendorseAccount(deps.db, me, target);
      return c.json(await relationship(viewer, target.id));
    });
  }

  return app;
}

/** POST /api/v1/follow_requests/:id/authorize and /reject (the id is the requesting account's). */
export function followRequestActionsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const { relationship, pair } = accountActions(deps);
  const pendingOr404 = async (me: Account, requester: Account) => {
    const follow = await findFollow(deps.db, requester.id, me.id);
    if (follow === undefined || follow.state !== "pending") throw notFound();
  };

  app.post("/:id/authorize", requireScope("write:follows"), async (c) => {
    const viewer = viewerId(c);
    const { me, target } = await pair(viewer, c.req.param("id"));
    // Authorizing an already accepted follower again is a harmless repeat (no second Accept).
    if ((await findFollow(deps.db, target.id, me.id))?.state !== "accepted") {
      await pendingOr404(me, target);
      await acceptFollowRequest(deps.db, me, target);
    }
    return c.json(await relationship(viewer, target.id));
  });

  app.post("/:id/reject", requireScope("write:follows"), async (c) => {
    const viewer = viewerId(c);
    const { me, target } = await pair(viewer, c.req.param("id"));
    await pendingOr404(me, target);
    await rejectFollowRequest(deps.db, me, target);
    return c.json(await relationship(viewer, target.id));
  });

  return app;
}
