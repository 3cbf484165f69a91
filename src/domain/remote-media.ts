// Remote image attachments that arrived without a size or blurhash (Misskey, WordPress and others send
// neither): the file is downloaded in the background — never while the inbox request waits — measured by
// the media pipeline, and only the missing fields are stored, so clients can lay the image out before it
// loads, as Mastodon's own download gives them. A failed download leaves the attachment as it was.
import { and, eq, gt, isNotNull, isNull, or } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { isOpen } from "../db/dialect.ts";
import { type MediaAttachment, mediaAttachments } from "../db/schema/index.ts";
import { logger } from "../logging.ts";
import { type ImageSummary, type PipelineLimits, summarizeImage } from "../media/pipeline.ts";
import type { FetchedImage } from "../media/remote-fetch.ts";
import { isDomainBlocked } from "./moderation.ts";

const log = logger("domain", "remote-media");

/** A remote image (not stored here) still lacking a width, height or blurhash. */
const unmeasuredRemoteImage = () =>
  and(
    eq(mediaAttachments.type, "image"),
    isNotNull(mediaAttachments.remoteUrl),
    isNull(mediaAttachments.originalKey),
    or(
      isNull(mediaAttachments.width),
      isNull(mediaAttachments.height),
      isNull(mediaAttachments.blurhash),
    ),
  );

/** The remote image attachments of a status that lack a width, height or blurhash. */
async function remoteImagesMissingMeta(db: Database, statusId: string): Promise<MediaAttachment[]> {
  return await db
    .select()
    .from(mediaAttachments)
    .where(and(eq(mediaAttachments.statusId, statusId), unmeasuredRemoteImage()));
}

/** Statuses with remote images still missing a size or blurhash, received since `since`. */
async function statusesWithUnmeasuredImages(
  db: Database,
  since: Date,
  limit = 500,
): Promise<string[]> {
  return (
    await db
      .selectDistinct({ statusId: mediaAttachments.statusId })
      .from(mediaAttachments)
      .where(
        and(
          isNotNull(mediaAttachments.statusId),
          gt(mediaAttachments.createdAt, since),
          unmeasuredRemoteImage(),
        ),
      )
      .limit(limit)
  ).map((r) => r.statusId!);
}

/**
 * Stores what was measured, filling only the fields still missing (what the sender said stays), and
 * only if the attachment is still the one that was downloaded (an edit replaces attachments).
 */
async function completeRemoteImage(
  db: Database,
  attachment: MediaAttachment,
  summary: ImageSummary,
): Promise<void> {
  await db
    .update(mediaAttachments)
    .set({
      width: attachment.width ?? summary.width,
      height: attachment.height ?? summary.height,
      blurhash: attachment.blurhash ?? summary.blurhash,
    })
    .where(
      and(
        eq(mediaAttachments.id, attachment.id),
        eq(mediaAttachments.remoteUrl, attachment.remoteUrl!),
      ),
    );
}

export interface RemoteMediaWorkerOptions {
  db: Database;
  /** The pipeline's byte and pixel limits (MEDIA_MAX_UPLOAD_MB, MEDIA_MAX_PIXELS). */
  limits: PipelineLimits;
  /** Downloads one image (bounded and guarded: media/remote-fetch.ts). */
  fetchImage: (url: string, signal: AbortSignal) => Promise<FetchedImage>;
  /** Downloads at once (default 2: the machine also serves requests). */
  concurrency?: number;
  /** Statuses waiting at most; more are dropped (logged) rather than held in memory. */
  maxQueue?: number;
}

/**
 * An in-process queue of statuses whose remote images need measuring, fed by the status.received and
 * status.remote-updated events. Held in memory; what a restart interrupted is found again by resume(),
 * which looks at the last day's arrivals only, so a file that never downloads is not tried for ever.
 */
export class RemoteMediaWorker {
  readonly #options: RemoteMediaWorkerOptions;
  readonly #queue: string[] = [];
  readonly #queued = new Set<string>();
  readonly #abort = new AbortController();
  readonly #idleWaiters: (() => void)[] = [];
  #running = 0;
  #closed = false;

  constructor(options: RemoteMediaWorkerOptions) {
    this.#options = options;
  }

  /** Queues a status; returns at once. */
  enqueue(statusId: string): void {
    if (this.#closed || this.#queued.has(statusId)) return;
    if (this.#queue.length >= (this.#options.maxQueue ?? 1000)) {
      log.warning("Remote media queue full; not measuring the images of status {statusId}.", {
        statusId,
      });
      return;
    }
    this.#queue.push(statusId);
    this.#queued.add(statusId);
    this.#pump();
  }

  /** Queues the statuses of the last day whose remote images are still unmeasured (at start-up). */
  async resume(now = Date.now()): Promise<void> {
    if (!isOpen(this.#options.db)) return;
    const since = new Date(now - 24 * 60 * 60 * 1000);
    for (const statusId of await statusesWithUnmeasuredImages(this.#options.db, since)) {
      this.enqueue(statusId);
    }
  }

  /** Resolves once nothing is queued or running (tests). */
  idle(): Promise<void> {
    if (this.#running === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Cancels running downloads and drops what is queued. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#queue.length = 0;
    this.#queued.clear();
    this.#abort.abort();
    await this.idle();
  }

  #pump(): void {
    while (
      !this.#closed &&
      this.#running < (this.#options.concurrency ?? 2) &&
      this.#queue.length > 0
    ) {
      const statusId = this.#queue.shift()!;
      this.#queued.delete(statusId);
      this.#running++;
      this.#measure(statusId).finally(() => {
        this.#running--;
        this.#pump();
        if (this.#running === 0 && this.#queue.length === 0) {
          for (const resolve of this.#idleWaiters.splice(0)) resolve();
        }
      });
    }
  }

  async #measure(statusId: string): Promise<void> {
    const { db, limits, fetchImage } = this.#options;
    if (!isOpen(db)) return;
    for (const attachment of await remoteImagesMissingMeta(db, statusId)) {
      if (this.#closed) return;
      const url = attachment.remoteUrl!;
      // A file on a blocked host (a post from an allowed server may link one) is not fetched: the block
      // means no request of ours reaches that server.
      const host = URL.parse(url)?.host;
      if (host === undefined || (await isDomainBlocked(db, host))) {
        log.info("Not measuring remote image {url}: its host is blocked.", { url });
        continue;
      }
      try {
        const image = await fetchImage(url, this.#abort.signal);
        const summary = await summarizeImage(image.bytes, limits);
        if (this.#closed || !isOpen(db)) return;
        await completeRemoteImage(db, attachment, summary);
        log.debug("Measured remote image {url}: {width}×{height}.", { url, ...summary });
      } catch (error) {
        if (this.#closed) return;
        // The attachment stays as the sender described it; clients show it without a placeholder.
        log.info("Could not measure remote image {url} of status {statusId}: {reason}", {
          url,
          statusId,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}
