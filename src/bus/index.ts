// Which bus a process uses: Redis pub/sub when REDIS_URL is set, else LISTEN/NOTIFY on the pool of a
// PostgreSQL store (DATABASE_URL), else the process's own.
import type { Pool } from "pg";
import { type Bus, InProcessBus } from "./bus.ts";
import { PostgresBus } from "./postgres.ts";
import { RedisBus } from "./redis.ts";

export type { Bus, BusHandler } from "./bus.ts";
export { InProcessBus } from "./bus.ts";
export { PostgresBus } from "./postgres.ts";
export { RedisBus } from "./redis.ts";

export interface BusConfig {
  readonly redisUrl?: string;
  /** Names the instance on a shared Redis: processes of one instance share it, others differ. */
  readonly origin: string;
}

export function createBus(config: BusConfig, postgres?: Pool): Bus {
  if (config.redisUrl !== undefined) {
    return new RedisBus(config.redisUrl, { prefix: `atelier:${config.origin}:` });
  }
  if (postgres !== undefined) return createPostgresBus(postgres);
  return new InProcessBus();
}

/** The bus over LISTEN/NOTIFY on a PostgreSQL store's pool (it keeps one connection). */
export function createPostgresBus(pool: Pool, pgChannel?: string): Bus {
  return new PostgresBus({ pool, ...(pgChannel !== undefined ? { pgChannel } : {}) });
}
