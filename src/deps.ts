// Composition root: builds the database, services and adapters from the Config, once. Tests build the
// same Deps with test parts (a temp data dir, a fake OpenAI server) instead of importing singletons.
import type { Config } from "./config.ts";
import { closeDatabase, type Database, openDatabase } from "./db/client.ts";
import { type LocalUrls, localUrls } from "./domain/local-urls.ts";

export interface Deps {
  readonly config: Config;
  readonly db: Database;
  readonly urls: LocalUrls;
  /** Releases everything the deps hold (database, workers); safe to call twice. */
  close(): Promise<void>;
}

export async function createDeps(config: Config): Promise<Deps> {
  const db = openDatabase(config.databasePath);
  let closed = false;
  return {
    config,
    db,
    urls: localUrls(config.origin),
    async close() {
      if (closed) return;
      closed = true;
      closeDatabase(db);
    },
  };
}
