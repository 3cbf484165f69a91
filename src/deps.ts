// Composition root: builds the database, services and adapters from the Config, once. Tests build the
// same Deps with test parts (a temp data dir, a fake OpenAI server) instead of importing singletons.
import { type AtelierFederation, createFederation } from "../federation/index.ts";
import type { Config } from "./config.ts";
import { closeDatabase, type Database, openDatabase } from "./db/client.ts";
import { EventDispatcher } from "./domain/events.ts";
import { type LocalUrls, localUrls } from "./domain/local-urls.ts";
import { logger } from "./logging.ts";

export interface Deps {
  readonly config: Config;
  readonly db: Database;
  readonly urls: LocalUrls;
  /** Dispatches recorded domain events to their subscribers (registered here, in createDeps). */
  readonly events: EventDispatcher;
  /** ActivityPub: dispatchers, inbox, and the outbox subscribed to domain events. */
  readonly federation: AtelierFederation;
  /** Starts background work (event dispatch left over from a previous run). */
  start(): void;
  /** Releases everything the deps hold (workers, then the database); safe to call twice. */
  close(): Promise<void>;
}

export async function createDeps(config: Config): Promise<Deps> {
  const db = openDatabase(config.databasePath);
  const events = new EventDispatcher(db);
  const urls = localUrls(config.origin);
  const federation = createFederation({ config, db, urls, events });
  federation.subscribe(events);
  let closed = false;
  return {
    config,
    db,
    urls,
    events,
    federation,
    start() {
      events.kick();
      federation.start().catch((error: unknown) => {
        logger("deps").error("Federation failed to start: {error}", { error });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await events.close();
      await federation.close();
      closeDatabase(db);
    },
  };
}
