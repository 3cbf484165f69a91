// Favourites, blocks and profile changes going out: Like and Undo(Like) to the status's author, Block and
// Undo(Block) to the blocked actor, Update(Person) to followers when a local profile changes.
import { Block, Like, Undo, Update } from "@fedify/vocab";
import { eq } from "drizzle-orm";
import { findAccountById, loadAccountMedia } from "../../src/db/queries/accounts.ts";
import { blocks, favourites } from "../../src/db/schema/index.ts";
import { hasDatasetConsent } from "../../src/domain/data-mining.ts";
import type { EventOf } from "../../src/domain/events.ts";
import { findStatusById } from "../../src/domain/remote-statuses.ts";
import { movedToIri } from "../actors.ts";
import { accountToActor } from "../mappers/to-ap.ts";
import { audience, type Outbox, send } from "./send.ts";

async function likeParties(outbox: Outbox, accountId: string, statusId: string) {
  const account = await findAccountById(outbox.deps.db, accountId, { includeSuspended: true });
  const status = await findStatusById(outbox.deps.db, statusId);
  const author = status
    ? await findAccountById(outbox.deps.db, status.accountId, { includeSuspended: true })
    : undefined;
  if (account?.domain !== null || status === undefined || author === undefined) return null;
  if (author.domain === null) return null;
  return { account, status, author };
}

export async function sendLike(outbox: Outbox, event: EventOf<"favourite.created">) {
  const favourite = (
    await outbox.deps.db
      .select()
      .from(favourites)
      .where(eq(favourites.id, event.favouriteId))
      .limit(1)
  )[0];
  if (favourite === undefined) return;
  const p = await likeParties(outbox, favourite.accountId, favourite.statusId);
  if (p === null) return;
  const like = new Like({
    id: new URL(favourite.iri ?? outbox.deps.urls.favourite(favourite.id)),
    actor: new URL(p.account.iri),
    object: new URL(p.status.iri),
    to: new URL(p.author.iri),
  });
  await send(outbox, p.account, await audience(outbox, p.account, [p.author], false), like);
}

export async function sendUnlike(outbox: Outbox, event: EventOf<"favourite.undone">) {
  const p = await likeParties(outbox, event.accountId, event.statusId);
  if (p === null) return;
  const likeId = event.favouriteIri ?? outbox.deps.urls.favourite(event.favouriteId);
  const undo = new Undo({
    id: new URL(`${likeId}#undo`),
    actor: new URL(p.account.iri),
    object: new Like({
      id: new URL(likeId),
      actor: new URL(p.account.iri),
      object: new URL(p.status.iri),
    }),
    to: new URL(p.author.iri),
  });
  await send(outbox, p.account, await audience(outbox, p.account, [p.author], false), undo);
}

export async function sendBlock(outbox: Outbox, event: EventOf<"block.created">) {
  const block = (
    await outbox.deps.db.select().from(blocks).where(eq(blocks.id, event.blockId)).limit(1)
  )[0];
  if (block === undefined) return;
  const account = await findAccountById(outbox.deps.db, block.accountId, {
    includeSuspended: true,
  });
  const target = await findAccountById(outbox.deps.db, block.targetAccountId, {
    includeSuspended: true,
  });
  if (account?.domain !== null || target === undefined || target.domain === null) return;
  const activity = new Block({
    id: new URL(block.iri ?? outbox.deps.urls.block(block.id)),
    actor: new URL(account.iri),
    object: new URL(target.iri),
    to: new URL(target.iri),
  });
  await send(outbox, account, await audience(outbox, account, [target], false), activity);
}

export async function sendUnblock(outbox: Outbox, event: EventOf<"block.undone">) {
  const account = await findAccountById(outbox.deps.db, event.accountId, {
    includeSuspended: true,
  });
  const target = await findAccountById(outbox.deps.db, event.targetAccountId, {
    includeSuspended: true,
  });
  if (account?.domain !== null || target === undefined || target.domain === null) return;
  const blockId = event.blockIri ?? outbox.deps.urls.block(event.blockId);
  const undo = new Undo({
    id: new URL(`${blockId}#undo`),
    actor: new URL(account.iri),
    object: new Block({
      id: new URL(blockId),
      actor: new URL(account.iri),
      object: new URL(target.iri),
    }),
    to: new URL(target.iri),
  });
  await send(outbox, account, await audience(outbox, account, [target], false), undo);
}

export async function sendProfileUpdate(outbox: Outbox, event: EventOf<"account.updated">) {
  const account = await findAccountById(outbox.deps.db, event.accountId, {
    includeSuspended: true,
  });
  if (account === undefined || account.domain !== null) return;
  const ctx = outbox.federation.createContext(new URL(outbox.deps.config.origin), outbox.deps);
  const keys = await ctx.getActorKeyPairs(account.username);
  const actor = accountToActor(
    account,
    outbox.deps.urls,
    keys,
    await loadAccountMedia(outbox.deps.db, [account]),
    await hasDatasetConsent(outbox.deps.db, account.id),
    await movedToIri(outbox.deps.db, account),
  );
  const update = new Update({
    id: new URL(`${account.iri}#updates/${Date.now()}`),
    actor: new URL(account.iri),
    object: actor,
    to: new URL(account.followersUrl ?? outbox.deps.urls.followers(account.username)),
  });
  await send(outbox, account, await audience(outbox, account, [], true), update);
}
