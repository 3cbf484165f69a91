// Composition root: builds the database, services and adapters from the Config, once. Tests build the
// same Deps with test parts (a temp data dir, a fake OpenAI server) instead of importing singletons.
import {
  type AtelierFederation,
  createFederation,
  createSharedQueues,
} from "../federation/index.ts";
import { apiRateLimiter, StreamingHub } from "./api/index.ts";
import { announcementStreaming } from "./api/streaming/announcements.ts";
import type { StreamingCaps } from "./api/streaming/slots.ts";
import type { RemoteLookup, RequestWindows } from "./api/types.ts";
import { type Bus, createBus } from "./bus/index.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/client.ts";
import { closeStore, openStore, postgresPool } from "./db/dialect.ts";
import { findAccountById } from "./db/queries/accounts.ts";
import { DatasetExportService } from "./domain/datasets/jobs.ts";
import { EventDispatcher } from "./domain/events.ts";
import { FollowerMoveService } from "./domain/follower-moves.ts";
import { followAccount } from "./domain/follows.ts";
import { BulkImportService } from "./domain/imports/jobs.ts";
import { type LocalUrls, localUrls } from "./domain/local-urls.ts";
import { PollService } from "./domain/poll-endings.ts";
import { PreviewCardWorker } from "./domain/preview-cards/worker.ts";
import { RemoteEmojiCopier } from "./domain/remote-emojis.ts";
import { RemoteMediaWorker } from "./domain/remote-media.ts";
import { ScheduledStatusService } from "./domain/scheduled-statuses.ts";
import { LoginThrottle } from "./domain/sign-in-throttle.ts";
import { SignUpThrottle } from "./domain/sign-up-throttle.ts";
import { SuspensionCleanup } from "./domain/suspension-cleanup.ts";
import { TrendsService } from "./domain/trends/service.ts";
import { AppError } from "./errors.ts";
import {
  fanOutToStreams,
  invalidateActorCaches,
  relayActorChanges,
  relayStreamingEvents,
} from "./fan-out.ts";
import { GenerationService } from "./generation/jobs.ts";
import { LocalProvider } from "./generation/local/index.ts";
import { OpenAIProvider } from "./generation/openai.ts";
import type { ImageProvider } from "./generation/provider.ts";
import { logger } from "./logging.ts";
import { createMailer, type Mailer } from "./mail/mailer.ts";
import {
  fetchRemoteHtml,
  fetchRemoteImage,
  fetchRemoteOembed,
  type RemoteFetchOptions,
} from "./media/remote-fetch.ts";
import { MediaService } from "./media/service.ts";
import { createMediaStore } from "./media/stores.ts";
import {
  WAKE_CHANNEL,
  WebBulkImportService,
  WebDatasetExportService,
  WebEventDispatcher,
  WebGenerationService,
  WebScheduledStatusService,
  WORKER_POLL_MS,
  workerWaker,
} from "./roles.ts";
import { SOFTWARE_VERSION } from "./version.ts";
import {
  fetchRemoteFollowResolver,
  type InteractionServices,
  type WebServices,
} from "./web/index.ts";

export interface Deps {
  readonly config: Config;
  readonly db: Database;
  /** Messages between the processes of this instance (Redis with REDIS_URL, else in-process). */
  readonly bus: Bus;
  readonly urls: LocalUrls;
  /** Dispatches recorded domain events to their subscribers (registered here, in createDeps). */
  readonly events: EventDispatcher;
  /** Media attachments: the sharp pipeline and the file store (DATA_DIR/media or S3, MEDIA_STORE). */
  readonly media: MediaService;
  /** Image generation jobs, run by an in-process worker from start() on. */
  readonly generation: GenerationService;
  /** Scheduled statuses; from start() on, its timer publishes each at its time. */
  readonly scheduledStatuses: ScheduledStatusService;
  /** Votes, and the end-of-poll job; from start() on, its timer closes each poll at its end. */
  readonly polls: PollService;
  /** Trending statuses and tags; from start() on, refreshed every few minutes. */
  readonly trends: TrendsService;
  /** What the web pages call in other capabilities (remote follow lookup, following). */
  readonly web: WebServices;
  /** ActivityPub: dispatchers, inbox, and the outbox subscribed to domain events. */
  readonly federation: AtelierFederation;
  /** Open streaming API connections (SSE, WebSocket), fed from domain events. */
  readonly streaming: StreamingHub;
  /** Failed sign-ins, counted once for the web sign-in and the OAuth authorize form. */
  readonly signInThrottle: LoginThrottle;
  readonly signUpThrottle: SignUpThrottle;
  /** E-mail: SMTP_URL's server, or .eml files in DATA_DIR/mail. */
  readonly mailer: Mailer;
  /** The client API's request windows, shared by its routes and the WebSocket upgrades. */
  readonly rateLimiter: RequestWindows;
  /** Remote lookup for the client API's search and lookup with resolve (federation's). */
  readonly remoteLookup: RemoteLookup;
  /** Measures remote images sent without size or blurhash, in the background. */
  readonly remoteMedia: RemoteMediaWorker;
  /** Link previews of statuses, fetched in the background where work runs. */
  readonly previewCards: PreviewCardWorker;
  /** Copies other servers' custom emoji images into the media store, in the background. */
  readonly remoteEmojis: RemoteEmojiCopier;
  /** Dataset exports started on the admin page, written where work runs. */
  readonly datasetExports: DatasetExportService;
  /** CSV imports (Settings → Import), applied row by row where work runs. */
  readonly imports: BulkImportService;
  /** The local followers of accounts that moved, moved in batches where work runs. */
  readonly followerMoves: FollowerMoveService;
  /**
   * Starts background work (event dispatch left over from a previous run) where config.role runs it
   * (all, worker); a web process starts none.
   */
  start(): Promise<void>;
  /** Releases everything the deps hold (workers, then the database); safe to call twice. */
  close(): Promise<void>;
}

