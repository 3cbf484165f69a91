// Block, Flag (a report) and Move from remote actors.
import type { Block, Flag, Move } from "@fedify/vocab";
import { blockAccount } from "../../src/domain/interactions.ts";
import { moveRemoteAccount } from "../../src/domain/remote-accounts.ts";
import { MAX_REPORTED_STATUSES, receiveReport } from "../../src/domain/reports.ts";
import { remoteText } from "../mappers/from-ap.ts";
import { resolveActor } from "../remote.ts";
import { type Ctx, localAccountOf, log, sender, statusOf } from "./support.ts";

export async function onBlock(ctx: Ctx, block: Block): Promise<void> {
  const account = await sender(ctx, block);
  if (account === null) return;
  const target = await localAccountOf(ctx, block.objectId);
  if (target === null) return;
  await blockAccount(ctx.data.db, ctx.data.urls, account, target, block.id!.href);
}

export async function onFlag(ctx: Ctx, flag: Flag): Promise<void> {
  const reporter = await sender(ctx, flag);
  if (reporter === null) return;
  // A Flag's objects are the reported actor and, optionally, some of its statuses.
  let target = null;
  const statusIds: string[] = [];
  // Each object costs a lookup: a report names the account and at most MAX_REPORTED_STATUSES
  // statuses, so a Flag listing thousands is read no further than that.
  for (const id of flag.objectIds.slice(0, MAX_REPORTED_STATUSES + 1)) {
    const account = await localAccountOf(ctx, id);
    if (account !== null) {
      target ??= account;
      continue;
    }
    const status = await statusOf(ctx, id);
    if (status?.local) statusIds.push(status.id);
  }
  if (target === null) {
    log.info("Ignoring Flag {id} that names no local account.", { id: flag.id?.href });
    return;
  }
  await receiveReport(ctx.data.db, {
    iri: flag.id!.href,
    reporter,
    target,
    statusIds,
    comment: remoteText(flag.content),
  });
}

export async function onMove(ctx: Ctx, move: Move): Promise<void> {
  const from = await sender(ctx, move);
  if (from === null || move.objectId?.href !== from.iri || move.targetId === null) {
    log.info("Ignoring Move {id} not made by the moved actor itself.", { id: move.id?.href });
    return;
  }
  // The new actor must be fetched fresh: it has to name the old one in alsoKnownAs. It may be one of
  // ours (someone moving here), whose aliases are the local user's own choice.
  const to = await resolveActor(ctx, move.targetId, { refresh: true });
  if (to === null) return;
  if (!(await moveRemoteAccount(ctx.data.db, from, to))) {
    log.info("Ignoring Move {id}: {to} does not list {from} as an alias, or is suspended.", {
      id: move.id?.href,
      to: to.iri,
      from: from.iri,
    });
  }
}
