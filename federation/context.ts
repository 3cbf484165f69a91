// What federation code receives from the composition root (its Fedify context data). Kept apart from
// src/deps.ts so that federation/ never imports the root, which imports it.
import type { Federation, MessageQueue } from "@fedify/fedify";
import type { Config } from "../src/config.ts";
import type { Database } from "../src/db/client.ts";
import type { Account, Status } from "../src/db/schema/index.ts";
import type { EventDispatcher } from "../src/domain/events.ts";
import type { LocalUrls } from "../src/domain/local-urls.ts";
import type { ActorResponseCache } from "./actor-cache.ts";
import type { CollectionResponseCache } from "./collection-cache.ts";
import type { ObjectResponseCache } from "./object-cache.ts";

export interface FederationDeps {
  readonly config: Config;
  readonly db: Database;
  readonly urls: LocalUrls;
  readonly events: EventDispatcher;
}

export interface AtelierFederation {
  readonly federation: Federation<FederationDeps>;
  readonly deps: FederationDeps;
  /** Local actor documents and WebFinger answers kept in memory (federation/middleware.ts serves them). */
  readonly actorCache: ActorResponseCache;
  /** Local status documents kept in memory, served the same way. */
  readonly objectCache: ObjectResponseCache;
  /** Local actors' collections and their pages kept in memory, served the same way. */
  readonly collectionCache: CollectionResponseCache;
  /** The queue of deliveries and received activities (SQLite, PostgreSQL or Redis): its depth for tests. */
  readonly queue: MessageQueue;
  /** Makes the instance actor, then runs the delivery/inbox queue worker in the background. */
  start(): Promise<void>;
  /** Stops the queue worker (queued messages stay for the next start). */
  close(): Promise<void>;
  /** Resolves @user@host or a URL to a stored (remote) account or status. */
  lookup(query: string): Promise<{ account: Account } | { status: Status } | null>;
  /**
   * Resolves a full handle (`user@host`) to an account; with `fresh`, asks its server even when a copy
   * is stored, and answers null when the server does not (moving checks the target's alsoKnownAs).
   */
  lookupAccount(handle: string, options: { fresh: boolean }): Promise<Account | null>;
  /** Subscribes the outbox to domain events. */
  subscribe(events: EventDispatcher): void;
}
