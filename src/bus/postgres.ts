// The bus over PostgreSQL LISTEN/NOTIFY, for when the main store is PostgreSQL (the caller passes its
// pg Pool; this holds one of its connections to listen on). All logical channels share one PostgreSQL
// channel, so a process listens once whatever it subscribes to.
//
// A notification's payload must be shorter than 8000 bytes. Larger messages are cut into pieces sent
// in one transaction: PostgreSQL delivers a transaction's notifications together, in the order sent,
// and only after it commits, so a listener gets every piece of a message or none, never interleaved
// with another message's. That was chosen over storing large payloads in a table and notifying its id:
// no table (and migration) to keep, no cleanup, no read after the fact racing a deletion.
import { randomUUID } from "node:crypto";
import type { Notification, Pool, PoolClient } from "pg";
import { logger } from "../logging.ts";
import { type Bus, type BusHandler, checkChannel, LocalSubscribers } from "./bus.ts";

const log = logger("bus", "postgres");

/** Under PostgreSQL's 8000-byte limit with room for the envelope. */
const MAX_DIRECT_BYTES = 7800;
/** Raw bytes per piece: base64 makes 7,200 characters of them, plus an envelope of ~150. */
const PIECE_BYTES = 5400;
/** Incomplete messages kept at once; more means pieces were lost (a connection dropped mid-way). */
const MAX_PENDING = 64;
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;

/** One notification: a whole message (`p`), or piece `i` of `n` of message `m` (`d`, base64). */
type Envelope =
  | { c: string; p: unknown }
  | { c: string; m: string; i: number; n: number; d: string };

export interface PostgresBusOptions {
  pool: Pool;
  /** The PostgreSQL channel (an identifier); instances sharing a database need different ones. */
  pgChannel?: string;
}

export class PostgresBus implements Bus {
  readonly #pool: Pool;
  readonly #pgChannel: string;
  readonly #local = new LocalSubscribers();
  readonly #pending = new Map<string, { n: number; pieces: string[]; got: number }>();
  #listener: PoolClient | undefined;
  #listening: Promise<void> | undefined;
  #retryMs = RECONNECT_MIN_MS;
  #retryTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #sending: Promise<void> = Promise.resolve();

  constructor(options: PostgresBusOptions) {
    this.#pool = options.pool;
    this.#pgChannel = options.pgChannel ?? "atelier_bus";
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.#pgChannel)) {
      throw new Error(`Not a PostgreSQL channel name: ${this.#pgChannel}`);
    }
  }

  /**
   * Sends one message at a time, so that one process's messages arrive in the order published (an edit
   * after its post, a deletion after both), as over Redis's one connection: pooled queries would race.
   */
  publish(channel: string, payload: unknown): Promise<void> {
    checkChannel(channel);
    const sent = this.#sending.then(() => this.#send(channel, payload));
    this.#sending = sent.catch(() => {});
    return sent;
  }

  async #send(channel: string, payload: unknown): Promise<void> {
    if (this.#closed) return;
    const whole = JSON.stringify({ c: channel, p: payload ?? null } satisfies Envelope);
    if (Buffer.byteLength(whole) <= MAX_DIRECT_BYTES) {
      await this.#pool.query("select pg_notify($1, $2)", [this.#pgChannel, whole]);
      return;
    }
    const bytes = Buffer.from(JSON.stringify(payload));
    const n = Math.ceil(bytes.length / PIECE_BYTES);
    const m = randomUUID();
    const client = await this.#pool.connect();
    try {
      await client.query("begin");
      for (let i = 0; i < n; i++) {
        const d = bytes.subarray(i * PIECE_BYTES, (i + 1) * PIECE_BYTES).toString("base64");
        const piece: Envelope = { c: channel, m, i, n, d };
        await client.query("select pg_notify($1, $2)", [this.#pgChannel, JSON.stringify(piece)]);
      }
      await client.query("commit");
      client.release();
    } catch (error) {
      await client.query("rollback").catch(() => {});
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  async subscribe(channel: string, handler: BusHandler): Promise<() => void> {
    this.#local.add(channel, handler);
    this.#listening ??= this.#listen();
    await this.#listening;
    return () => {
      this.#local.remove(channel, handler);
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#local.clear();
    await this.#listening?.catch(() => {});
    const listener = this.#listener;
    this.#listener = undefined;
    if (listener !== undefined) {
      await listener.query(`unlisten ${this.#pgChannel}`).catch(() => {});
      listener.release();
    }
  }

  /**
   * Takes a connection of the pool and listens on it. The first time, a failure is thrown (a wrong
   * database should stop start-up); after a lost connection, it is tried again with a longer pause.
   */
  async #listen(first = true): Promise<void> {
    let client: PoolClient | undefined;
    try {
      client = await this.#pool.connect();
      const held = client;
      held.on("notification", (n: Notification) => this.#receive(n));
      held.on("error", (error: Error) => this.#lost(held, error));
      held.on("end", () => this.#lost(held, new Error("connection ended")));
      await held.query(`listen ${this.#pgChannel}`);
      if (this.#closed) {
        held.release();
        return;
      }
      this.#listener = held;
      this.#retryMs = RECONNECT_MIN_MS;
    } catch (error) {
      client?.release(true);
      if (this.#closed) return;
      if (first) {
        this.#listening = undefined;
        throw error;
      }
      this.#scheduleReconnect(error);
    }
  }

  #lost(client: PoolClient, error: Error): void {
    if (this.#closed || this.#listener !== client) return;
    this.#listener = undefined;
    client.release(error);
    // Pieces of a message cut by the drop can never complete.
    this.#pending.clear();
    this.#scheduleReconnect(error);
  }

  #scheduleReconnect(error: unknown): void {
    if (this.#closed) return;
    log.warning("Lost the PostgreSQL bus listener ({error}); listening again in {ms} ms.", {
      error: error instanceof Error ? error.message : String(error),
      ms: this.#retryMs,
    });
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#listening = this.#listen(false);
    }, this.#retryMs);
    this.#retryTimer.unref();
    this.#retryMs = Math.min(this.#retryMs * 2, RECONNECT_MAX_MS);
  }

  #receive(notification: Notification): void {
    if (this.#closed || notification.channel !== this.#pgChannel) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(notification.payload ?? "") as Envelope;
    } catch {
      log.warning("Dropping a bus notification that is not JSON.");
      return;
    }
    if ("p" in envelope) {
      this.#local.deliver(envelope.c, envelope.p);
      return;
    }
    let pending = this.#pending.get(envelope.m);
    if (pending === undefined) {
      if (this.#pending.size >= MAX_PENDING) this.#pending.clear();
      pending = { n: envelope.n, pieces: new Array<string>(envelope.n), got: 0 };
      this.#pending.set(envelope.m, pending);
    }
    if (pending.pieces[envelope.i] === undefined) {
      pending.pieces[envelope.i] = envelope.d;
      pending.got++;
    }
    if (pending.got < pending.n) return;
    this.#pending.delete(envelope.m);
    const bytes = Buffer.concat(pending.pieces.map((d) => Buffer.from(d, "base64")));
    this.#local.deliver(envelope.c, JSON.parse(bytes.toString("utf8")));
  }
}
