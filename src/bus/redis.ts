// The bus over Redis pub/sub (REDIS_URL): one connection publishes, one subscribes (a subscribed Redis
// connection can do nothing else). ioredis reconnects by itself and subscribes again to every channel,
// so a process that lost Redis for a while hears new messages once it is back (not the missed ones).
import { Redis } from "ioredis";
import { logger } from "../logging.ts";
import { type Bus, type BusHandler, checkChannel, LocalSubscribers } from "./bus.ts";

const log = logger("bus", "redis");

export interface RedisBusOptions {
  /**
   * Put before every channel name, so that several instances can share one Redis server. Processes of
   * one instance must use the same prefix.
   */
  prefix?: string;
}

export class RedisBus implements Bus {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #prefix: string;
  readonly #local = new LocalSubscribers();
  #closed = false;

  constructor(url: string, options: RedisBusOptions = {}) {
    this.#prefix = options.prefix ?? "atelier:";
    // No retry limit per command: a publish made while Redis restarts waits in ioredis' offline queue
    // instead of failing after 20 attempts.
    this.#publisher = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
    this.#subscriber = new Redis(url, { maxRetriesPerRequest: null, autoResubscribe: true });
    for (const [name, connection] of [
      ["publisher", this.#publisher],
      ["subscriber", this.#subscriber],
    ] as const) {
      // Without a listener ioredis reports each failed reconnection as an unhandled error.
      connection.on("error", (error: Error) => {
        if (!this.#closed) log.warning("Redis {name}: {error}", { name, error: error.message });
      });
    }
    this.#subscriber.on("message", (channel: string, message: string) => {
      if (this.#closed || !channel.startsWith(this.#prefix)) return;
      let payload: unknown;
      try {
        payload = JSON.parse(message);
      } catch {
        log.warning("Dropping a message on {channel} that is not JSON.", { channel });
        return;
      }
      this.#local.deliver(channel.slice(this.#prefix.length), payload);
    });
  }

  async publish(channel: string, payload: unknown): Promise<void> {
    checkChannel(channel);
    if (this.#closed) return;
    await this.#publisher.publish(this.#prefix + channel, JSON.stringify(payload ?? null));
  }

  async subscribe(channel: string, handler: BusHandler): Promise<() => void> {
    if (this.#local.add(channel, handler)) {
      // Resolves once Redis confirmed: from then on, nothing published is missed.
      await this.#subscriber.subscribe(this.#prefix + channel);
    }
    return () => {
      if (this.#local.remove(channel, handler) && !this.#closed) {
        this.#subscriber.unsubscribe(this.#prefix + channel).catch(() => {});
      }
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#local.clear();
    this.#subscriber.disconnect();
    await this.#publisher.quit().catch(() => this.#publisher.disconnect());
  }
}
