// Fedify's MessageQueue on Redis, for several worker processes: the reliable-queue pattern. A claim
// moves a message from its waiting set to the lease set (scored by lease expiry) in one script, so two
// workers never take the same one; it is deleted only when its handler finished; a lease that ran out
// (a killed worker) puts it back. Delayed messages wait in the same sorted sets, scored by ready time.
// Ordering keys: a key's messages queue in a list and only its head is ever in a waiting set; the next
// one enters when the head is handled, so a key has one message in flight in all processes, in order.
// Keys, all under the prefix:
//   q:seq (ids) · q:msg (id → message) · q:meta (id → {i: inbox 0/1, r: ready ms, k: key, a: attempts})
//   q:wait:0 / q:wait:1 (waiting deliveries / received activities) · q:lease · q:key:<k> · q:wake (pub/sub)
// Durability is Redis's own: run it with appendonly yes so a restart of Redis loses no delivery.
import type {
  MessageQueue,
  MessageQueueDepth,
  MessageQueueEnqueueOptions,
  MessageQueueListenOptions,
} from "@fedify/fedify";
import type { Redis } from "ioredis";
import { logger } from "../src/logging.ts";
import { durationMs } from "./kv.ts";
import { isInboxMessage, type QueueListenerOptions, QueueWorker } from "./queue-worker.ts";
import { LUA_NOW, redisScript, runScript } from "./redis-script.ts";

const log = logger("federation", "queue");

// ARGV[1] is always the prefix (with "q:"). Removing a handled (or given up) message lets the next
// message of its ordering key wait its turn.
const REMOVE = `
local function remove(P, id, m)
  redis.call('ZREM', P .. 'lease', id)
  redis.call('ZREM', P .. 'wait:' .. m.i, id)
  redis.call('HDEL', P .. 'msg', id)
  redis.call('HDEL', P .. 'meta', id)
  if m.k ~= '' then
    local list = P .. 'key:' .. m.k
    redis.call('LREM', list, 1, id)
    local nxt = redis.call('LINDEX', list, 0)
    if nxt then
      local n = cjson.decode(redis.call('HGET', P .. 'meta', nxt))
      redis.call('ZADD', P .. 'wait:' .. n.i, n.r, nxt)
      redis.call('PUBLISH', P .. 'wake', '')
    end
  end
end`;

// ARGV: P, delay ms, ordering key or "", then (inbox 0/1, message JSON) pairs.
const ENQUEUE = redisScript(`${LUA_NOW}
local P = ARGV[1]
local delay = tonumber(ARGV[2])
local key = ARGV[3]
local ready = now + delay
for i = 4, #ARGV, 2 do
  -- Zero-padded, so that members of equal score sort in enqueue order.
  local id = string.format('%016d', redis.call('INCR', P .. 'seq'))
  redis.call('HSET', P .. 'msg', id, ARGV[i + 1])
  redis.call('HSET', P .. 'meta', id, cjson.encode({i = ARGV[i], r = ready, k = key, a = 0}))
  if key == '' or redis.call('RPUSH', P .. 'key:' .. key, id) == 1 then
    redis.call('ZADD', P .. 'wait:' .. ARGV[i], ready, id)
  end
end
if delay == 0 then redis.call('PUBLISH', P .. 'wake', '') end
return 1`);

// ARGV: P, inbox 0/1, limit, lease ms. Returns id, message, id, message…
const CLAIM = redisScript(`${LUA_NOW}
local P = ARGV[1]
local lost = redis.call('ZRANGEBYSCORE', P .. 'lease', '-inf', now, 'LIMIT', 0, 100)
for _, id in ipairs(lost) do
  redis.call('ZREM', P .. 'lease', id)
  local meta = redis.call('HGET', P .. 'meta', id)
  -- Back at its old place: it was ready before anything queued since.
  if meta then
    local m = cjson.decode(meta)
    redis.call('ZADD', P .. 'wait:' .. m.i, m.r, id)
  end
end
local waiting = P .. 'wait:' .. ARGV[2]
local ids = redis.call('ZRANGEBYSCORE', waiting, '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  redis.call('ZREM', waiting, id)
  redis.call('ZADD', P .. 'lease', now + tonumber(ARGV[4]), id)
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', P .. 'msg', id)
end
return out`);

// ARGV: P, lease ms, ids… Only leases still held are extended (XX).
const RENEW = redisScript(`${LUA_NOW}
for i = 3, #ARGV do redis.call('ZADD', ARGV[1] .. 'lease', 'XX', now + tonumber(ARGV[2]), ARGV[i]) end
return 1`);

// ARGV: P, id.
const DONE = redisScript(`${REMOVE}
local meta = redis.call('HGET', ARGV[1] .. 'meta', ARGV[2])
if not meta then return 0 end
remove(ARGV[1], ARGV[2], cjson.decode(meta))
return 1`);

