// Domain events: what happened, recorded in the same transaction as the change (db/schema/events.ts) and
// handed to subscribers (federation outbox, notifications, streaming) after the commit. Subscribers must
// be idempotent: an event whose handler failed is retried, and a retry runs every handler again.
//
// Several dispatching processes (workers) may share one database: each claims a batch of events with a
// lease (db/claims.ts) and only it dispatches them; a dispatcher that dies holding a batch loses its
// lease, and another takes the events over, so delivery is at least once (exactly once unless a worker
// dies or stalls past its lease mid-batch). What order holds: a dispatcher claims the oldest unclaimed
// events and runs each batch in recording order, handler after handler, so with one worker events are
// dispatched in the order they were recorded (a failed one is retried later, after newer ones). With
// several workers, two batches run at once: an event can be dispatched while an older one, in another
// worker's batch, is still being handled. Subscribers do not rely on more: deliveries go through
// Fedify's queue, which orders nothing either, and each handler reads the rows as they are now.
import { and, asc, eq, inArray, isNull, lte, or } from "drizzle-orm";
import { DEFAULT_LEASE_MS, newClaimant, renewEvery, unclaimed } from "../db/claims.ts";
import type { Database, DatabaseLike } from "../db/client.ts";
import { isOpen, skipLocked, storeKey } from "../db/dialect.ts";
import { newId } from "../db/ids.ts";
import { type DomainEventRow, domainEvents } from "../db/schema/index.ts";
import type { Visibility } from "../db/schema/statuses.ts";
import { logger } from "../logging.ts";

const log = logger("domain", "events");

/** What subscribers need of a follow that no longer exists. */
interface EndedFollow {
  followId: string;
  followIri: string | null;
  accountId: string;
  targetAccountId: string;
}

/**
 * Everything that happened that another part of the program reacts to. Events name rows by id; when the
 * row is gone (deletions, undos), the event carries what its subscribers still need.
 */
export type DomainEvent =
  // Statuses by local accounts.
  | { type: "status.published"; statusId: string }
  | { type: "status.edited"; statusId: string }
  | {
      type: "status.deleted";
      statusId: string;
      iri: string;
      accountId: string;
      visibility: Visibility;
      /** Local or remote accounts that were mentioned (they are addressed too). */
      mentionedAccountIds: string[];
      /** For a deleted boost: the boosted status, so an Undo(Announce) can be sent. */
      reblogOfId?: string | null;
    }
  // Statuses that arrived from elsewhere (for notifications, timelines, streaming).
  | { type: "status.received"; statusId: string }
  // Quotes (domain/quotes.ts): our answer to a QuoteRequest for a local post (Accept with a
  // QuoteAuthorization, or Reject), and the quoted author's revocation of a quote (the
  // QuoteAuthorization issued for it, if one was, is deleted).
  | {
      type: "quote.answered";
      requestIri: string;
      statusId: string;
      quotedStatusId: string;
      accepted: boolean;
    }
  | {
      type: "quote.revoked";
      statusId: string;
      quotedStatusId: string;
      authorizationIri: string | null;
    }
  | { type: "status.remote-updated"; statusId: string }
  // Follows, in both directions.
  | { type: "follow.requested"; followId: string }
  | { type: "follow.accepted"; followId: string }
  | ({ type: "follow.rejected" } & EndedFollow)
  | ({ type: "follow.undone" } & EndedFollow)
  // Interactions by any account on any status.
  | { type: "favourite.created"; favouriteId: string }
  | {
      type: "favourite.undone";
      favouriteId: string;
      favouriteIri: string | null;
      accountId: string;
      statusId: string;
    }
  | { type: "reblog.created"; statusId: string }
  // Emoji reactions by any account (domain/emoji-reactions.ts); the outbox sends a local one's.
  | { type: "reaction.created"; reactionId: string }
  | {
      type: "reaction.undone";
      reactionId: string;
      reactionIri: string | null;
      accountId: string;
      statusId: string;
      name: string;
    }
  // Pins by local accounts (federation/outbox/featured.ts sends Add and Remove).
  | { type: "status.pinned"; pinId: string }
  | { type: "status.unpinned"; pinId: string; accountId: string; statusId: string }
  // Polls: a vote by any account (a local one on any poll, a remote one on ours), and a poll's end.
  | { type: "poll.voted"; statusId: string; accountId: string; voteIds: string[] }
  | { type: "poll.ended"; statusId: string }
  | { type: "block.created"; blockId: string }
  | {
      type: "block.undone";
      blockId: string;
      blockIri: string | null;
      accountId: string;
      targetAccountId: string;
    }
  | { type: "account.updated"; accountId: string }
  // A local account moved to `targetAccountId` (domain/account-moves.ts): the Move to its followers.
  | { type: "account.moved"; accountId: string; targetAccountId: string }
  // A follower move was queued (domain/follower-moves.ts): wakes the service that runs it.
  | { type: "followers.moving"; moveId: string }
  | {
      type: "account.deleted";
      accountId: string;
      iri: string;
      /**
       * For a local account (the row stays as a tombstone with its keys until the outbox signed the
       * Delete): its name and the remote actors to tell, since the follows naming them are gone.
       */
      local?: {
        username: string;
        recipients: { iri: string; inboxUrl: string; sharedInboxUrl: string | null }[];
      };
    }
  | { type: "report.created"; reportId: string }
  // Announcements to local users (created or edited; removed; a reaction added or taken back).
  | { type: "announcement.published"; announcementId: string }
  | { type: "announcement.deleted"; announcementId: string }
  // A change to an account's filters, their keywords or picked statuses (streaming: filters_changed).
  | { type: "filters.changed"; accountId: string }
  // Remote custom emojis stored (or with a new image) whose image we have no copy of yet.
  | { type: "emojis.discovered"; emojiIds: string[] }
  | { type: "announcement.reaction"; announcementId: string; name: string };

