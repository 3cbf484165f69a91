// What the pages show of the rows db/queries reads: a status card's view (author, ready images, who
// boosted, the viewer's buttons) and a notification's. The pages ask the same queries the client API
// asks (visibility, blocks and mutes are applied there, once); this file only maps their answers. The
// viewer's filters apply through the API's matcher (domain/filter-matching.ts): `hide` leaves a status
// out, `warn` and `blur` mark it for the card to show behind a "Filtered" disclosure.
import type { Database } from "../db/client.ts";
import { findAccountsByIds } from "../db/queries/accounts.ts";
import type { CustomEmoji } from "../db/queries/emojis.ts";
import type { GalleryTile } from "../db/queries/gallery.ts";
import type { ReactionSummary } from "../db/queries/reactions.ts";
import type {
  Account,
  FilterContext,
  MediaAttachment,
  Notification,
  PreviewCard,
  Status,
} from "../db/queries/rows.ts";
import {
  loadStatusBundle,
  type StatusBundle,
  type ViewerState,
  visibleStatusesByIds,
} from "../db/queries/statuses.ts";
import {
  type FilterMatch,
  hidesStatus,
  loadFilterSet,
  matchFilters,
} from "../domain/filter-matching.ts";
import { type ShownQuoteState, shownQuoteState } from "../domain/quotes.ts";

export type { FilterContext, FilterMatch, ReactionSummary, ViewerState };

export interface StatusView {
  status: Status;
  account: Account;
  media: MediaAttachment[];
  /** For a boost shown in a timeline: who boosted (the status and account are the boosted one's). */
  boostedBy?: Account;
  /** The id to page by (the boost's own id for boosts). */
  cursor: string;
  /** What the signed-in viewer did to the status (for the action buttons); absent for visitors. */
  viewer?: ViewerState;
  /** The viewer's warn or blur filters the status matched, in the page's filter context. */
  filtered?: FilterMatch[];
  /** The signed-in viewer's choices in the status's poll (empty: not voted). */
  pollVotes?: number[];
  /** The preview card of the status's first link, once fetched. */
  card?: PreviewCard;
  /** The custom emojis the status's text uses, and those of its author's name. */
  emojis: CustomEmoji[];
  accountEmojis: CustomEmoji[];
  /** Its emoji reactions by emoji, as the API counts them (`me`: the signed-in viewer's own). */
  reactions: ReactionSummary[];
  /** The status's quote: its state as the API shows it, and the quoted post when it may be shown. */
  quote?: { state: ShownQuoteState; quoted?: QuotedView };
}

/** A quoted post inside a card: its author, text and ready images (its own quote is not shown). */
export interface QuotedView {
  status: Status;
  account: Account;
  media: MediaAttachment[];
  emojis: CustomEmoji[];
  accountEmojis: CustomEmoji[];
}

/** The quote of `status` as the viewer is shown it (domain/quotes.ts's rule, the API's answer). */
function quoteOf(status: Status, bundle: StatusBundle): StatusView["quote"] {
  const id = status.quoteOfId;
  const state = shownQuoteState(status, {
    exists: id !== null && bundle.quotes.found.has(id),
    visible: id !== null && bundle.quotes.visible.has(id),
  });
  if (state === null) return undefined;
  const quoted = state === "accepted" ? bundle.statuses.get(id!) : undefined;
  const account = quoted && bundle.accounts.get(quoted.accountId);
  if (state === "accepted" && (account === undefined || account.suspendedAt !== null)) {
    return { state: "deleted" };
  }
  if (quoted === undefined || account === undefined) return { state };
  return {
    state,
    quoted: {
      status: quoted,
      account,
      media: (bundle.media.get(quoted.id) ?? []).filter((m) => m.state === "ready"),
      emojis: bundle.emojis.get(quoted.id) ?? [],
      accountEmojis: bundle.accountMedia.emojis.get(account.id) ?? [],
    },
  };
}

export interface Page<T> {
  items: T[];
  /** Cursor for the next (older) page, or null at the end. */
  next: string | null;
}

export const PAGE_SIZE = 20;

/**
 * Turns status rows a query returned into views, with one status bundle (the API's batch loader) for
 * all of them. Rows whose author is suspended or missing, and boosts of a status not loaded, are left
 * out, as the API's serializer leaves them out. With a `context` and a signed-in viewer, the viewer's
 * filters of that context apply (loaded once for all rows).
 */
