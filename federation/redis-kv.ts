// Fedify's KvStore on Redis, shared by every process of an instance. Each entry is one string key,
// `<prefix>kv:<the KvKey's JSON>`, holding the value's JSON; a TTL is Redis's own expiry, so expired
// entries are never returned and Redis removes them itself. The prefix keeps several instances (or
// other applications) apart on one Redis.
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import type { Redis } from "ioredis";
import { durationMs } from "./kv.ts";
import { escapeGlob, redisScript, runScript } from "./redis-script.ts";

const encodeValue = (value: unknown): string => JSON.stringify(value === undefined ? null : value);
/** Redis's PX takes whole milliseconds, at least one. */
const ttlMs = (options?: KvStoreSetOptions): number | null =>
  options?.ttl == null ? null : Math.max(1, Math.ceil(durationMs(options.ttl as never)));

// ARGV: key, expected ("" with ARGV[4] = "absent" for none), new value, "absent"|"present", ttl or "".
const CAS = redisScript(`
local current = redis.call('GET', ARGV[1])
if ARGV[4] == 'absent' then
  if current then return 0 end
elseif current ~= ARGV[2] then
  return 0
end
if ARGV[5] == '' then redis.call('SET', ARGV[1], ARGV[3])
else redis.call('SET', ARGV[1], ARGV[3], 'PX', ARGV[5]) end
return 1`);

export interface RedisKvStoreOptions {
  /** Put before every key, e.g. "atelier:social.example:". */
  keyPrefix?: string;
}

export class RedisKvStore implements KvStore {
  readonly #redis: Redis;
  readonly #prefix: string;

  /** `redis` is owned by the store from here on: close() ends it. */
  constructor(redis: Redis, options: RedisKvStoreOptions = {}) {
    this.#redis = redis;
    this.#prefix = `${options.keyPrefix ?? "atelier:"}kv:`;
  }

  #key(key: KvKey): string {
    return this.#prefix + JSON.stringify(key);
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const value = await this.#redis.get(this.#key(key));
    return value === null ? undefined : (JSON.parse(value) as T);
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const ttl = ttlMs(options);
    if (ttl === null) await this.#redis.set(this.#key(key), encodeValue(value));
    else await this.#redis.set(this.#key(key), encodeValue(value), "PX", ttl);
  }

  async delete(key: KvKey): Promise<void> {
    await this.#redis.del(this.#key(key));
  }

  async cas(
    key: KvKey,
    expectedValue: unknown,
    newValue: unknown,
    options?: KvStoreSetOptions,
  ): Promise<boolean> {
    // One script runs alone on the server, so the comparison and the write cannot interleave.
    const swapped = await runScript(this.#redis, CAS, [
      this.#key(key),
      expectedValue === undefined ? "" : encodeValue(expectedValue),
      encodeValue(newValue),
      expectedValue === undefined ? "absent" : "present",
      ttlMs(options) ?? "",
    ]);
    return swapped === 1;
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const keys = new Set<string>();
    // '["a","b"' followed by ',' starts every longer key under the prefix.
    const under = prefix === undefined ? this.#prefix : `${this.#key(prefix).slice(0, -1)},`;
    if (prefix !== undefined) keys.add(this.#key(prefix));
    let cursor = "0";
    do {
      // SCAN may return a key twice; the set keeps one.
      const [next, found] = await this.#redis.scan(
        cursor,
        "MATCH",
        `${escapeGlob(under)}*`,
        "COUNT",
        500,
      );
      cursor = next;
      for (const k of found) keys.add(k);
    } while (cursor !== "0");
    const all = [...keys];
    for (let i = 0; i < all.length; i += 500) {
      const batch = all.slice(i, i + 500);
      const values = await this.#redis.mget(...batch);
      for (const [j, value] of values.entries()) {
        // Expired or deleted since the scan.
        if (value === null) continue;
        const k = batch[j] as string;
        yield { key: JSON.parse(k.slice(this.#prefix.length)) as KvKey, value: JSON.parse(value) };
      }
    }
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}
