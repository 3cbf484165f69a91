// Like and EmojiReact of statuses stored here. A Like is always a favourite (as Mastodon counts it); one
// with content, as Misskey sends, is also kept as that emoji reaction for clients that show reactions.
// What the content and tags react with is the domain's rule (remoteReaction).
import { Emoji, type EmojiReact, type Like } from "@fedify/vocab";
import { canSee } from "../../src/db/queries/visibility.ts";
import type { Account } from "../../src/db/schema/index.ts";
import {
  type RemoteReactionEmoji,
  type ResolvedReaction,
  reactToStatus,
  remoteReaction,
} from "../../src/domain/emoji-reactions.ts";
import { favouriteStatus } from "../../src/domain/interactions.ts";
import { httpUrl, remoteText } from "../mappers/from-ap.ts";
import { type Ctx, log, sender, statusOf, unlessBlocked } from "./support.ts";

const MAX_TAGS = 64;

/** The reaction an activity's content and `Emoji` tags name, by the domain's rule (null: none). */
async function reaction(
  account: Account,
  activity: Like | EmojiReact,
): Promise<ResolvedReaction | null> {
  const content = remoteText(activity.content);
  if (!content.trim() || account.domain === null) return null;
  const emojis: RemoteReactionEmoji[] = [];
  let seen = 0;
  for await (const tag of activity.getTags({ suppressError: true } as never)) {
    // A reaction names one emoji; a sender listing thousands of tags gets no icon, not our time.
    if (++seen > MAX_TAGS) break;
    if (!(tag instanceof Emoji) || tag.name === null) continue;
    const icon = await tag.getIcon().catch(() => null);
    emojis.push({
      name: remoteText(tag.name.toString()),
      iconUrl: httpUrl(icon?.url instanceof URL ? icon.url : null),
    });
  }
  return remoteReaction(account.domain, content, emojis);
}

export async function onLike(ctx: Ctx, like: Like): Promise<void> {
  const account = await sender(ctx, like);
  if (account === null) return;
  const status = await statusOf(ctx, like.objectId);
  if (status === null) {
    log.debug("Like {id} of an unknown status.", { id: like.id?.href });
    return;
  }
  // A status its actor may not see is one it cannot have liked (the domain refuses it too; dropping it
  // here keeps a forged or misaddressed Like from failing, and being retried, in the queue).
  if (!(await canSee(ctx.data.db, status, account.id))) {
    log.info("Dropping Like {id} of a status its actor may not see.", { id: like.id?.href });
    return;
  }
  const stored = await unlessBlocked(
    like,
    async () => await favouriteStatus(ctx.data.db, ctx.data.urls, account, status, like.id!.href),
  );
  if (!stored) return;
  const emoji = await reaction(account, like);
  if (emoji !== null) {
    await reactToStatus(ctx.data.db, ctx.data.urls, account, status, {
      iri: like.id!.href,
      ...emoji,
    });
  }
}

export async function onEmojiReact(ctx: Ctx, react: EmojiReact): Promise<void> {
  const account = await sender(ctx, react);
  if (account === null) return;
  const status = await statusOf(ctx, react.objectId);
  const emoji = await reaction(account, react);
  if (status === null || emoji === null) return;
  if (!(await canSee(ctx.data.db, status, account.id))) {
    log.info("Dropping EmojiReact {id} of a status its actor may not see.", { id: react.id?.href });
    return;
  }
  await unlessBlocked(
    react,
    async () =>
      await reactToStatus(ctx.data.db, ctx.data.urls, account, status, {
        iri: react.id!.href,
        ...emoji,
      }),
  );
}