export async function statusViews(
  db: Database,
  rows: Status[],
  viewerId: string | null,
  context?: FilterContext,
): Promise<StatusView[]> {
  if (rows.length === 0) return [];
  const bundle = await loadStatusBundle(db, rows, viewerId);
  const filters =
    context === undefined || viewerId === null
      ? undefined
      : await loadFilterSet(db, viewerId, context);
  const views: StatusView[] = [];
  for (const row of rows) {
    const target = row.reblogOfId === null ? row : bundle.statuses.get(row.reblogOfId);
    if (target === undefined) continue;
    const account = bundle.accounts.get(target.accountId);
    if (account === undefined || account.suspendedAt !== null) continue;
    const matches =
      filters === undefined
        ? []
        : matchFilters(filters, row, target, bundle.media.get(target.id) ?? []);
    if (hidesStatus(matches)) continue;
    const booster = bundle.accounts.get(row.accountId);
    views.push({
      status: target,
      account,
      // The pages show only processed images (the API lists every attachment, with its state).
      media: (bundle.media.get(target.id) ?? []).filter((m) => m.state === "ready"),
      ...(row.reblogOfId !== null && booster !== undefined ? { boostedBy: booster } : {}),
      cursor: row.id,
      ...(bundle.cards.has(target.id) ? { card: bundle.cards.get(target.id)! } : {}),
      emojis: bundle.emojis.get(target.id) ?? [],
      accountEmojis: bundle.accountMedia.emojis.get(account.id) ?? [],
      reactions: bundle.reactions.get(target.id) ?? [],
      ...(viewerId === null
        ? {}
        : {
            viewer: {
              favourited: bundle.favourited.has(target.id),
              reblogged: bundle.reblogged.has(target.id),
              pinned: bundle.pinned.has(target.id),
            },
            pollVotes: bundle.pollVotes.get(target.id) ?? [],
          }),
      ...(matches.length > 0 ? { filtered: matches } : {}),
      ...(target.quoteOfIri !== null ? { quote: quoteOf(target, bundle) } : {}),
    });
  }
  return views;
}

/**
 * A page from a query read with one row more than shown (`limit + 1`): the views of the first `limit`
 * and, when there is more, the cursor of the last row kept.
 */
export async function pageOfStatuses(
  db: Database,
  rows: Status[],
  viewerId: string | null,
  limit: number,
  context?: FilterContext,
): Promise<Page<StatusView>> {
  const shown = rows.slice(0, limit);
  return {
    items: await statusViews(db, shown, viewerId, context),
    next: rows.length > limit ? shown[shown.length - 1]!.id : null,
  };
}

export interface NotificationView {
  notification: Notification;
  from: Account;
  status: Status | null;
  /** The viewer's warn or blur filters of the `notifications` context the status matched. */
  filtered?: FilterMatch[];
}

/**
 * Notifications with who caused each and its status. One about a status the viewer may no longer see
 * (or that is gone), or from an account no longer shown, is left out, as the API leaves it out; so is
 * one whose status a `hide` filter of the `notifications` context matches.
 */
export async function notificationViews(
  db: Database,
  rows: Notification[],
  viewerId: string,
): Promise<NotificationView[]> {
  const from = new Map(
    (await findAccountsByIds(db, [...new Set(rows.map((n) => n.fromAccountId))])).map((a) => [
      a.id,
      a,
    ]),
  );
  const statusIds = [...new Set(rows.flatMap((n) => (n.statusId === null ? [] : [n.statusId])))];
  const statusRows = await visibleStatusesByIds(db, viewerId, statusIds);
  const statuses = new Map(statusRows.map((s) => [s.id, s]));
  const filters = await loadFilterSet(db, viewerId, "notifications");
  // Only the statuses' media is needed to match (descriptions), loaded when a filter could use it.
  const bundle =
    filters.filters.length > 0 ? await loadStatusBundle(db, statusRows, viewerId) : undefined;
  const views: NotificationView[] = [];
  for (const notification of rows) {
    const account = from.get(notification.fromAccountId);
    if (account === undefined) continue;
    const status = notification.statusId === null ? null : statuses.get(notification.statusId);
    if (status === undefined) continue;
    const original =
      status === null
        ? undefined
        : (bundle?.statuses.get(status.reblogOfId ?? status.id) ?? status);
    const matches =
      status === null || original === undefined || bundle === undefined
        ? []
        : matchFilters(filters, status, original, bundle.media.get(original.id) ?? []);
    if (hidesStatus(matches)) continue;
    views.push({
      notification,
      from: account,
      status,
      ...(matches.length > 0 ? { filtered: matches } : {}),
    });
  }
  return views;
}

/**
 * Gallery tiles with the viewer's filters of `context` applied, as a timeline applies them: a tile a
 * `hide` filter matches is left out, one a warn or blur filter matches is shown blurred under
 * "Filtered: <titles>" (a tile shows no text to collapse). Visitors have no filters.
 */
export async function filteredTiles(
  db: Database,
  tiles: GalleryTile[],
  viewerId: string | null,
  context: FilterContext,
): Promise<GalleryTile[]> {
  if (viewerId === null || tiles.length === 0) return tiles;
  const filters = await loadFilterSet(db, viewerId, context);
  if (filters.filters.length === 0) return tiles;
  const rows = await visibleStatusesByIds(
    db,
    viewerId,
    tiles.map((t) => t.statusId),
  );
  const bundle = await loadStatusBundle(db, rows, viewerId);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return tiles.flatMap((tile) => {
    const row = byId.get(tile.statusId);
    if (row === undefined) return [tile];
    const matches = matchFilters(filters, row, row, bundle.media.get(row.id) ?? []);
    if (matches.length === 0) return [tile];
    if (hidesStatus(matches)) return [];
    return [{ ...tile, spoilerText: `Filtered: ${matches.map((m) => m.filter.title).join(", ")}` }];
  });
}
