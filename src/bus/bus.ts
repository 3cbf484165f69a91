// The bus between processes: messages on named channels, seen once by every subscriber in every process
// that shares it, the publishing one included. It carries fan-out and wake-ups of what the database
// already holds (streaming events, cache invalidations, "work is waiting"), never the only copy of
// anything: a message published while a process is disconnected is not replayed to it, and each
// receiver must cope with having missed one (streams are re-read by clients, caches re-check, workers
// also poll).
import { logger } from "../logging.ts";

const log = logger("bus");

export type BusHandler = (payload: unknown) => void;

export interface Bus {
  /** Sends `payload` (JSON-serializable) to every subscriber of `channel`, in every process. */
  publish(channel: string, payload: unknown): Promise<void>;
  /** Resolves once messages published from now on reach `handler`; returns the unsubscribe. */
  subscribe(channel: string, handler: BusHandler): Promise<() => void>;
  /** Stops delivering and releases connections; safe to call twice. */
  close(): Promise<void>;
}

// Channel names become Redis keys and parts of PostgreSQL notifications: plain words only.
const CHANNEL = /^[a-z][a-z0-9._-]{0,62}$/;

export function checkChannel(channel: string): void {
  if (!CHANNEL.test(channel)) throw new Error(`Not a bus channel name: ${JSON.stringify(channel)}`);
}

/** The handlers of one process, by channel; what every implementation delivers to. */
export class LocalSubscribers {
  readonly #handlers = new Map<string, Set<BusHandler>>();

  /** Adds a handler; true when it is the channel's first (the implementation then listens). */
  add(channel: string, handler: BusHandler): boolean {
    checkChannel(channel);
    let set = this.#handlers.get(channel);
    const first = set === undefined;
    if (set === undefined) {
      set = new Set();
      this.#handlers.set(channel, set);
    }
    set.add(handler);
    return first;
  }

  /** Removes a handler; true when the channel has none left. */
  remove(channel: string, handler: BusHandler): boolean {
    const set = this.#handlers.get(channel);
    if (set === undefined || !set.delete(handler)) return false;
    if (set.size > 0) return false;
    this.#handlers.delete(channel);
    return true;
  }

  channels(): string[] {
    return [...this.#handlers.keys()];
  }

  /** Calls each handler of `channel`; one that throws is logged and does not stop the others. */
  deliver(channel: string, payload: unknown): void {
    for (const handler of this.#handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        log.error("A subscriber of bus channel {channel} failed: {error}", { channel, error });
      }
    }
  }

  clear(): void {
    this.#handlers.clear();
  }
}

/**
 * The bus of a single process (the default). Delivery is synchronous, inside publish(): a subscriber
 * runs in the same turn as the domain-event handler that published, as when it was called directly.
 * The payload goes through JSON as it would over a network, so no subscriber sees a shared object.
 */
export class InProcessBus implements Bus {
  readonly #local = new LocalSubscribers();
  #closed = false;

  async publish(channel: string, payload: unknown): Promise<void> {
    checkChannel(channel);
    if (!this.#closed) this.#local.deliver(channel, JSON.parse(JSON.stringify(payload ?? null)));
  }

  subscribe(channel: string, handler: BusHandler): Promise<() => void> {
    this.#local.add(channel, handler);
    return Promise.resolve(() => {
      this.#local.remove(channel, handler);
    });
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#local.clear();
    return Promise.resolve();
  }
}
