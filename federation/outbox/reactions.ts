// A local user's emoji reactions going out: EmojiReact (Misskey's, Akkoma's and Pleroma's activity) to
// the status's author, with Misskey's `_misskey_reaction` and a custom emoji as an `Emoji` tag (ours, or
// another server's known here, with that server's image and id), and its Undo.
import type { Emoji } from "@fedify/vocab";
import { eq } from "drizzle-orm";
import { findAccountById } from "../../src/db/queries/accounts.ts";
import { findLocalEmoji } from "../../src/db/queries/emojis.ts";
import { emojiReactions } from "../../src/db/schema/index.ts";
import { customReactionParts, knownRemoteEmoji } from "../../src/domain/emoji-reactions.ts";
import type { EventOf } from "../../src/domain/events.ts";
import { findStatusById } from "../../src/domain/remote-statuses.ts";
import { MisskeyEmojiReact, ReactionUndo } from "../mappers/misskey-reaction.ts";
import { emojiTags, remoteEmojiTag } from "../mappers/to-ap.ts";
import { audience, type Outbox, send } from "./send.ts";

/** The local reactor, the status and its remote author; null when nothing is to be sent. */
async function reactionParties(outbox: Outbox, accountId: string, statusId: string) {
  const db = outbox.deps.db;
  const account = await findAccountById(db, accountId, { includeSuspended: true });
  const status = await findStatusById(db, statusId);
  const author = status
    ? await findAccountById(db, status.accountId, { includeSuspended: true })
    : undefined;
  if (account?.domain !== null || status === undefined || author === undefined) return null;
  if (author.domain === null) return null;
  return { account, status, author };
}

async function reactionActivity(
  outbox: Outbox,
  p: NonNullable<Awaited<ReturnType<typeof reactionParties>>>,
  id: string,
  name: string,
): Promise<MisskeyEmojiReact> {
  const db = outbox.deps.db;
  const custom = customReactionParts(name);
  let content = name;
  let tags: Emoji[] = [];
  if (custom !== null && custom.domain !== null) {
    // Another server's emoji goes out as :shortcode: with its tag, as Akkoma sends one: the receiver
    // names it after us (Misskey keys a reaction's emoji by the reactor's host), with its real image.
    content = `:${custom.shortcode}:`;
    const known = await knownRemoteEmoji(db, custom.shortcode, custom.domain, p.status.id);
    if (known !== null) tags = [remoteEmojiTag(known)];
  } else if (custom !== null) {
    const emoji = await findLocalEmoji(db, custom.shortcode);
    if (emoji !== undefined) tags = emojiTags([emoji], outbox.deps.urls);
  }
  return MisskeyEmojiReact.withReaction(
    {
      id: new URL(id),
      actor: new URL(p.account.iri),
      object: new URL(p.status.iri),
      content,
      tags,
      to: new URL(p.author.iri),
    },
    content,
  );
}

export async function sendReaction(outbox: Outbox, event: EventOf<"reaction.created">) {
  const reaction = (
    await outbox.deps.db
      .select()
      .from(emojiReactions)
      .where(eq(emojiReactions.id, event.reactionId))
      .limit(1)
  )[0];
  if (reaction === undefined) return;
  const p = await reactionParties(outbox, reaction.accountId, reaction.statusId);
  if (p === null) return;
  const id = reaction.iri ?? outbox.deps.urls.reaction(reaction.id);
  const react = await reactionActivity(outbox, p, id, reaction.name);
  await send(outbox, p.account, await audience(outbox, p.account, [p.author], false), react);
}

export async function sendUnreaction(outbox: Outbox, event: EventOf<"reaction.undone">) {
  const p = await reactionParties(outbox, event.accountId, event.statusId);
  if (p === null) return;
  const id = event.reactionIri ?? outbox.deps.urls.reaction(event.reactionId);
  const undo = ReactionUndo.of({
    id: new URL(`${id}#undo`),
    actor: new URL(p.account.iri),
    object: await reactionActivity(outbox, p, id, event.name),
    to: new URL(p.author.iri),
  });
  await send(outbox, p.account, await audience(outbox, p.account, [p.author], false), undo);
}
