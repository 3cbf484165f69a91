// The KvStore Fedify is given, around whichever store holds its keys (SQLite, PostgreSQL, Redis): the
// per-host state it reads for every delivery is answered from memory, with the store as the shared truth.
//
// For each delivery Fedify reads the inbox host's circuit-breaker state before sending and again after
// (to close the circuit), and the host's remembered signature spec (set only for hosts that asked for
// RFC 9421): three store reads per delivery, a query each, when almost every host has neither. Each of
// these prefixes is read whole into memory and read again after `refreshMs`; a write goes to the store
// first, then to the copy. Compare-and-set is always the store's, so the circuit breaker's updates stay
// atomic across workers: one that fails (another worker changed the key since this copy was read)
// re-reads the key, and Fedify's retry of the update sees the current value. A change another worker
// makes is seen here within `refreshMs`: until then this worker may send to a host whose circuit the
// other just opened, as it would have if the change had come a moment later.
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import { logger } from "../src/logging.ts";

const log = logger("federation", "kv");

/** A prefix whose entries (one per host) are kept, and the value an absent entry stands for. */
export interface KeptPrefix {
  prefix: KvKey;
  absentMeans?: unknown;
}

/**
 * Fedify's default prefixes of the circuit breaker's states and of the remembered signature specs; an
 * absent spec means the one Fedify knocks with first (its `firstKnock`).
 */
export function hostStatePrefixes(firstKnock: string): KeptPrefix[] {
  return [
    { prefix: ["_fedify", "circuit"] },
    { prefix: ["_fedify", "httpMessageSignaturesSpec"], absentMeans: firstKnock },
  ];
}

export interface HostStateKvOptions {
  prefixes: readonly KeptPrefix[];
  /** How long a copy of a prefix is used before it is read again (ms). */
  refreshMs?: number;
  now?: () => number;
}

interface Copy {
  values: Map<string, unknown>;
  loadedAt: number;
  loading?: Promise<void>;
  /** Keys written while a load ran: the load's older answer must not replace them. */
  writtenDuringLoad?: Set<string>;
}

const copyOf = (value: unknown): unknown =>
  value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);

export class HostStateKvStore implements KvStore {
  readonly #inner: KvStore;
  readonly #prefixes: readonly KeptPrefix[];
  readonly #refreshMs: number;
  readonly #now: () => number;
  readonly #copies = new Map<number, Copy>();
  readonly cas?: KvStore["cas"];

  constructor(inner: KvStore, options: HostStateKvOptions) {
    this.#inner = inner;
    this.#prefixes = options.prefixes;
    this.#refreshMs = options.refreshMs ?? 10_000;
    this.#now = options.now ?? Date.now;
    // Fedify warns and updates without CAS when the store has none; the wrapper must not pretend.
    const innerCas = inner.cas?.bind(inner);
    if (innerCas !== undefined) {
      this.cas = async (key, expectedValue, newValue, options) => {
        const swapped = await innerCas(key, expectedValue, newValue, options);
        const kept = this.#kept(key);
        if (kept !== undefined) {
          if (swapped) this.#remember(kept, key, newValue);
          else this.#remember(kept, key, await inner.get(key));
        }
        return swapped;
      };
    }
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const kept = this.#kept(key);
    if (kept === undefined) return await this.#inner.get<T>(key);
    const copy = await this.#fresh(kept);
    if (copy === undefined) return await this.#inner.get<T>(key);
    return copyOf(copy.values.get(JSON.stringify(key))) as T | undefined;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const kept = this.#kept(key);
    if (kept !== undefined && options?.ttl == null && (await this.#unchangedBy(kept, key, value))) {
      return;
    }
    await this.#inner.set(key, value, options);
    if (kept !== undefined) this.#remember(kept, key, value);
  }

  /**
   * Fedify remembers the spec that worked after every delivery whose first knock succeeded: a write per
   * delivery, and a row per host ever delivered to. Writing what the copy already holds, or the spec
   * tried first anyway when nothing is held, changes no answer.
   */
  async #unchangedBy(index: number, key: KvKey, value: unknown): Promise<boolean> {
    const copy = await this.#fresh(index);
    if (copy === undefined) return false;
    const held = copy.values.get(JSON.stringify(key));
    const absentMeans = this.#prefixes[index]?.absentMeans;
    if (held === undefined) return absentMeans !== undefined && value === absentMeans;
    return JSON.stringify(held) === JSON.stringify(value);
  }

  async delete(key: KvKey): Promise<void> {
    await this.#inner.delete(key);
    const kept = this.#kept(key);
    if (kept !== undefined) this.#remember(kept, key, undefined);
  }

  list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    return this.#inner.list(prefix);
  }

  /** Which kept prefix a key is one level under (a host's entry), if any. */
  #kept(key: KvKey): number | undefined {
    const index = this.#prefixes.findIndex(
      ({ prefix }) =>
        key.length === prefix.length + 1 && prefix.every((part, i) => key[i] === part),
    );
    return index === -1 ? undefined : index;
  }

  #remember(index: number, key: KvKey, value: unknown): void {
    const copy = this.#copies.get(index);
    if (copy === undefined) return;
    const encoded = JSON.stringify(key);
    if (value === undefined) copy.values.delete(encoded);
    else copy.values.set(encoded, copyOf(value));
    copy.writtenDuringLoad?.add(encoded);
  }

  /**
   * The copy of a prefix: read on first use (waited for), read again in the background once stale (the
   * old copy answers meanwhile). Undefined while the first read fails: the caller asks the store.
   */
  async #fresh(index: number): Promise<Copy | undefined> {
    let copy = this.#copies.get(index);
    if (copy === undefined) {
      copy = { values: new Map(), loadedAt: Number.NEGATIVE_INFINITY };
      this.#copies.set(index, copy);
    }
    if (copy.loading === undefined && this.#now() - copy.loadedAt >= this.#refreshMs) {
      copy.loading = this.#load(index, copy).finally(() => {
        if (copy !== undefined) copy.loading = undefined;
      });
    }
    if (copy.loadedAt === Number.NEGATIVE_INFINITY) await copy.loading;
    return copy.loadedAt === Number.NEGATIVE_INFINITY ? undefined : copy;
  }

  async #load(index: number, copy: Copy): Promise<void> {
    const { prefix } = this.#prefixes[index] as KeptPrefix;
    const written = new Set<string>();
    copy.writtenDuringLoad = written;
    const startedAt = this.#now();
    try {
      const values = new Map<string, unknown>();
      for await (const { key, value } of this.#inner.list(prefix)) {
        // Deeper keys (the breaker's own bookkeeping) are read from the store, not kept.
        if (key.length === prefix.length + 1) values.set(JSON.stringify(key), copyOf(value));
      }
      for (const encoded of written) {
        if (copy.values.has(encoded)) values.set(encoded, copy.values.get(encoded));
        else values.delete(encoded);
      }
      copy.values = values;
      copy.loadedAt = startedAt;
    } catch (error) {
      log.warning("Could not read {prefix} from the key-value store: {error}", { prefix, error });
      // A copy read before keeps answering until the next refresh; the store is not asked again for
      // every delivery while it fails.
      if (copy.loadedAt !== Number.NEGATIVE_INFINITY) copy.loadedAt = startedAt;
    } finally {
      copy.writtenDuringLoad = undefined;
    }
  }
}
