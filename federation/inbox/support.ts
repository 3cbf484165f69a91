// What every inbox handler does first: find the sending actor's account (fetched and stored if needed),
// refusing blocked domains, and find which local account or status an activity is about.
import type { Context, InboxContext } from "@fedify/fedify";
import type { Activity } from "@fedify/vocab";
import type { Account, Status } from "../../src/db/schema/index.ts";
import { findLocalAccount } from "../../src/domain/accounts.ts";
import { AcrossBlockError } from "../../src/domain/block-policy.ts";
import { mayFederateWith } from "../../src/domain/federation-policy.ts";
import { findStatusByIri } from "../../src/domain/remote-statuses.ts";
import { logger } from "../../src/logging.ts";
import type { FederationDeps } from "../context.ts";
import { resolveActor } from "../remote.ts";

export const log = logger("federation", "inbox");

export type Ctx = InboxContext<FederationDeps>;

/** The sender's stored account, or null (logged) when the activity must be dropped. */
export async function sender(ctx: Ctx, activity: Activity): Promise<Account | null> {
  const actorId = activity.actorId;
  if (actorId === null || activity.id === null) {
    log.info("Dropping {type} without an id or actor.", { type: activity.constructor.name });
    return null;
  }
  if (!(await mayFederateWith(ctx.data.db, actorId.host, ctx.data.config))) {
    log.info("Dropping {type} from {host}, a domain we do not federate with.", {
      type: activity.constructor.name,
      host: actorId.host,
    });
    return null;
  }
  // An activity's id must be on its actor's origin; otherwise it claims something it cannot own.
  if (activity.id.origin !== actorId.origin) {
    log.info("Dropping {id}: its id is not on its actor's origin {actor}.", {
      id: activity.id.href,
      actor: actorId.href,
    });
    return null;
  }
  const account = await resolveActor(ctx, actorId);
  if (account === null || account.domain === null) return null;
  // A remote account our moderators suspended is not heard from while it lasts (its domain stays open).
  if (account.suspendedAt !== null) {
    log.info("Dropping {type} from suspended account {actor}.", {
      type: activity.constructor.name,
      actor: actorId.href,
    });
    return null;
  }
  return account;
}

/** The local account an actor URI names, if it is one of ours. */
export async function localAccountOf(
  ctx: Context<FederationDeps>,
  uri: URL | null,
): Promise<Account | null> {
  if (uri === null) return null;
  const parsed = ctx.parseUri(uri);
  if (parsed?.type !== "actor") return null;
  return (await findLocalAccount(ctx.data.db, parsed.identifier)) ?? null;
}

/** A stored status (ours or remote) by its id. */
export async function statusOf(
  ctx: Context<FederationDeps>,
  uri: URL | null,
): Promise<Status | null> {
  if (uri === null) return null;
  return (await findStatusByIri(ctx.data.db, uri.href)) ?? null;
}

/**
 * Runs a domain call for an activity; one refused across a block (AcrossBlockError) is dropped with a log
 * line rather than failing the inbox, as a retry would be refused the same way. False when dropped.
 */
export async function unlessBlocked(
  activity: Activity,
  call: () => Promise<unknown> | unknown,
): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (!(error instanceof AcrossBlockError)) throw error;
    log.info("Dropping {type} {id} across a block.", {
      type: activity.constructor.name,
      id: activity.id?.href,
    });
    return false;
  }
}
