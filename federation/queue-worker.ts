// The listening loop the shared queues (PostgreSQL, Redis) have in common: fill free slots with claims,
// received activities only up to their own limit, renew the leases of what runs, sleep until a wake-up
// or the next poll, and on abort stop claiming and wait for the handlers running. The backend decides
// what is claimable (ready, not leased, head of its ordering key) and does so atomically across processes.
import type { MessageQueueListenOptions } from "@fedify/fedify";
import { logger } from "../src/logging.ts";

const log = logger("federation", "queue");

export interface QueueListenerOptions {
  /** How often to look for delayed messages that became ready and for lost leases (ms). */
  pollIntervalMs?: number;
  /** Messages handled at once by one listener (see SqliteMessageQueueOptions for the reasons). */
  concurrency?: number;
  /** Of those, how many may be received activities (Fedify's "inbox" messages). */
  inboxConcurrency?: number;
}

/** Fedify builds a received activity's message as { type: "inbox", … }; anything else is a delivery. */
export const isInboxMessage = (message: unknown): boolean =>
  typeof message === "object" &&
  message !== null &&
  (message as { type?: unknown }).type === "inbox";

export interface ClaimedMessage {
  id: string;
  message: unknown;
  inbox: boolean;
}

export interface QueueBackend {
  /** Leases up to `limit` claimable messages of one kind (received activities or deliveries). */
  claim(limit: number, inbox: boolean): Promise<ClaimedMessage[]>;
  /** Extends the leases of messages still being handled. */
  renew(ids: string[]): Promise<void>;
  /** The handler finished: the message is gone for good. */
  done(id: string): Promise<void>;
  /** The handler threw: the message is kept for a later attempt (or dropped after too many). */
  failed(id: string): Promise<void>;
  readonly leaseMs: number;
  /** Registers a wake-up (a message was enqueued somewhere); returns its removal. */
  onNotify(wake: () => void): () => void;
}

export class QueueWorker {
  readonly #pollIntervalMs: number;
  readonly #concurrency: number;
  readonly #inboxConcurrency: number;
  readonly #backend: QueueBackend;

  constructor(options: QueueListenerOptions, backend: QueueBackend) {
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#concurrency = options.concurrency ?? 16;
    this.#inboxConcurrency = Math.min(options.inboxConcurrency ?? 4, this.#concurrency);
    this.#backend = backend;
  }

  async run(
    handler: (message: unknown) => Promise<void> | void,
    signal: MessageQueueListenOptions["signal"],
  ): Promise<void> {
    const backend = this.#backend;
    const running = new Map<string, Promise<void>>();
    let inboxRunning = 0;
    let woken = false;
    let wakeUp: (() => void) | undefined;
    const wake = () => {
      woken = true;
      wakeUp?.();
    };
    const stopNotify = backend.onNotify(wake);
    signal?.addEventListener("abort", wake, { once: true });
    // A handler outliving its lease would be claimed again elsewhere; renewing at a third of the lease
    // leaves two renewals' worth of slack for a slow database.
    const renewal = setInterval(
      () => {
        if (running.size === 0) return;
        backend.renew([...running.keys()]).catch((error: unknown) => {
          log.warning("Could not renew queue leases: {error}", { error });
        });
      },
      Math.max(50, backend.leaseMs / 3),
    );
    const start = (claimed: ClaimedMessage) => {
      if (claimed.inbox) inboxRunning++;
      const task = (async () => {
        try {
          await handler(claimed.message);
        } catch (error) {
          // Fedify handles delivery failures itself; an error here is a bug. Keep the message for a
          // later attempt rather than lose it, but not forever.
          log.error("Queue handler failed for message {id}: {error}", { id: claimed.id, error });
          await backend.failed(claimed.id).catch((e: unknown) => {
            log.warning("Could not record a failed message {id}: {error}", {
              id: claimed.id,
              error: e,
            });
          });
          return;
        }
        // If this fails the lease runs out and the message is handled again: at least once, never lost.
        await backend.done(claimed.id).catch((error: unknown) => {
          log.warning("Could not remove handled message {id}: {error}", { id: claimed.id, error });
        });
      })().finally(() => {
        running.delete(claimed.id);
        if (claimed.inbox) inboxRunning--;
        // A slot is free, and the next message of its ordering key may now be claimable.
        wake();
      });
      running.set(claimed.id, task);
    };
    try {
      while (!signal?.aborted) {
        woken = false;
        let full = false;
        try {
          const inboxFree = Math.min(
            this.#inboxConcurrency - inboxRunning,
            this.#concurrency - running.size,
          );
          if (inboxFree > 0) {
            const batch = await backend.claim(inboxFree, true);
            for (const claimed of batch) start(claimed);
            full ||= batch.length === inboxFree;
          }
          const free = this.#concurrency - running.size;
          if (free > 0 && !signal?.aborted) {
            const batch = await backend.claim(free, false);
            for (const claimed of batch) start(claimed);
            full ||= batch.length === free;
          }
        } catch (error) {
          // A database or Redis outage must not end the listener: nothing would be delivered until a
          // restart. Try again at the next poll.
          log.warning("Could not claim queued messages; retrying: {error}", { error });
        }
        if (signal?.aborted) break;
        // A claim that filled what it asked for may have left more behind: claim again once a slot is free.
        if ((full && running.size < this.#concurrency) || woken) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.#pollIntervalMs);
          wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeUp = undefined;
      }
    } finally {
      stopNotify();
      signal?.removeEventListener("abort", wake);
      await Promise.allSettled(running.values());
      clearInterval(renewal);
    }
  }
}
