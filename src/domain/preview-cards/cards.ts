// The preview card rule for one status: which URL (links.ts), whether its card is cached, fetching it
// when not (resolve.ts), and the status → card link. A status whose link went away in an edit loses its
// card; a URL that failed is remembered as failed for a while, so a link posted a hundred times is not
// fetched a hundred times. Direct statuses get no card: fetching their links would tell the linked site
// that a private conversation mentioned it.
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { newId } from "../../db/ids.ts";
import {
  mediaAttachments,
  type PreviewCard,
  previewCards,
  statuses,
  statusPreviewCards,
} from "../../db/schema/index.ts";
import { logger } from "../../logging.ts";
import { isDomainBlocked } from "../moderation.ts";
import { cardLinkOf } from "./links.ts";
import { type CardFields, type ResolveDeps, resolveCard } from "./resolve.ts";

const log = logger("domain", "preview-cards");

/** A card fetched this recently is used as it is (Mastodon keeps cards two weeks; pages change). */
export const CARD_CACHE_MS = 24 * 3600_000;
/** A URL that failed is not tried again for this long. */
export const FAILED_CARD_CACHE_MS = 3600_000;

export interface CardDeps extends ResolveDeps {
  db: Database;
  /** This instance's host, whose own links get no card. */
  localHost: string;
  /** Hosts that may be fetched at all (default: any not blocked); tests keep to loopback. */
  allowHost?: (host: string) => boolean;
  now?: () => Date;
}

async function unlink(db: Database, statusId: string): Promise<void> {
  await db.delete(statusPreviewCards).where(eq(statusPreviewCards.statusId, statusId));
}

async function link(db: Database, statusId: string, cardId: string): Promise<void> {
  await db
    .insert(statusPreviewCards)
    .values({ statusId, cardId })
    .onConflictDoUpdate({ target: statusPreviewCards.statusId, set: { cardId } });
}

/** Stores what a fetch of `url` gave (fields, or a failure), replacing an older fetch of it. */
async function storeCard(
  db: Database,
  url: string,
  fetched: CardFields | undefined,
  now: Date,
): Promise<PreviewCard> {
  const values =
    fetched === undefined ? { state: "failed" as const } : { ...fetched, state: "ready" as const };
  const [row] = await db
    .insert(previewCards)
    .values({ id: newId(), url, fetchedAt: now, ...values })
    .onConflictDoUpdate({ target: previewCards.url, set: { ...values, fetchedAt: now } })
    .returning();
  return row!;
}

function fresh(card: PreviewCard, now: Date): boolean {
  const age = now.getTime() - card.fetchedAt.getTime();
  return age < (card.state === "ready" ? CARD_CACHE_MS : FAILED_CARD_CACHE_MS);
}

/**
 * The URL whose card the status should show as it reads now: undefined when none, null when the
 * status is gone (or a boost, whose card is its original's).
 */
async function cardUrlOf(deps: CardDeps, statusId: string): Promise<string | undefined | null> {
  const { db } = deps;
  const status = (
    await db
      .select({ content: statuses.content, visibility: statuses.visibility })
      .from(statuses)
      .where(and(eq(statuses.id, statusId), isNull(statuses.reblogOfId)))
      .limit(1)
  )[0];
  if (status === undefined) return null;
  if (status.visibility === "direct") return undefined;
  const media = await db
    .select({ url: mediaAttachments.remoteUrl })
    .from(mediaAttachments)
    .where(and(eq(mediaAttachments.statusId, statusId), isNotNull(mediaAttachments.remoteUrl)));
  return cardLinkOf(status.content, {
    localHost: deps.localHost,
    mediaUrls: media.map((m) => m.url!),
  });
}

/**
 * Gives the status the card of its first link (fetched unless cached), or none. Never throws for
 * what a remote page does: a page that cannot be read leaves the status without a card.
 */
export async function resolveStatusCard(
  deps: CardDeps,
  statusId: string,
  signal: AbortSignal,
): Promise<void> {
  const { db } = deps;
  const now = deps.now?.() ?? new Date();
  const url = await cardUrlOf(deps, statusId);
  if (url === null) return;
  // No request of ours reaches a blocked server: not the linked page, nor the image or oEmbed
  // endpoint it names.
  const mayFetch = async (target: string) => {
    const host = URL.parse(target)?.host;
    if (host === undefined || (deps.allowHost !== undefined && !deps.allowHost(host))) return false;
    return !(await isDomainBlocked(db, host));
  };
  if (url === undefined || !(await mayFetch(url))) {
    await unlink(db, statusId);
    return;
  }
  let card = (await db.select().from(previewCards).where(eq(previewCards.url, url)).limit(1))[0];
  if (card === undefined || !fresh(card, now)) {
    let fields: CardFields | undefined;
    try {
      fields = await resolveCard(deps, url, signal, mayFetch);
    } catch (error) {
      if (signal.aborted) throw error;
      log.info("No preview card for {url}: {reason}", {
        url,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
    card = await storeCard(db, url, fields, now);
    // Edited while its page was being fetched: the edit queued the status again, and that run links
    // what the new text asks for; this one must not put the old card back after it.
    if ((await cardUrlOf(deps, statusId)) !== url) return;
  }
  if (card.state === "ready") await link(db, statusId, card.id);
  else await unlink(db, statusId);
}
