// Pins going out as Mastodon sends them: Add and Remove of a status to the actor's featured collection,
// to the followers. Activity ids carry the pin's id, so pinning again after an unpin is a new activity
// that receivers do not take for a repeat. (Featured hashtags go out as an Update of the actor.)
import { Add, PUBLIC_COLLECTION, Remove } from "@fedify/vocab";
import { eq } from "drizzle-orm";
import { findAccountById } from "../../src/db/queries/accounts.ts";
import { statusPins } from "../../src/db/schema/index.ts";
import type { EventOf } from "../../src/domain/events.ts";
import { findStatusById } from "../../src/domain/remote-statuses.ts";
import { audience, type Outbox, send } from "./send.ts";

async function localAccount(outbox: Outbox, accountId: string) {
  const account = await findAccountById(outbox.deps.db, accountId, { includeSuspended: true });
  return account === undefined || account.domain !== null ? null : account;
}

/** to: the followers; the Add of a public or unlisted status is public too (as its Create was). */
function addressed(outbox: Outbox, username: string, visibility: string) {
  const followers = new URL(outbox.deps.urls.followers(username));
  const listed = visibility === "public" || visibility === "unlisted";
  return listed ? { tos: [followers], ccs: [PUBLIC_COLLECTION] } : { tos: [followers], ccs: [] };
}

export async function sendPinAdd(outbox: Outbox, event: EventOf<"status.pinned">) {
  const db = outbox.deps.db;
  const pin = (
    await db.select().from(statusPins).where(eq(statusPins.id, event.pinId)).limit(1)
  )[0];
  if (pin === undefined) return;
  const account = await localAccount(outbox, pin.accountId);
  const status = await findStatusById(db, pin.statusId);
  if (account === null || status === undefined || status.visibility === "direct") return;
  const add = new Add({
    id: new URL(`${account.iri}#pins/${pin.id}`),
    actor: new URL(account.iri),
    object: new URL(status.iri),
    target: new URL(outbox.deps.urls.featured(account.username)),
    ...addressed(outbox, account.username, status.visibility),
  });
  await send(outbox, account, await audience(outbox, account, [], true), add);
}

export async function sendPinRemove(outbox: Outbox, event: EventOf<"status.unpinned">) {
  const account = await localAccount(outbox, event.accountId);
  const status = await findStatusById(outbox.deps.db, event.statusId);
  if (account === null || status === undefined) return;
  const remove = new Remove({
    id: new URL(`${account.iri}#pins/${event.pinId}/remove`),
    actor: new URL(account.iri),
    object: new URL(status.iri),
    target: new URL(outbox.deps.urls.featured(account.username)),
    ...addressed(outbox, account.username, status.visibility),
  });
  await send(outbox, account, await audience(outbox, account, [], true), remove);
}
