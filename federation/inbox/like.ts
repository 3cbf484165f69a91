// Like and EmojiReact of statuses stored here. A Like is always a favourite (as Mastodon counts it); one
// with content, as Misskey sends, is also kept as that emoji reaction for clients that show reactions.
import { Emoji, type EmojiReact, type Like } from "@fedify/vocab";
import { canSee } from "../../src/db/queries/visibility.ts";
import { reactToStatus } from "../../src/domain/emoji-reactions.ts";
import { favouriteStatus } from "../../src/domain/interactions.ts";
import { isValidEmojiShortcode } from "../../src/domain/remote-accounts.ts";
import { httpUrl, remoteText } from "../mappers/from-ap.ts";
import { type Ctx, log, sender, statusOf, unlessBlocked } from "./support.ts";

const MAX_TAGS = 64;

async function reaction(
  activity: Like | EmojiReact,
): Promise<{ name: string; url: string | null } | null> {
  const content = remoteText(activity.content).trim();
  if (!content) return null;
  let url: string | null = null;
  let seen = 0;
  for await (const tag of activity.getTags({ suppressError: true } as never)) {
    // A reaction names one emoji; a sender listing thousands of tags gets no icon, not our time.
    if (++seen > MAX_TAGS) break;
    // Misskey names the Emoji ":blob:", Akkoma "blob"; the content is ":blob:" either way.
    const shortcode =
      tag instanceof Emoji ? tag.name?.toString().replace(/^:?(.*?):?$/, "$1") : null;
    // An emoji whose shortcode Mastodon would not store is dropped (the reaction keeps no icon).
    if (
      tag instanceof Emoji &&
      shortcode &&
      isValidEmojiShortcode(shortcode) &&
      `:${shortcode}:` === content
    ) {
      const icon = await tag.getIcon().catch(() => null);
      url = httpUrl(icon?.url instanceof URL ? icon.url : null);
      break;
    }
  }
  return { name: content, url };
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
  const emoji = await reaction(like);
  if (emoji !== null) {
    await reactToStatus(ctx.data.db, ctx.data.urls, account, status, {
      iri: like.id!.href,
      name: emoji.name,
      emojiUrl: emoji.url,
    });
  }
}

export async function onEmojiReact(ctx: Ctx, react: EmojiReact): Promise<void> {
  const account = await sender(ctx, react);
  if (account === null) return;
  const status = await statusOf(ctx, react.objectId);
  const emoji = await reaction(react);
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
        name: emoji.name,
        emojiUrl: emoji.url,
      }),
  );
}
