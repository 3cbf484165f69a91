// Composition root: builds the database, services and adapters from the Config, once. Tests build the
// same Deps with test parts (a temp data dir, a fake OpenAI server) instead of importing singletons.
import type { Config } from "./config.ts";
import { closeDatabase, type Database, openDatabase } from "./db/client.ts";
import { EventDispatcher } from "./domain/events.ts";
import { type LocalUrls, localUrls } from "./domain/local-urls.ts";
import { databaseInteractions, fetchRemoteFollowResolver, type WebServices } from "./web/index.ts";

export interface Deps {
  readonly config: Config;
  readonly db: Database;
  readonly urls: LocalUrls;
  /** Dispatches recorded domain events to their subscribers (registered here, in createDeps). */
  readonly events: EventDispatcher;
  /** What the web pages call in other capabilities (remote follow lookup, following). */
  readonly web: WebServices;
  /** Starts background work (event dispatch left over from a previous run). */
  start(): void;
  /** Releases everything the deps hold (workers, then the database); safe to call twice. */
  close(): Promise<void>;
}

export async function createDeps(config: Config): Promise<Deps> {
  const db = openDatabase(config.databasePath);
  const events = new EventDispatcher(db);
  let closed = false;
  return {
    config,
    db,
    urls: localUrls(config.origin),
    events,
    web: {
      remoteFollow: fetchRemoteFollowResolver({
        allowPrivateAddress: config.federationAllowPrivateAddress,
      }),
      // Federation replaces this with its own resolve (fetching unknown objects) and followAccount.
      interactions: databaseInteractions(db, config.domain),
    },
    start() {
      events.kick();
    },
    async close() {
      if (closed) return;
      closed = true;
      await events.close();
      closeDatabase(db);
    },
  };
}
