// Status rows → Mastodon Status, from a StatusBundle loaded in batch (db/queries/statuses.ts): the
// author, the boosted status, media, mentions, tags, the preview card, the emoji reactions (Pleroma's
// `pleroma.emoji_reactions`) and the viewer's own favourite/boost/bookmark flags.
import type { StatusBundle } from "../../db/queries/statuses.ts";
import type { Status } from "../../db/schema/index.ts";
import { pleromaReactionName, reactionImageUrl } from "../../domain/emoji-reactions.ts";
import { quoteApprovalOf, shownQuoteState } from "../../domain/quotes.ts";
import type { ApiPoll, ApiQuote, ApiShallowQuote, ApiStatus } from "../types.ts";
import { toApiAccount } from "./account.ts";
import type { SerializeContext } from "./context.ts";
import { toApiCustomEmoji } from "./custom-emoji.ts";
import { toApiMediaAttachment } from "./media.ts";
import { toApiPreviewCard } from "./preview-card.ts";

/** Serializes one status of the bundle; undefined when its author is missing (suspended, deleted). */
export function toApiStatus(
  status: Status,
  bundle: StatusBundle,
  ctx: SerializeContext,
  viewerId: string | null,
  /** Serializing the quoted status of a quote: its own quote is shallow (an id). */
  insideQuote = false,
): ApiStatus | undefined {
  const author = bundle.accounts.get(status.accountId);
  if (author === undefined) return undefined;
  let reblog: ApiStatus | null = null;
  if (status.reblogOfId !== null) {
    const original = bundle.statuses.get(status.reblogOfId);
    reblog = original ? (toApiStatus(original, bundle, ctx, viewerId) ?? null) : null;
    if (reblog === null) return undefined;
  }
  const viewer = viewerId !== null;
  return {
    id: status.id,
    uri: status.iri,
    url: status.reblogOfId !== null ? null : (status.url ?? status.iri),
    created_at: status.createdAt.toISOString(),
    edited_at: status.editedAt?.toISOString() ?? null,
    account: toApiAccount(author, bundle.accountMedia, ctx),
    content: status.reblogOfId !== null ? "" : status.content,
    visibility: status.visibility,
    sensitive: status.sensitive,
    spoiler_text: status.spoilerText,
    media_attachments: (bundle.media.get(status.id) ?? []).map((m) => toApiMediaAttachment(m, ctx)),
    application: null,
    mentions: (bundle.mentions.get(status.id) ?? []).map((a) => ({
      id: a.id,
      username: a.username,
      url: a.url ?? a.iri,
      acct: a.domain === null ? a.username : `${a.username}@${a.domain}`,
    })),
    // Mastodon's Status.tags carry only name and url (no history).
    tags: (bundle.tags.get(status.id) ?? []).map((t) => ({
      name: t.displayName || t.name,
      url: ctx.urls.tag(t.name),
    })),
    emojis: (bundle.emojis.get(status.id) ?? []).map((e) => toApiCustomEmoji(e, ctx)),
    reblogs_count: status.reblogsCount,
    favourites_count: status.favouritesCount,
    replies_count: status.repliesCount,
    in_reply_to_id: status.inReplyToId,
    in_reply_to_account_id: status.inReplyToAccountId,
    reblog,
    quote: insideQuote
      ? toApiShallowQuote(status, bundle)
      : toApiQuote(status, bundle, ctx, viewerId),
    quote_approval: quoteApprovalOf(status, viewerId, bundle.quotes.followed.has(status.accountId)),
    poll: status.poll === null ? null : toApiPoll(status, bundle, ctx, viewerId),
    // A boost shows its card inside `reblog`, as Mastodon's.
    card:
      status.reblogOfId === null && bundle.cards.has(status.id)
        ? toApiPreviewCard(bundle.cards.get(status.id)!, ctx)
        : null,
    language: status.language,
    text: null,
    pleroma: {
      emoji_reactions: (bundle.reactions.get(status.id) ?? []).map((r) => ({
        name: pleromaReactionName(r.name),
        count: r.count,
        me: viewer && r.me,
        url: reactionImageUrl(r, ctx.urls),
      })),
    },
    ...(viewer
      ? {
          favourited: bundle.favourited.has(status.id),
          reblogged: bundle.reblogged.has(status.id),
          muted: bundle.muted.has(status.accountId),
          bookmarked: bundle.bookmarked.has(status.id),
          pinned: bundle.pinned.has(status.id),
          filtered: [],
        }
      : {}),
  };
}

function quoteShown(status: Status, bundle: StatusBundle) {
  const id = status.quoteOfId;
  return shownQuoteState(status, {
    exists: id !== null && bundle.quotes.found.has(id),
    visible: id !== null && bundle.quotes.visible.has(id),
  });
}

/** Status.quote: the quoted status inside, when accepted and visible to the viewer. */
function toApiQuote(
  status: Status,
  bundle: StatusBundle,
  ctx: SerializeContext,
  viewerId: string | null,
): ApiQuote | null {
  const state = quoteShown(status, bundle);
  if (state === null) return null;
  const quoted = state === "accepted" ? bundle.statuses.get(status.quoteOfId!) : undefined;
  const shown = quoted && toApiStatus(quoted, bundle, ctx, viewerId, true);
  // A quoted post whose author cannot be shown (suspended, gone) is as a deleted one.
  if (state === "accepted" && shown === undefined) return { state: "deleted", quoted_status: null };
  return { state, quoted_status: shown ?? null };
}

/** The quote of a quoted status, by id only (Mastodon's ShallowQuote). */
function toApiShallowQuote(status: Status, bundle: StatusBundle): ApiShallowQuote | null {
  const state = quoteShown(status, bundle);
  if (state === null) return null;
  return { state, quoted_status_id: state === "accepted" ? status.quoteOfId : null };
}

/**
 * A status's poll; its id is the status's (one poll per status). With hide_totals the options' counts
 * are null until it ends, except for its author. `voted` is true for the author too, as on Mastodon
 * (the author cannot vote, so apps show the results).
 */
export function toApiPoll(
  status: Status,
  bundle: Pick<StatusBundle, "pollVotes">,
  ctx: SerializeContext,
  viewerId: string | null,
): ApiPoll {
  const poll = status.poll!;
  const expired =
    poll.expiresAt !== null && Date.parse(poll.expiresAt) <= (ctx.now?.() ?? new Date()).getTime();
  const own = viewerId === null ? [] : (bundle.pollVotes.get(status.id) ?? []);
  const showTotals = !poll.hideTotals || expired || viewerId === status.accountId;
  return {
    id: status.id,
    expires_at: poll.expiresAt,
    expired,
    multiple: poll.multiple,
    votes_count: poll.options.reduce((sum, o) => sum + o.votesCount, 0),
    voters_count: poll.votersCount,
    options: poll.options.map((o) => ({
      title: o.title,
      votes_count: showTotals ? o.votesCount : null,
    })),
    emojis: [],
    ...(viewerId !== null
      ? { voted: own.length > 0 || viewerId === status.accountId, own_votes: own }
      : {}),
  };
}

/** Serializes a page of statuses in order, dropping those that cannot be shown. */
export function toApiStatuses(
  rows: readonly Status[],
  bundle: StatusBundle,
  ctx: SerializeContext,
  viewerId: string | null,
): ApiStatus[] {
  return rows
    .map((s) => toApiStatus(s, bundle, ctx, viewerId))
    .filter((s): s is ApiStatus => s !== undefined);
}