export type DomainEventType = DomainEvent["type"];
export type EventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

/** The dispatcher of each open connection, which recordEvent starts. */
const dispatchers = new WeakMap<object, EventDispatcher>();

/**
 * Records `event` in the current transaction; it is dispatched once the transaction has committed. The
 * action that records it also starts delivery, so no caller has to remember to: kick() waits a turn of
 * the event loop, and SQLite transactions here are synchronous, so by then the transaction has
 * committed (or rolled back, leaving nothing to send).
 */
export async function recordEvent(db: DatabaseLike, event: DomainEvent): Promise<void> {
  const { type, ...payload } = event;
  await db.insert(domainEvents).values({ id: newId(), type, payload });
  dispatchers.get(storeKey(db))?.kick();
}

export type EventHandler<T extends DomainEventType = DomainEventType> = (
  event: EventOf<T>,
) => Promise<void> | void;

const MAX_ATTEMPTS = 8;

export interface EventDispatcherOptions {
  /** How long a claimed batch is this dispatcher's without renewal (default a minute). */
  leaseMs?: number;
  /** Events claimed at once (default 100). */
  batchSize?: number;
}

/**
 * Delivers recorded events to subscribers, oldest first. Recording an event schedules a drain; at
 * start-up a drain picks up whatever a previous process left (crash between commit and dispatch).
 */
export class EventDispatcher {
  readonly #db: Database;
  /** This dispatcher's name in the rows it claims. */
  readonly claimant = newClaimant();
  readonly #leaseMs: number;
  readonly #batchSize: number;
  readonly #handlers = new Map<string, { name: string; handler: EventHandler }[]>();
  #draining: Promise<void> | undefined;
  #again = false;
  #closed = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #pollTimer: NodeJS.Timeout | undefined;

  constructor(db: Database, options: EventDispatcherOptions = {}) {
    this.#db = db;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#batchSize = options.batchSize ?? 100;
    dispatchers.set(storeKey(db), this);
  }

  /** Adds a handler for one event type. `name` identifies it in logs. */
  on<T extends DomainEventType>(type: T, name: string, handler: EventHandler<T>): this {
    const list = this.#handlers.get(type) ?? [];
    list.push({ name, handler: handler as unknown as EventHandler });
    this.#handlers.set(type, list);
    return this;
  }

  /**
   * Schedules a drain soon (coalesced). recordEvent calls it; the poll, retries and drain() too.
   */
  kick(): void {
    if (this.#closed) return;
    const gate = this.#db.$gate;
    // Called inside the recording transaction, the event is not committed yet: a drain under way could
    // look for it before the commit and end without it. On PostgreSQL outside() runs the kick once the
    // transaction has ended; on SQLite the drain's reads wait for that anyway.
    if (gate.holding()) {
      gate.outside(() => this.kick());
      return;
    }
    if (this.#draining !== undefined) {
      this.#again = true;
      return;
    }
    // Outside the recording transaction's context, so the drain waits for its commit.
    this.#draining = this.#db.$gate.outside(() =>
      new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#run()),
    );
  }

