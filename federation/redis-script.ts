// Lua scripts run on Redis by their SHA-1 (EVALSHA), sent in full only when the server does not know
// them yet (a fresh or restarted server), so a fan-out's thousands of calls do not resend their text.
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

export interface RedisScript {
  readonly source: string;
  readonly sha: string;
}

export function redisScript(source: string): RedisScript {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

export async function runScript(
  redis: Redis,
  script: RedisScript,
  args: (string | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, 0, ...args);
  } catch (error) {
    if (!String(error).includes("NOSCRIPT")) throw error;
    return await redis.eval(script.source, 0, ...args);
  }
}

/** The Redis server's clock in milliseconds, for scripts: every process then agrees on "now". */
export const LUA_NOW =
  "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";

/** `text` with the glob characters of SCAN's MATCH escaped, so it matches only itself. */
export const escapeGlob = (text: string): string => text.replace(/[*?[\]\\^]/g, (c) => `\\${c}`);