// ARGV: P, id. Again after 10 s, 20 s, 40 s, 80 s; after the fifth failure, dropped.
const FAILED = redisScript(`${LUA_NOW}${REMOVE}
local P = ARGV[1]
local id = ARGV[2]
local meta = redis.call('HGET', P .. 'meta', id)
if not meta then return 0 end
local m = cjson.decode(meta)
m.a = m.a + 1
if m.a >= 5 then remove(P, id, m) return 1 end
m.r = now + 5000 * 2 ^ m.a
redis.call('HSET', P .. 'meta', id, cjson.encode(m))
redis.call('ZREM', P .. 'lease', id)
redis.call('ZADD', P .. 'wait:' .. m.i, m.r, id)
return 1`);

// ARGV: P. Returns waiting (not leased) and ready.
const DEPTH = redisScript(`${LUA_NOW}
local P = ARGV[1]
local queued = redis.call('HLEN', P .. 'msg') - redis.call('ZCARD', P .. 'lease')
local ready = redis.call('ZCOUNT', P .. 'wait:0', '-inf', now) + redis.call('ZCOUNT', P .. 'wait:1', '-inf', now)
return {queued, ready}`);

export interface RedisMessageQueueOptions extends QueueListenerOptions {
  /** Put before every key, e.g. "atelier:social.example:". */
  keyPrefix?: string;
  /** How long a claim holds a message without renewal before another worker may take it (ms). */
  leaseMs?: number;
}

export class RedisMessageQueue implements MessageQueue {
  // Fedify retries failed deliveries itself, with its backoff policy, by enqueueing them again.
  readonly nativeRetrial = false;
  readonly #connect: () => Redis;
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #options: RedisMessageQueueOptions;
  readonly #leaseMs: number;
  readonly #subscribers = new Set<Redis>();

  /**
   * `connect` makes a connection: one for commands now, and one per listen() for the wake-up
   * subscription (a subscribed connection can do nothing else). close() ends them all.
   */
  constructor(connect: () => Redis, options: RedisMessageQueueOptions = {}) {
    this.#connect = connect;
    this.#redis = connect();
    this.#prefix = `${options.keyPrefix ?? "atelier:"}q:`;
    this.#options = options;
    this.#leaseMs = options.leaseMs ?? 60_000;
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions) {
    if (messages.length === 0) return;
    const delay = options?.delay == null ? 0 : Math.max(0, durationMs(options.delay as never));
    const args: (string | number)[] = [this.#prefix, Math.ceil(delay), options?.orderingKey ?? ""];
    for (const message of messages) {
      args.push(isInboxMessage(message) ? 1 : 0, JSON.stringify(message));
    }
    await runScript(this.#redis, ENQUEUE, args);
  }

  async getDepth(): Promise<MessageQueueDepth> {
    const [queued = 0, ready = 0] = (await runScript(this.#redis, DEPTH, [
      this.#prefix,
    ])) as number[];
    return { queued, ready, delayed: queued - ready };
  }

  async listen(
    handler: (message: unknown) => Promise<void> | void,
    options: MessageQueueListenOptions = {},
  ): Promise<void> {
    const wakes = new Set<() => void>();
    const wakeAll = () => {
      for (const wake of wakes) wake();
    };
    const subscriber = this.#connect();
    this.#subscribers.add(subscriber);
    subscriber.on("message", wakeAll);
    // ioredis reconnects and subscribes again by itself; whatever was published meanwhile is found by
    // claiming once more.
    subscriber.on("ready", wakeAll);
    subscriber.on("error", (error) => {
      log.warning("Queue subscription connection: {error}", { error });
    });
    subscriber.subscribe(`${this.#prefix}wake`).catch((error: unknown) => {
      log.warning("Could not subscribe to queue wake-ups: {error}", { error });
    });
    const P = this.#prefix;
    try {
      await new QueueWorker(this.#options, {
        claim: async (limit, inbox) => {
          const flat = (await runScript(this.#redis, CLAIM, [
            P,
            inbox ? 1 : 0,
            limit,
            this.#leaseMs,
          ])) as string[];
          const claimed = [];
          for (let i = 0; i < flat.length; i += 2) {
            claimed.push({
              id: flat[i] as string,
              message: JSON.parse(flat[i + 1] as string) as unknown,
              inbox,
            });
          }
          return claimed;
        },
        renew: async (ids) => {
          await runScript(this.#redis, RENEW, [P, this.#leaseMs, ...ids]);
        },
        done: async (id) => {
          await runScript(this.#redis, DONE, [P, id]);
        },
        failed: async (id) => {
          await runScript(this.#redis, FAILED, [P, id]);
        },
        leaseMs: this.#leaseMs,
        onNotify: (wake) => {
          wakes.add(wake);
          return () => wakes.delete(wake);
        },
      }).run(handler, options.signal);
    } finally {
      this.#subscribers.delete(subscriber);
      subscriber.disconnect();
    }
  }

  /** Ends the connections (after the listeners stopped: a running listener loses its wake-ups). */
  async close(): Promise<void> {
    for (const subscriber of this.#subscribers) subscriber.disconnect();
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}