  /**
   * Also looks for pending events every `intervalMs`: events recorded by another process (the CLI
   * deleting an account, say) have no one to kick this dispatcher, and would otherwise wait for the
   * next event of this process or the next start.
   */
  poll(intervalMs: number): void {
    clearInterval(this.#pollTimer);
    this.#pollTimer = setInterval(() => this.kick(), intervalMs);
    this.#pollTimer.unref();
  }

  /** Dispatches every pending event and resolves when none is left (tests and shutdown await this). */
  async drain(): Promise<void> {
    this.kick();
    while (this.#draining !== undefined) await this.#draining;
  }

  /** Stops dispatching (pending events stay recorded for the next start). */
  async close(): Promise<void> {
    this.#closed = true;
    const connection = storeKey(this.#db);
    if (dispatchers.get(connection) === this) dispatchers.delete(connection);
    clearTimeout(this.#retryTimer);
    clearInterval(this.#pollTimer);
    while (this.#draining !== undefined) await this.#draining;
  }

  async #run(): Promise<void> {
    try {
      do {
        this.#again = false;
        await this.#drainOnce();
      } while (this.#again && !this.#closed);
    } finally {
      this.#draining = undefined;
    }
  }

  async #drainOnce(): Promise<void> {
    for (;;) {
      if (this.#closed || !isOpen(this.#db)) return;
      const batch = await this.#claim();
      if (batch.length === 0) return;
      const pending = new Set(batch.map((row) => row.id));
      const stopRenewing = renewEvery(this.#leaseMs, () => this.#renew([...pending]));
      try {
        for (const row of batch) {
          if (this.#closed || !isOpen(this.#db)) return;
          await this.#dispatch(row);
          pending.delete(row.id);
        }
      } finally {
        stopRenewing();
        // Stopped mid-batch: the rest is handed back at once rather than when the lease runs out.
        if (pending.size > 0 && isOpen(this.#db)) await this.#release([...pending]);
      }
    }
  }

  /**
   * Claims the oldest events due and held by no live dispatcher, in one atomic UPDATE (two dispatchers
   * claiming at once get different events); returns them oldest first.
   */
  async #claim(): Promise<DomainEventRow[]> {
    const now = new Date();
    const claimable = and(
      or(isNull(domainEvents.retryAt), lte(domainEvents.retryAt, now)),
      unclaimed(domainEvents.claimedUntil, now),
    );
    // A read first: the worker looks every second, and an idle look should not take the write lock.
    const any = await this.#db
      .select({ id: domainEvents.id })
      .from(domainEvents)
      .where(claimable)
      .limit(1);
    if (any.length === 0) return [];
    const claimedUntil = new Date(now.getTime() + this.#leaseMs);
    const rows = await this.#db.transaction(
      async (tx) =>
        await tx
          .update(domainEvents)
          .set({ claimedBy: this.claimant, claimedUntil })
          .where(
            inArray(
              domainEvents.id,
              skipLocked(
                tx,
                tx
                  .select({ id: domainEvents.id })
                  .from(domainEvents)
                  .where(claimable)
                  .orderBy(asc(domainEvents.id))
                  .limit(this.#batchSize),
              ),
            ),
          )
          .returning(),
    );
    // RETURNING promises no order.
    return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Extends the lease on the events of the batch not yet dispatched. */
  async #renew(ids: string[]): Promise<void> {
    if (ids.length === 0 || !isOpen(this.#db)) return;
    await this.#db
      .update(domainEvents)
      .set({ claimedUntil: new Date(Date.now() + this.#leaseMs) })
      .where(and(inArray(domainEvents.id, ids), eq(domainEvents.claimedBy, this.claimant)));
  }

  async #release(ids: string[]): Promise<void> {
    await this.#db
      .update(domainEvents)
      .set({ claimedBy: null, claimedUntil: null })
      .where(and(inArray(domainEvents.id, ids), eq(domainEvents.claimedBy, this.claimant)));
  }

  /** Runs every handler of one claimed event, then deletes it, or schedules its retry. */
  async #dispatch(row: DomainEventRow): Promise<void> {
    const event = { type: row.type, ...row.payload } as DomainEvent;
    const failures: string[] = [];
    for (const { name, handler } of this.#handlers.get(row.type) ?? []) {
      try {
        await handler(event);
      } catch (error) {
        failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
        log.warning("Handler {name} failed for event {type} {id}: {error}", {
          name,
          type: row.type,
          id: row.id,
          error,
        });
      }
    }
    if (!isOpen(this.#db)) return;
    if (failures.length === 0 || row.attempts + 1 >= MAX_ATTEMPTS) {
      if (failures.length > 0) {
        log.error("Giving up on event {type} {id} after {attempts} attempts.", {
          type: row.type,
          id: row.id,
          attempts: row.attempts + 1,
        });
      }
      // Deleted even if its lease ran out meanwhile: it has been dispatched, whoever else is at it.
      await this.#db.delete(domainEvents).where(eq(domainEvents.id, row.id));
      return;
    }
    // Exponential backoff: 2 s, 4 s, 8 s … ; a timer retries without waiting for another kick. The
    // claim is let go, so that whichever dispatcher looks first after retryAt takes it.
    const delay = 2000 * 2 ** row.attempts;
    await this.#db
      .update(domainEvents)
      .set({
        attempts: row.attempts + 1,
        retryAt: new Date(Date.now() + delay),
        lastError: failures.join("; ").slice(0, 2000),
        claimedBy: null,
        claimedUntil: null,
      })
      .where(and(eq(domainEvents.id, row.id), eq(domainEvents.claimedBy, this.claimant)));
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.kick(), delay);
    this.#retryTimer.unref();
  }
}
