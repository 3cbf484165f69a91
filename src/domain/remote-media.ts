// Remote image attachments that arrived without a size or blurhash (Misskey, WordPress and others send
// neither): the file is downloaded in the background — never while the inbox request waits — measured by
// the media pipeline, and only the missing fields are stored, so clients can lay the image out before it
// loads, as Mastodon's own download gives them. A failed download leaves the attachment as it was.
// The statuses waiting are rows of remote_media_downloads, a queue the workers share: each row is claimed
// with a lease (db/claims.ts) while its images are fetched and deleted once they were tried, so a
// worker killed mid-download leaves its row to be taken over once the lease has run out.
import { and, asc, eq, gt, gte, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { DEFAULT_LEASE_MS, newClaimant, renewEvery, unclaimed } from "../db/claims.ts";
import type { Database } from "../db/client.ts";
import { isOpen, skipLocked } from "../db/dialect.ts";
import {
  type MediaAttachment,
  mediaAttachments,
  remoteMediaDownloads,
} from "../db/schema/index.ts";
import { logger } from "../logging.ts";
import { type ImageSummary, type PipelineLimits, summarizeImage } from "../media/pipeline.ts";
import type { FetchedImage } from "../media/remote-fetch.ts";
import { isDomainBlocked } from "./moderation.ts";

const log = logger("domain", "remote-media");

// A status whose download took its worker down this often (a file that crashes the decoder, say) is
// not tried again.
const MAX_ATTEMPTS = 3;

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

/** Queues the statuses (once each: a status already waiting stays as it is). */
async function queueDownloads(db: Database, statusIds: string[]): Promise<void> {
  if (statusIds.length === 0) return;
  await db
    .insert(remoteMediaDownloads)
    .values(statusIds.map((statusId) => ({ statusId })))
    .onConflictDoNothing();
}

/**
 * Claims the oldest waiting status for `claimant`, in one atomic UPDATE (two workers get different
 * ones); first drops those given up on.
 */
async function claimDownload(
  db: Database,
  claimant: string,
  leaseMs: number,
): Promise<string | undefined> {
  const now = new Date();
  // A read first: the worker looks every second, and an idle look should not take the write lock.
  const any = await db
    .select({ statusId: remoteMediaDownloads.statusId })
    .from(remoteMediaDownloads)
    .where(unclaimed(remoteMediaDownloads.claimedUntil, now))
    .limit(1);
  if (any.length === 0) return undefined;
  return await db.transaction(async (tx) => {
    await tx
      .delete(remoteMediaDownloads)
      .where(
        and(
          gte(remoteMediaDownloads.attempts, MAX_ATTEMPTS),
          unclaimed(remoteMediaDownloads.claimedUntil, now),
        ),
      );
    const [claimed] = await tx
      .update(remoteMediaDownloads)
      .set({
        claimedBy: claimant,
        claimedUntil: new Date(now.getTime() + leaseMs),
        attempts: sql`${remoteMediaDownloads.attempts} + 1`,
      })
      .where(
        inArray(
          remoteMediaDownloads.statusId,
          skipLocked(
            tx,
            tx
              .select({ statusId: remoteMediaDownloads.statusId })
              .from(remoteMediaDownloads)
              .where(
                and(
                  lt(remoteMediaDownloads.attempts, MAX_ATTEMPTS),
                  unclaimed(remoteMediaDownloads.claimedUntil, now),
                ),
              )
              .orderBy(asc(remoteMediaDownloads.createdAt), asc(remoteMediaDownloads.statusId))
              .limit(1),
          ),
        ),
      )
      .returning();
    return claimed?.statusId;
  });
}

const heldBy = (statusId: string, claimant: string) =>
  and(eq(remoteMediaDownloads.statusId, statusId), eq(remoteMediaDownloads.claimedBy, claimant));

export interface RemoteMediaWorkerOptions {
  db: Database;
  /** The pipeline's byte and pixel limits (MEDIA_MAX_UPLOAD_MB, MEDIA_MAX_PIXELS). */
  limits: PipelineLimits;
  /** Downloads one image (bounded and guarded: media/remote-fetch.ts). */
  fetchImage: (url: string, signal: AbortSignal) => Promise<FetchedImage>;
  /** Downloads at once (default 2: the machine also serves requests). */
  concurrency?: number;
  /** How long a claimed status is this worker's without renewal (default a minute). */
  leaseMs?: number;
}

/**
 * Downloads the remote images of queued statuses, fed by the status.received and status.remote-updated
 * events (and, at start, by resume()). The queue is durable and shared (remote_media_downloads): each
 * status is measured by one worker at a time, and one a killed worker held is taken over once its
 * lease has run out.
 */
export class RemoteMediaWorker {
  /** This worker's name in the rows it claims. */
  readonly claimant = newClaimant();
  readonly #options: RemoteMediaWorkerOptions;
  readonly #leaseMs: number;
  readonly #abort = new AbortController();
  readonly #idleWaiters: (() => void)[] = [];
  #running = 0;
  #queueing = 0;
  #pumping: Promise<void> | undefined;
  #pumpAgain = false;
  #pollTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: RemoteMediaWorkerOptions) {
    this.#options = options;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** Queues a status and starts downloading; resolves once it is queued (idle() waits for the rest). */
  async enqueue(statusId: string): Promise<void> {
    if (this.#closed) return;
    this.#queueing++;
    try {
      // Most statuses have nothing to measure: only those that do cost a queue row.
      if ((await remoteImagesMissingMeta(this.#options.db, statusId)).length === 0) return;
      await queueDownloads(this.#options.db, [statusId]);
    } finally {
      this.#queueing--;
      this.kick();
      // kick() does nothing once closed: a close() that came meanwhile waits on this.
      this.#wakeIfIdle();
    }
  }

  /**
   * At start-up: queues the statuses of the last day whose remote images are still unmeasured (what
   * arrived before the queue was durable, or failed before a restart), then takes on what is waiting,
   * and looks again every lease, for rows a worker that died left behind.
   */
  async resume(now = Date.now()): Promise<void> {
    if (this.#closed || !isOpen(this.#options.db)) return;
    const since = new Date(now - 24 * 60 * 60 * 1000);
    this.#queueing++;
    try {
      await queueDownloads(
        this.#options.db,
        await statusesWithUnmeasuredImages(this.#options.db, since),
      );
    } finally {
      this.#queueing--;
      this.#wakeIfIdle();
    }
    clearInterval(this.#pollTimer);
    this.#pollTimer = setInterval(() => this.kick(), this.#leaseMs);
    this.#pollTimer.unref();
    this.kick();
  }

  /** Claims waiting statuses while there is room (coalesced: one claiming loop at a time). */
  kick(): void {
    if (this.#closed) return;
    if (this.#pumping !== undefined) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = this.#pump()
      .catch((error: unknown) => {
        if (!this.#closed) log.warning("Could not claim remote media: {error}", { error });
      })
      .finally(() => {
        this.#pumping = undefined;
        this.#wakeIfIdle();
      });
  }

  /** Resolves once nothing is being queued, claimed or downloaded by this worker (tests). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Cancels running downloads (their rows are let go, for the next worker) and stops claiming. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#pollTimer);
    this.#abort.abort();
    await this.idle();
  }

  #isIdle(): boolean {
    return this.#running === 0 && this.#queueing === 0 && this.#pumping === undefined;
  }

  #wakeIfIdle(): void {
    if (this.#isIdle()) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  async #pump(): Promise<void> {
    const { db } = this.#options;
    do {
      this.#pumpAgain = false;
      while (!this.#closed && isOpen(db) && this.#running < (this.#options.concurrency ?? 2)) {
        const statusId = await claimDownload(db, this.claimant, this.#leaseMs);
        if (statusId === undefined) break;
        this.#running++;
        void this.#download(statusId).finally(() => {
          this.#running--;
          this.kick();
          this.#wakeIfIdle();
        });
      }
    } while (this.#pumpAgain && !this.#closed);
  }

  /** Measures one claimed status under its lease; the row goes once tried, or is let go on close. */
  async #download(statusId: string): Promise<void> {
    const { db } = this.#options;
    const stopRenewing = renewEvery(this.#leaseMs, async () => {
      await db
        .update(remoteMediaDownloads)
        .set({ claimedUntil: new Date(Date.now() + this.#leaseMs) })
        .where(heldBy(statusId, this.claimant));
    });
    try {
      await this.#measure(statusId);
    } catch (error) {
      if (!this.#closed)
        log.warning("Measuring status {statusId} failed: {error}", { statusId, error });
    } finally {
      stopRenewing();
    }
    if (!isOpen(db)) return;
    try {
      if (this.#closed) {
        await db
          .update(remoteMediaDownloads)
          .set({
            claimedBy: null,
            claimedUntil: null,
            attempts: sql`${remoteMediaDownloads.attempts} - 1`,
          })
          .where(heldBy(statusId, this.claimant));
      } else {
        await db.delete(remoteMediaDownloads).where(heldBy(statusId, this.claimant));
      }
    } catch (error) {
      log.warning("Could not settle remote media of status {statusId}: {error}", {
        statusId,
        error,
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
