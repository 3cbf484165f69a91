// createFederation(deps): Fedify with a durable KvStore and MessageQueue (in the main SQLite database, or
// shared by several processes on PostgreSQL or Redis when given, see shared-queues.ts), and the
// dispatchers, inbox and NodeInfo of this instance registered explicitly (nothing registers on import).
import { createFederation as createFedifyFederation } from "@fedify/fedify";
import { isPostgres } from "../src/db/dialect.ts";
import { removeFollowersByInbox } from "../src/domain/follows.ts";
import { logger } from "../src/logging.ts";
import { withOutgoingGuard } from "../src/media/outgoing-guard.ts";
import { ActorResponseCache } from "./actor-cache.ts";
import { registerActors } from "./actors.ts";
import { CollectionResponseCache } from "./collection-cache.ts";
import { registerCollections } from "./collections.ts";
import type { AtelierFederation, FederationDeps } from "./context.ts";
import { registerFeaturedCollections } from "./featured.ts";
import { HostStateKvStore, hostStatePrefixes } from "./host-state-kv.ts";
import { registerInbox } from "./inbox/index.ts";
import { ensureInstanceActor } from "./keys.ts";
import { SqliteKvStore } from "./kv.ts";
import { lookupAccount, lookupRemote } from "./lookup.ts";
import { registerNodeInfo } from "./nodeinfo.ts";
import { ObjectResponseCache } from "./object-cache.ts";
import { registerObjects } from "./objects.ts";
import { subscribeOutbox } from "./outbox/index.ts";
import { OutboxMessageQueue } from "./outbox-queue.ts";
import { SqliteMessageQueue } from "./queue.ts";
import { moveSqliteQueue } from "./queue-move.ts";
import type { SharedQueues } from "./shared-queues.ts";

export type { AtelierFederation, FederationDeps } from "./context.ts";
export { federationMiddleware, type SyncMiddleware } from "./middleware.ts";

const log = logger("federation");

export { createSharedQueues, type SharedQueues } from "./shared-queues.ts";

export function createFederation(deps: FederationDeps, shared?: SharedQueues): AtelierFederation {
  const queue = shared?.queue ?? new SqliteMessageQueue(deps.db);
  // Most of the fediverse (Mastodon, Pixelfed, Misskey, GoToSocial) verifies draft-cavage signatures;
  // knocking with RFC 9421 first costs every new server a refused request and a second one.
  const firstKnock = "draft-cavage-http-signatures-12";
  const federation = createFedifyFederation<FederationDeps>({
    kv: new HostStateKvStore(shared?.kv ?? new SqliteKvStore(deps.db), {
      prefixes: hostStatePrefixes(firstKnock),
    }),
    queue: new OutboxMessageQueue(queue),
    manuallyStartQueue: true,
    origin: deps.config.origin,
    // SSRF protection stays on unless the operator runs several instances on one machine (tests).
    allowPrivateAddress: deps.config.federationAllowPrivateAddress,
    // 410 Gone means the inbox will never come back; its followers are removed (below).
    permanentFailureStatusCodes: [410],
    firstKnock,
  });
  registerActors(federation);
  registerObjects(federation);
  registerCollections(federation);
  registerFeaturedCollections(federation);
  registerNodeInfo(federation);
  registerInbox(federation);
  federation.setOutboxPermanentFailureHandler(async (_ctx, { inbox, statusCode }) => {
    const removed = await removeFollowersByInbox(deps.db, inbox.href);
    log.info("Inbox {inbox} answered {statusCode}; removed {removed} followers.", {
      inbox: inbox.href,
      statusCode,
      removed,
    });
  });

  const abort = new AbortController();
  let starting: Promise<void> | undefined;
  return {
    federation,
    deps,
    actorCache: new ActorResponseCache(deps.db, deps.config.origin),
    objectCache: new ObjectResponseCache(deps.db),
    collectionCache: new CollectionResponseCache(deps.db, deps.config.origin),
    queue,
    start() {
      starting ??= (async () => {
        // Without the queue nothing is delivered or received, so a failure (a locked database at
        // start-up, say) is retried with a growing pause instead of leaving federation off until a
        // restart.
        for (let attempt = 0; !abort.signal.aborted; attempt++) {
          try {
            if (shared !== undefined) {
              await shared.initialize();
              // On PostgreSQL there is no SQLite queue to empty.
              const moved = isPostgres(deps.db) ? 0 : await moveSqliteQueue(deps.db, shared.queue);
              if (moved > 0) {
                log.info("Moved {moved} queued messages from SQLite to {backend}.", {
                  moved,
                  backend: shared.backend,
                });
              }
            }
            await ensureInstanceActor(deps.db, deps.urls);
            if (abort.signal.aborted) return;
            // Deliveries and received activities are worked on from here: everything they fetch (inboxes,
            // actors, keys, objects) refuses private addresses, on the address actually connected to.
            await withOutgoingGuard(deps.config.federationAllowPrivateAddress, () =>
              federation.startQueue(deps, { signal: abort.signal }),
            );
            return;
          } catch (error) {
            if (abort.signal.aborted) return;
            const delay = Math.min(30_000, 500 * 2 ** attempt);
            log.error("Federation queue stopped: {error}; restarting in {delay} ms.", {
              error,
              delay,
            });
            await new Promise((resolve) => {
              const timer = setTimeout(resolve, delay);
              abort.signal.addEventListener("abort", () => {
                clearTimeout(timer);
                resolve(undefined);
              });
            });
          }
        }
      })();
      return Promise.resolve();
    },
    async close() {
      abort.abort();
      // Whatever start() is doing (making the instance actor, a delivery) finishes before the database
      // closes under it.
      await starting;
      await shared?.close();
    },
    lookup(query) {
      return withOutgoingGuard(deps.config.federationAllowPrivateAddress, () =>
        lookupRemote(federation.createContext(new URL(deps.config.origin), deps), query),
      );
    },
    lookupAccount(handle, options) {
      return withOutgoingGuard(deps.config.federationAllowPrivateAddress, () =>
        lookupAccount(federation.createContext(new URL(deps.config.origin), deps), handle, options),
      );
    },
    subscribe(events) {
      subscribeOutbox(events, federation, deps);
    },
  };
}