/** The image generator IMAGE_PROVIDER names. */
export function createImageProvider(config: Config): ImageProvider {
  if (config.imageProvider === "openai") {
    return new OpenAIProvider({
      apiKey: config.openai.apiKey,
      baseUrl: config.openai.baseUrl,
      defaultModel: config.generation.openaiModel,
      timeoutMs: config.generation.openaiTimeoutMs,
      visionModel: config.generation.openaiVisionModel,
    });
  }
  return new LocalProvider();
}

export interface CreateDepsOptions {
  /** Replaces the provider IMAGE_PROVIDER names (tests pass one pointed at a fake server). */
  imageProvider?: ImageProvider;
  /** Streaming timings (tests shorten the heartbeat and notification sweep). */
  streaming?: {
    heartbeatMs?: number;
    notificationSweepMs?: number;
    caps?: Partial<StreamingCaps>;
  };
  /** false: remote images are kept exactly as sent, never downloaded (tests of the inbox alone). */
  measureRemoteMedia?: boolean;
  /**
   * How long a linked page may take and how large it may be (tests shorten them), and which hosts
   * may be fetched at all (tests keep to loopback, so that a link in a fixture never reaches out).
   */
  previewCards?: { timeoutMs?: number; maxBytes?: number; allowHost?: (host: string) => boolean };
  /** The clock that decides when a scheduled status is due and a poll has ended (tests move it). */
  now?: () => Date;
}

// A remote file server gets this long for one image, redirects included.
const REMOTE_MEDIA_TIMEOUT_MS = 15_000;
// A linked page gets this long and this many bytes (its <head> is what matters; Mastodon reads 1 MiB).
const CARD_PAGE_TIMEOUT_MS = 10_000;
const CARD_PAGE_MAX_BYTES = 1 << 20;

