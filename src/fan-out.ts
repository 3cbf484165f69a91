// What every process with HTTP must see of the domain events that are dispatched once: the streaming
// events for the connections it holds, and which local actors changed (for its actor and WebFinger
// cache). The one dispatching process publishes them on the bus; every process (itself included)
// subscribes and applies them to what it holds. With the in-process bus this is a direct call.
import type { StreamingHub } from "./api/index.ts";
import type { announcementStreaming } from "./api/streaming/announcements.ts";
import type { Bus } from "./bus/index.ts";
import type { Database } from "./db/client.ts";
import { findAccountById } from "./db/queries/accounts.ts";
import type { EventDispatcher, EventOf } from "./domain/events.ts";
import { logger } from "./logging.ts";

const log = logger("fan-out");

export const STREAMING_CHANNEL = "streaming";
export const ACTORS_CHANNEL = "actors.changed";

/** One call on the streaming hub, as data (the hub's arguments, never a rendered entity). */
export type StreamingMessage =
  | { kind: "status"; statusId: string; event: "update" | "status.update" }
  | { kind: "conversation"; statusId: string }
  | { kind: "deleted"; event: EventOf<"status.deleted"> }
  | { kind: "announcement.published"; announcementId: string }
  | { kind: "announcement.reaction"; announcementId: string; name: string }
  | { kind: "announcement.deleted"; announcementId: string }
  | { kind: "filters_changed"; accountId: string }
  | { kind: "notifications" };

// Streaming is best effort (a client that missed an event reloads its timeline), so a bus that is down
// must not fail the event, whose retry would run its deliveries again.
function send(bus: Bus, channel: string, payload: unknown): void {
  bus.publish(channel, payload).catch((error: unknown) => {
    log.warning("Could not publish on {channel}: {error}", { channel, error });
  });
}

/** Subscribes, in the dispatching process, the publishing of what open streams show. */
export function relayStreamingEvents(events: EventDispatcher, bus: Bus): void {
  const out = (message: StreamingMessage) => send(bus, STREAMING_CHANNEL, message);
  events
    .on("status.published", "streaming", (e) =>
      out({ kind: "status", statusId: e.statusId, event: "update" }),
    )
    .on("status.received", "streaming", (e) =>
      out({ kind: "status", statusId: e.statusId, event: "update" }),
    )
    .on("reblog.created", "streaming", (e) =>
      out({ kind: "status", statusId: e.statusId, event: "update" }),
    )
    .on("status.edited", "streaming", (e) =>
      out({ kind: "status", statusId: e.statusId, event: "status.update" }),
    )
    .on("status.remote-updated", "streaming", (e) =>
      out({ kind: "status", statusId: e.statusId, event: "status.update" }),
    )
    .on("status.deleted", "streaming", (e) => out({ kind: "deleted", event: e }))
    .on("status.published", "streaming direct", (e) =>
      out({ kind: "conversation", statusId: e.statusId }),
    )
    .on("status.received", "streaming direct", (e) =>
      out({ kind: "conversation", statusId: e.statusId }),
    )
    .on("announcement.published", "streaming", (e) =>
      out({ kind: "announcement.published", announcementId: e.announcementId }),
    )
    .on("announcement.reaction", "streaming", (e) =>
      out({ kind: "announcement.reaction", announcementId: e.announcementId, name: e.name }),
    )
    .on("announcement.deleted", "streaming", (e) =>
      out({ kind: "announcement.deleted", announcementId: e.announcementId }),
    )
    .on("filters.changed", "streaming", (e) =>
      out({ kind: "filters_changed", accountId: e.accountId }),
    );
  for (const type of [
    "status.published",
    "status.received",
    // An edit notifies the accounts it newly mentions.
    "status.edited",
    "status.remote-updated",
    "favourite.created",
    "reaction.created",
    "reblog.created",
    "follow.requested",
    "follow.accepted",
    "poll.ended",
  ] as const) {
    events.on(type, "streaming notifications", () => out({ kind: "notifications" }));
  }
}

/** Applies streaming messages to this process's open connections; resolves once subscribed. */
export function fanOutToStreams(
  bus: Bus,
  streaming: StreamingHub,
  announced: ReturnType<typeof announcementStreaming>,
): Promise<() => void> {
  // The hub reads the rows after the commit, so each process renders for its own viewers.
  const apply = async (payload: unknown) => {
    const m = payload as StreamingMessage;
    switch (m.kind) {
      case "status":
        return await streaming.status(m.statusId, m.event);
      case "conversation":
        return await streaming.conversation(m.statusId);
      case "deleted":
        return await streaming.deleted(m.event);
      case "announcement.published":
        return await announced.published(m.announcementId);
      case "announcement.reaction":
        return await announced.reaction(m.announcementId, m.name);
      case "announcement.deleted":
        return await announced.deleted(m.announcementId);
      // Mastodon's filters_changed: no payload; clients fetch the filters again.
      case "filters_changed":
        return await streaming.toUserStreams("filters_changed", (viewer) =>
          viewer === m.accountId ? "" : null,
        );
      case "notifications":
        return await streaming.pushNotifications();
    }
  };
  // The bus does not wait for its subscribers: a failure is logged here, not left unhandled.
  return bus.subscribe(STREAMING_CHANNEL, (payload) => {
    apply(payload).catch((error: unknown) => {
      log.warning("Could not apply a streaming message: {error}", { error });
    });
  });
}

/** Subscribes, in the dispatching process, the news that a local actor changed. */
export function relayActorChanges(events: EventDispatcher, bus: Bus, db: Database): void {
  events
    .on("account.updated", "actor caches", async (e) => {
      const account = await findAccountById(db, e.accountId, { includeSuspended: true });
      // Only local actors are cached; a remote one sharing the username must not evict ours.
      if (account !== undefined && account.domain === null) {
        send(bus, ACTORS_CHANNEL, { username: account.username });
      }
    })
    .on("account.deleted", "actor caches", (e) => {
      if (e.local !== undefined) send(bus, ACTORS_CHANNEL, { username: e.local.username });
    });
}

/** Drops this process's cached answers about an actor another process changed. */
export function invalidateActorCaches(
  bus: Bus,
  cache: { invalidate(username: string): void },
): Promise<() => void> {
  return bus.subscribe(ACTORS_CHANNEL, (payload) => {
    const { username } = payload as { username?: unknown };
    if (typeof username === "string") cache.invalidate(username);
  });
}
