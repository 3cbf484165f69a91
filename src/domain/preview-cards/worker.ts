// The background side of preview cards: statuses to (re)resolve wait in preview_card_fetches, a
// durable queue the workers share (fed by the status.published, status.edited, status.received and
// status.remote-updated events, so the request or inbox delivery that made the status never waits for
// a page). Each row is claimed with a lease while its page is fetched and deleted once tried, so a worker
// killed mid-fetch leaves its row to the next one once the lease has run out (as remote media).
import { and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { DEFAULT_LEASE_MS, newClaimant, renewEvery, unclaimed } from "../../db/claims.ts";
import { isOpen, skipLocked } from "../../db/dialect.ts";
import { previewCardFetches } from "../../db/schema/index.ts";
import { logger } from "../../logging.ts";
import { type CardDeps, resolveStatusCard } from "./cards.ts";

const log = logger("domain", "preview-cards");
// A status whose fetch took its worker down this often is not tried again.
const MAX_ATTEMPTS = 3;

const heldBy = (statusId: string, claimant: string) =>
  and(eq(previewCardFetches.statusId, statusId), eq(previewCardFetches.claimedBy, claimant));

export interface PreviewCardWorkerOptions extends CardDeps {
  /** Pages fetched at once (default 2: the machine also serves requests). */
  concurrency?: number;
  leaseMs?: number;
}

/** Resolves the cards of queued statuses, one worker per status at a time. */
export class PreviewCardWorker {
  readonly claimant = newClaimant();
  readonly #options: PreviewCardWorkerOptions;
  readonly #leaseMs: number;
  readonly #abort = new AbortController();
  readonly #idleWaiters: (() => void)[] = [];
  #running = 0;
  #queueing = 0;
  #pumping: Promise<void> | undefined;
  #pumpAgain = false;
  #pollTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: PreviewCardWorkerOptions) {
    this.#options = options;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** Queues a status (an edit queues it again) and starts fetching; resolves once queued. */
  async enqueue(statusId: string): Promise<void> {
    if (this.#closed) return;
    this.#queueing++;
    try {
      // A status waiting is resolved from its content as it is when claimed: one row is enough. One
      // being fetched now may have read the content before this edit: its claim is dropped, so that
      // the fetch under way cannot settle the row and the status is claimed, and resolved, again.
      await this.#options.db
        .insert(previewCardFetches)
        .values({ statusId })
        .onConflictDoUpdate({
          target: previewCardFetches.statusId,
          set: { claimedBy: null, claimedUntil: null, attempts: 0 },
        });
    } finally {
      this.#queueing--;
      this.kick();
      this.#wakeIfIdle();
    }
  }

  /** At start-up: takes on what is waiting, and looks again every lease for rows a dead worker left. */
  resume(): void {
    if (this.#closed) return;
    clearInterval(this.#pollTimer);
    this.#pollTimer = setInterval(() => this.kick(), this.#leaseMs);
    this.#pollTimer.unref();
    this.kick();
  }

  /** Claims waiting statuses while there is room (one claiming loop at a time). */
  kick(): void {
    if (this.#closed) return;
    if (this.#pumping !== undefined) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = this.#pump()
      .catch((error: unknown) => {
        if (!this.#closed) log.warning("Could not claim card fetches: {error}", { error });
      })
      .finally(() => {
        this.#pumping = undefined;
        this.#wakeIfIdle();
      });
  }

  /** Resolves once nothing is being queued, claimed or fetched by this worker (tests). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Cancels running fetches (their rows are let go, for the next worker) and stops claiming. */
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
        const statusId = await this.#claim();
        if (statusId === undefined) break;
        this.#running++;
        void this.#fetch(statusId).finally(() => {
          this.#running--;
          this.kick();
          this.#wakeIfIdle();
        });
      }
    } while (this.#pumpAgain && !this.#closed);
  }

  /** Claims the oldest waiting status in one atomic UPDATE; first drops those given up on. */
  async #claim(): Promise<string | undefined> {
    const { db } = this.#options;
    const now = new Date();
    const waiting = unclaimed(previewCardFetches.claimedUntil, now);
    // A read first: an idle look should not take the write lock.
    const any = await db
      .select({ statusId: previewCardFetches.statusId })
      .from(previewCardFetches)
      .where(waiting)
      .limit(1);
    if (any.length === 0) return undefined;
    return await db.transaction(async (tx) => {
      await tx
        .delete(previewCardFetches)
        .where(and(gte(previewCardFetches.attempts, MAX_ATTEMPTS), waiting));
      const [claimed] = await tx
        .update(previewCardFetches)
        .set({
          claimedBy: this.claimant,
          claimedUntil: new Date(now.getTime() + this.#leaseMs),
          attempts: sql`${previewCardFetches.attempts} + 1`,
        })
        .where(
          inArray(
            previewCardFetches.statusId,
            skipLocked(
              tx,
              tx
                .select({ statusId: previewCardFetches.statusId })
                .from(previewCardFetches)
                .where(and(lt(previewCardFetches.attempts, MAX_ATTEMPTS), waiting))
                .orderBy(asc(previewCardFetches.createdAt), asc(previewCardFetches.statusId))
                .limit(1),
            ),
          ),
        )
        .returning();
      return claimed?.statusId;
    });
  }

  /** Resolves one claimed status under its lease; the row goes once tried, or is let go on close. */
  async #fetch(statusId: string): Promise<void> {
    const { db } = this.#options;
    const stopRenewing = renewEvery(this.#leaseMs, async () => {
      await db
        .update(previewCardFetches)
        .set({ claimedUntil: new Date(Date.now() + this.#leaseMs) })
        .where(heldBy(statusId, this.claimant));
    });
    try {
      await resolveStatusCard(this.#options, statusId, this.#abort.signal);
    } catch (error) {
      if (!this.#closed)
        log.warning("Preview card of status {statusId} failed: {error}", { statusId, error });
    } finally {
      stopRenewing();
    }
    if (!isOpen(db)) return;
    try {
      if (this.#closed) {
        await db
          .update(previewCardFetches)
          .set({
            claimedBy: null,
            claimedUntil: null,
            attempts: sql`${previewCardFetches.attempts} - 1`,
          })
          .where(heldBy(statusId, this.claimant));
      } else {
        await db.delete(previewCardFetches).where(heldBy(statusId, this.claimant));
      }
    } catch (error) {
      log.warning("Could not settle the card fetch of {statusId}: {error}", { statusId, error });
    }
  }
}