export async function createDeps(config: Config, options: CreateDepsOptions = {}): Promise<Deps> {
  const db = await openStore(config);
  const pool = postgresPool(db);
  const bus = createBus(config, pool);
  // The one switch of the process roles: a web process records work and wakes the worker; the worker
  // (or the single process of ROLE=all) runs it, each background service in exactly one process.
  const { role } = config;
  const runsWork = role !== "web";
  const servesHttp = role !== "worker";
  const wake = workerWaker(bus);
  const events = runsWork ? new EventDispatcher(db) : new WebEventDispatcher(db, wake);
  const media = new MediaService(db, createMediaStore(config), {
    maxBytes: config.media.maxUploadBytes,
    maxPixels: config.media.maxPixels,
  });
  const generationOptions = {
    db,
    config,
    provider: options.imageProvider ?? createImageProvider(config),
    media,
  };
  const generation = runsWork
    ? new GenerationService(generationOptions)
    : new WebGenerationService(generationOptions, wake);
  const urls = localUrls(config.origin, config.media.publicUrl);
  const scheduledOptions = { db, urls, config, ...(options.now ? { now: options.now } : {}) };
  const scheduledStatuses = runsWork
    ? new ScheduledStatusService(scheduledOptions)
    : new WebScheduledStatusService(scheduledOptions, wake);
  const polls = new PollService({ db, ...(options.now ? { now: options.now } : {}) });
  const trends = new TrendsService({ db, ...(options.now ? { now: options.now } : {}) });
  const suspensionCleanup = new SuspensionCleanup(
    db,
    media.store,
    config.suspendedAccountDeleteDays,
  );
  // Domain-event subscribers. The dispatcher runs in the processes that run work (ROLE=all, or each
  // worker): each event is claimed by one of them under a lease (domain/events.ts), its subscribers
  // run there and it is deleted, so several workers deliver each activity once. What runs once per
  // event: the outbox (deliveries), poll-end timers, remote media downloads, and the publishing on the
  // bus of streaming events and actor changes. What
  // every web process runs, on its own connections and caches: the streaming fan-out and the actor
  // cache invalidation (src/fan-out.ts), fed by those bus messages.
  // A published or edited poll may end before whatever the job sleeps until.
  events
    .on("status.published", "poll endings", async () => await polls.rearm())
    .on("status.edited", "poll endings", async () => await polls.rearm());
  // With REDIS_URL, Fedify's queue and cache live in Redis, under this instance's host, so that several
  // processes (and several instances on one Redis) share them rightly; else, on PostgreSQL, in tables
  // of its own (federation/postgres-*.ts); else in the SQLite file.
  const queueOptions = { leaseMs: config.federationQueueLeaseMs };
  const sharedQueues =
    config.redisUrl !== undefined
      ? await createSharedQueues(
          { redis: config.redisUrl, keyPrefix: `atelier:${config.domain}:` },
          queueOptions,
        )
      : pool !== undefined
        ? await createSharedQueues({ postgres: pool }, queueOptions)
        : undefined;
  const federation = createFederation({ config, db, urls, events }, sharedQueues);
  federation.subscribe(events);
  const streaming = new StreamingHub({ config, db, urls }, options.streaming);
  // Streaming subscribes to what timelines show; it runs after the commit, so rows are there to read.
  relayStreamingEvents(events, bus);
  relayActorChanges(events, bus, db);
  const unsubscribes: (() => void)[] = [];
  if (servesHttp) {
    unsubscribes.push(
      await fanOutToStreams(bus, streaming, announcementStreaming(streaming, db)),
      await invalidateActorCaches(bus, federation.actorCache),
    );
  }
  const remoteMedia = new RemoteMediaWorker({
    db,
    limits: media.limits,
    fetchImage: (url, signal) =>
      fetchRemoteImage(url, {
        maxBytes: config.media.maxUploadBytes,
        timeoutMs: REMOTE_MEDIA_TIMEOUT_MS,
        allowPrivateAddress: config.federationAllowPrivateAddress,
        userAgent: `Atelier/${SOFTWARE_VERSION} (+${config.origin})`,
        signal,
      }),
  });
  const remoteEmojis = new RemoteEmojiCopier({
    db,
    store: media.store,
    maxPixels: media.limits.maxPixels,
    fetchImage: (url, maxBytes, signal) =>
      fetchRemoteImage(url, {
        maxBytes,
        timeoutMs: REMOTE_MEDIA_TIMEOUT_MS,
        allowPrivateAddress: config.federationAllowPrivateAddress,
        userAgent: `Atelier/${SOFTWARE_VERSION} (+${config.origin})`,
        signal,
      }),
  });
  if (options.measureRemoteMedia !== false) {
    // The handlers only queue: downloads must not hold up the other events' subscribers.
    events
      .on("status.received", "remote media", (e) => remoteMedia.enqueue(e.statusId))
      .on("status.remote-updated", "remote media", (e) => remoteMedia.enqueue(e.statusId))
      .on("emojis.discovered", "emoji copies", (e) => remoteEmojis.enqueue(e.emojiIds));
  }
  const cardFetch = (signal: AbortSignal, maxBytes: number): RemoteFetchOptions => ({
    maxBytes,
    timeoutMs: options.previewCards?.timeoutMs ?? CARD_PAGE_TIMEOUT_MS,
    allowPrivateAddress: config.federationAllowPrivateAddress,
    userAgent: `Atelier/${SOFTWARE_VERSION} (+${config.origin})`,
    signal,
  });
  const previewCards = new PreviewCardWorker({
    db,
    localHost: new URL(config.origin).host.toLowerCase(),
    ...(options.previewCards?.allowHost ? { allowHost: options.previewCards.allowHost } : {}),
    store: media.store,
    limits: media.limits,
    fetch: {
      html: (url, signal) =>
        fetchRemoteHtml(
          url,
          cardFetch(signal, options.previewCards?.maxBytes ?? CARD_PAGE_MAX_BYTES),
        ),
      oembed: (url, signal) => fetchRemoteOembed(url, cardFetch(signal, 64 * 1024)),
      image: (url, signal) => fetchRemoteImage(url, cardFetch(signal, config.media.maxUploadBytes)),
    },
  });
  // Only queued here; the worker fetches, so no subscriber after this one waits for a page.
  const queueCard = (e: { statusId: string }) => previewCards.enqueue(e.statusId);
  events
    .on("status.published", "preview cards", queueCard)
    .on("status.edited", "preview cards", queueCard)
    .on("status.received", "preview cards", queueCard)
    .on("status.remote-updated", "preview cards", queueCard);
  const datasetOptions = { db, store: media.store, config };
  const datasetExports = runsWork
    ? new DatasetExportService(datasetOptions)
    : new WebDatasetExportService(datasetOptions, wake);
  // Accounts and statuses an import names are found as the search API finds them (WebFinger first).
  const importOptions = {
    db,
    urls,
    localDomain: config.domain,
    lookup: (query: string) => federation.lookup(query),
  };
  const imports = runsWork
    ? new BulkImportService(importOptions)
    : new WebBulkImportService(importOptions, wake);
  // A move queues its followers' move with `followers.moving`, which is handled where events are
  // dispatched, so this wakes the service of a process that runs work (a web process dispatches none).
  const followerMoves = new FollowerMoveService({ db, urls });
  events.on("followers.moving", "follower moves", () => followerMoves.kick());
  let closed = false;
  let working = false;
  let workerPoll: NodeJS.Timeout | undefined;
  // What a web process recorded is looked for when it wakes this one over the bus, and, without a
  // shared bus, every WORKER_POLL_MS (roles.ts). The channel is heard from here on, before start().
  const look = async () => {
    if (!working || closed) return;
    events.kick();
    await generation.kick();
    await scheduledStatuses.rearm();
    if (options.measureRemoteMedia !== false) remoteMedia.kick();
    previewCards.kick();
    datasetExports.kick();
    imports.kick();
    followerMoves.kick();
  };
  if (runsWork) unsubscribes.push(await bus.subscribe(WAKE_CHANNEL, look));
  const mailer = createMailer(config);
  return {
    config,
    db,
    bus,
    urls,
    events,
    federation,
    media,
    generation,
    scheduledStatuses,
    polls,
    trends,
    web: {
      remoteFollow: fetchRemoteFollowResolver({
        allowPrivateAddress: config.federationAllowPrivateAddress,
      }),
      interactions: federatedInteractions(db, urls, (query) => federation.lookup(query)),
      resolveAccount: (handle, options) => federation.lookupAccount(handle, options),
    },
    streaming,
    rateLimiter: apiRateLimiter(config),
    signInThrottle: new LoginThrottle(),
    signUpThrottle: new SignUpThrottle(),
    mailer,
    remoteLookup: { lookup: (query) => federation.lookup(query) },
    remoteMedia,
    previewCards,
    remoteEmojis,
    datasetExports,
    imports,
    followerMoves,
    async start() {
      if (!runsWork) return;
      working = true;
      if (role === "worker") {
        workerPoll = setInterval(look, WORKER_POLL_MS);
        workerPoll.unref();
      }
      events.kick();
      // Picks up events the CLI recorded while the server runs (an account deletion's Delete).
      events.poll(10_000);
      previewCards.resume();
      datasetExports.kick();
      imports.kick();
      followerMoves.kick();
      if (options.measureRemoteMedia !== false) {
        await remoteMedia.resume();
        await remoteEmojis.resume();
      }
      await generation.start();
      // Publishes what fell due while the server was down, then sleeps until the next one.
      await scheduledStatuses.start();
      // Closes the polls that ended while the server was down, then sleeps until the next end.
      await polls.start();
      // Scores what happened while the server was down, then again every few minutes.
      trends.start();
      // Deletes the accounts suspended past their grace period, then hourly.
      suspensionCleanup.start();
      federation.start().catch((error: unknown) => {
        logger("deps").error("Federation failed to start: {error}", { error });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(workerPoll);
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
      streaming.close();
      scheduledStatuses.close();
      polls.close();
      await trends.close();
      await suspensionCleanup.close();
      await generation.close();
      await remoteMedia.close();
      await previewCards.close();
      await remoteEmojis.close();
      await datasetExports.close();
      await imports.close();
      await followerMoves.close();
      await events.close();
      await federation.close();
      media.store.close?.();
      mailer.close();
      await bus.close();
      await closeStore(db);
    },
  };
}

/**
 * What the pages use to find and follow accounts: federation's lookup (WebFinger and a signed fetch for
 * handles and URLs not stored yet) and the domain's followAccount, whose event the outbox delivers.
 */
function federatedInteractions(
  db: Database,
  urls: LocalUrls,
  lookup: AtelierFederation["lookup"],
): InteractionServices {
  return {
    async resolve(uri) {
      const found = await lookup(uri);
      if (found === null) return null;
      return "account" in found
        ? { type: "account", accountId: found.account.id }
        : { type: "status", statusId: found.status.id };
    },
    async followAccount(followerId, targetId) {
      const follower = await findAccountById(db, followerId, { includeSuspended: true });
      const target = await findAccountById(db, targetId, { includeSuspended: true });
      if (follower === undefined || target === undefined) {
        throw new AppError("not_found", "There is no such account.");
      }
      await followAccount(db, urls, follower, target);
    },
  };
}
