// The streaming API's live side: the open connections (SSE or WebSocket) and what each subscribed to,
// fed from domain events (subscribed in deps.ts). Each status is checked and serialized per viewer with
// the one visibility rule (canSeeInTimeline, db/queries/visibility.ts), so a connection receives only
// what that viewer's timelines would show: nothing hidden, blocked either way or muted, nothing their
// `hide` filters remove (and `filtered` on what their other filters match).
import { and, asc, eq, gt } from "drizzle-orm";
import type { Config } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { isOpen } from "../../db/dialect.ts";
import { newId } from "../../db/ids.ts";
import { conversationsWithStatus } from "../../db/queries/conversations.ts";
import { inListTimeline } from "../../db/queries/list-timeline.ts";
import { notInExclusiveList } from "../../db/queries/lists.ts";
import { shownNotifications } from "../../db/queries/notifications.ts";
import { authorNotLimitedFor, canSeeInTimeline } from "../../db/queries/visibility.ts";
import {
  follows,
  listAccounts,
  lists,
  notifications,
  type Status,
  statuses,
  statusTags,
} from "../../db/schema/index.ts";
import type { EventOf } from "../../domain/events.ts";
import type { LocalUrls } from "../../domain/local-urls.ts";
import { scopeGrants } from "../../domain/scopes.ts";
import { logger } from "../../logging.ts";
import { renderConversations, renderNotifications, renderStatuses } from "../render.ts";
import type { StreamConnection, StreamingRegistry, StreamName, Subscription } from "../types.ts";
import { type StreamingCaps, StreamingSlots } from "./slots.ts";

const log = logger("api", "streaming");

const STREAM_NAMES: readonly StreamName[] = [
  "user",
  "user:notification",
  "public",
  "public:local",
  "public:remote",
  "hashtag",
  "hashtag:local",
  "list",
  "direct",
];

export interface StreamingHubDeps {
  readonly config: Config;
  readonly db: Database;
  readonly urls: LocalUrls;
}

/** Mastodon's `stream` array for a subscription: ["hashtag", "Tag"] for tags, else [name]. */
export const streamLabel = (s: Subscription): string[] =>
  s.list !== undefined ? [s.stream, s.list] : s.tag === undefined ? [s.stream] : [s.stream, s.tag];

/** Whether `scopes` may read a stream (user and list streams need a signed-in user). */
export function canSubscribe(
  viewerId: string | null,
  scopes: readonly string[],
  stream: StreamName,
): boolean {
  // Mastodon's streaming server asks read:statuses for a list stream too, then the list's owner.
  if (stream === "user" || stream === "list" || stream === "direct") {
    return viewerId !== null && scopeGrants(scopes, "read:statuses");
  }
  if (stream === "user:notification") {
    return viewerId !== null && scopeGrants(scopes, "read:notifications");
  }
  return scopes.length === 0 || scopeGrants(scopes, "read:statuses");
}

export class StreamingHub implements StreamingRegistry {
  readonly #deps: StreamingHubDeps;
  readonly #connections = new Set<StreamConnection>();
  /** The newest notification already streamed; newer ones go out on the next sweep. */
  #notificationMark = newId();
  #sweepTimer: NodeJS.Timeout | undefined;
  /** How often an idle SSE connection gets a `:thump` comment. */
  readonly heartbeatMs: number;

  readonly #slots: StreamingSlots;

  constructor(
    deps: StreamingHubDeps,
    options: {
      notificationSweepMs?: number;
      heartbeatMs?: number;
      caps?: Partial<StreamingCaps>;
    } = {},
  ) {
    this.#deps = deps;
    this.#slots = new StreamingSlots(options.caps);
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    // Notifications are written by several services; besides the events that create them, a light sweep
    // (one indexed query, only while someone listens) catches any path that records no event.
    const every = options.notificationSweepMs ?? 5000;
    this.#sweepTimer = setInterval(() => {
      if (this.#connections.size === 0) return;
      this.pushNotifications().catch((error: unknown) => {
        log.warning("Notification sweep failed: {error}", { error });
      });
    }, every);
    this.#sweepTimer.unref();
  }

  get size(): number {
    return this.#connections.size;
  }

  reserve(tokenId: string | null, address: string): (() => void) | undefined {
    return this.#slots.reserve(tokenId, address);
  }

  add(connection: StreamConnection): void {
    this.#connections.add(connection);
  }

  remove(connection: StreamConnection): void {
    this.#connections.delete(connection);
  }

  /** Ends every connection (server shutdown). */
  close(): void {
    clearInterval(this.#sweepTimer);
    for (const c of this.#connections) c.close();
    this.#connections.clear();
  }

  /** A new (`update`) or edited (`status.update`) status, to every connection that may see it. */
  async status(statusId: string, event: "update" | "status.update"): Promise<void> {
    if (this.#connections.size === 0) return;
    const { db } = this.#deps;
    const row = (await db.select().from(statuses).where(eq(statuses.id, statusId)).limit(1))[0];
    if (row === undefined) return;
    const tagNames = (
      await db
        .select({ name: statusTags.tagName })
        .from(statusTags)
        .where(eq(statusTags.statusId, statusId))
    ).map((t) => t.name.toLowerCase());
    const isPublic = row.visibility === "public" && row.reblogOfId === null;
    const cache = new Map<string, string | null>();
    // Only the user stream asks home's visibility (followed or own); the user and list streams filter in
    // home's context, the others in public's.
    const payloadFor = async (
      viewer: string | null,
      stream: StreamName,
    ): Promise<string | null> => {
      const home = stream === "user";
      const context = home || stream === "list" ? "home" : "public";
      const key = `${home ? "home" : "any"} ${context} ${viewer ?? ""}`;
      if (!cache.has(key)) {
        const shown = await canSeeInTimeline(db, statusId, viewer, {
          home,
          // Public streams leave out a limited (silenced) author for non-followers, as public timelines do.
          also:
            home && viewer !== null
              ? [notInExclusiveList(viewer)]
              : context === "public"
                ? [authorNotLimitedFor(viewer)]
                : [],
        });
        const rendered = shown
          ? (await renderStatuses(this.#deps, [row], viewer, context))[0]
          : undefined;
        cache.set(key, rendered ? JSON.stringify(rendered) : null);
      }
      return cache.get(key) ?? null;
    };
    for (const conn of this.#connections) {
      for (const sub of conn.subscriptions) {
        let matches = false;
        if (sub.stream === "user") matches = conn.viewerId !== null;
        else if (sub.stream === "public") matches = isPublic;
        else if (sub.stream === "public:local") matches = isPublic && row.local;
        else if (sub.stream === "public:remote") matches = isPublic && !row.local;
        else if (sub.stream === "hashtag") matches = isPublic && tagNames.includes(sub.tag ?? "");
        else if (sub.stream === "hashtag:local")
          matches = isPublic && row.local && tagNames.includes(sub.tag ?? "");
        else if (sub.stream === "list") matches = await this.#inList(conn.viewerId, sub.list, row);
        if (!matches) continue;
        const payload = await payloadFor(conn.viewerId, sub.stream);
        if (payload !== null) conn.send(streamLabel(sub), event, payload);
      }
    }
  }

  /** A direct status: each participant's updated conversation, to their `direct` streams. */
  async conversation(statusId: string): Promise<void> {
    if (this.#connections.size === 0) return;
    for (const row of await conversationsWithStatus(this.#deps.db, statusId)) {
      const owner = row.conversation.accountId;
      let payload: string | undefined;
      for (const conn of this.#connections) {
        if (conn.viewerId !== owner) continue;
        for (const sub of conn.subscriptions) {
          if (sub.stream !== "direct") continue;
          payload ??= JSON.stringify((await renderConversations(this.#deps, [row], owner))[0]);
          conn.send(streamLabel(sub), "conversation", payload);
        }
      }
    }
  }

  async #inList(
    viewerId: string | null,
    listId: string | undefined,
    row: Status,
  ): Promise<boolean> {
    if (viewerId === null || listId === undefined) return false;
    const { db } = this.#deps;
    const list = (
      await db
        .select({ id: lists.id, repliesPolicy: lists.repliesPolicy })
        .from(lists)
        .where(and(eq(lists.id, listId), eq(lists.accountId, viewerId)))
        .limit(1)
    )[0];
    return list !== undefined && (await inListTimeline(db, viewerId, list, row.id));
  }

  /** Whether the account is on the viewer's list (a deleted status's id then goes to that stream). */
  async #memberOf(
    viewerId: string | null,
    listId: string | undefined,
    accountId: string,
  ): Promise<boolean> {
    if (viewerId === null || listId === undefined) return false;
    return (
      (
        await this.#deps.db
          .select({ id: listAccounts.id })
          .from(listAccounts)
          .innerJoin(lists, eq(lists.id, listAccounts.listId))
          .where(
            and(
              eq(listAccounts.listId, listId),
              eq(lists.accountId, viewerId),
              eq(listAccounts.accountId, accountId),
            ),
          )
          .limit(1)
      )[0] !== undefined
    );
  }

  /** A deleted status: its id, to the connections that could have shown it. */
  async deleted(event: EventOf<"status.deleted">): Promise<void> {
    if (this.#connections.size === 0) return;
    const { db } = this.#deps;
    const followerIds = new Set(
      (
        await db
          .select({ id: follows.accountId })
          .from(follows)
          .where(and(eq(follows.targetAccountId, event.accountId), eq(follows.state, "accepted")))
      ).map((f) => f.id),
    );
    const mentioned = new Set(event.mentionedAccountIds);
    for (const conn of this.#connections) {
      for (const sub of conn.subscriptions) {
        const v = conn.viewerId;
        const home =
          v !== null &&
          (v === event.accountId ||
            (event.visibility !== "direct" && followerIds.has(v)) ||
            mentioned.has(v));
        const matches =
          sub.stream === "user"
            ? home
            : sub.stream === "list"
              ? event.visibility !== "direct" &&
                (await this.#memberOf(v, sub.list, event.accountId))
              : sub.stream === "direct"
                ? event.visibility === "direct" && home
                : sub.stream !== "user:notification" && event.visibility === "public";
        if (matches) conn.send(streamLabel(sub), "delete", event.statusId);
      }
    }
  }

  /**
   * An event for every signed-in user's `user` stream, its payload made per viewer (null: not for that
   * viewer). Announcements go out this way.
   */
  async toUserStreams(
    event: string,
    payloadFor: (viewerId: string) => Promise<string | null> | string | null,
  ): Promise<void> {
    const payloads = new Map<string, string | null>();
    for (const conn of [...this.#connections]) {
      const viewer = conn.viewerId;
      if (viewer === null) continue;
      if (!payloads.has(viewer)) payloads.set(viewer, await payloadFor(viewer));
      const payload = payloads.get(viewer);
      if (payload == null) continue;
      for (const sub of conn.subscriptions) {
        if (sub.stream === "user") conn.send(streamLabel(sub), event, payload);
      }
    }
  }

  /** Sends notifications newer than the last ones sent to their recipients' user streams. */
  async pushNotifications(): Promise<void> {
    const { db } = this.#deps;
    if (this.#connections.size === 0 || !isOpen(db)) return;
    const listening = new Set<string>();
    for (const c of this.#connections) if (c.viewerId !== null) listening.add(c.viewerId);
    const rows = await db
      .select()
      .from(notifications)
      .where(gt(notifications.id, this.#notificationMark))
      .orderBy(asc(notifications.id))
      .limit(200);
    if (rows.length === 0) return;
    this.#notificationMark = rows[rows.length - 1]!.id;
    const mine = rows.filter((n) => listening.has(n.accountId));
    if (mine.length === 0) return;
    for (const viewer of new Set(mine.map((n) => n.accountId))) {
      // The same rules as GET /api/v1/notifications: nothing from accounts the viewer blocked or muted
      // (with notifications), nothing about a status the viewer may not see.
      const ids = mine.filter((n) => n.accountId === viewer).map((n) => n.id);
      const own = await shownNotifications(db, viewer, ids);
      for (const entity of await renderNotifications(this.#deps, own, viewer)) {
        const payload = JSON.stringify(entity);
        for (const conn of this.#connections) {
          if (conn.viewerId !== viewer) continue;
          for (const sub of conn.subscriptions) {
            if (sub.stream === "user" || sub.stream === "user:notification") {
              if (scopeGrants(conn.scopes, "read:notifications")) {
                conn.send(streamLabel(sub), "notification", payload);
              }
            }
          }
        }
      }
    }
    log.debug("Streamed {count} notification(s).", { count: mine.length });
  }
}

/**
 * Whether the viewer may read this subscription's list: only the list's owner may (any other stream:
 * true). Asked once, when subscribing; a list deleted later simply matches nothing.
 */
export async function ownsStreamList(
  db: Database,
  viewerId: string | null,
  sub: Subscription,
): Promise<boolean> {
  if (sub.stream !== "list") return true;
  if (viewerId === null || sub.list === undefined) return false;
  return (
    (
      await db
        .select({ id: lists.id })
        .from(lists)
        .where(and(eq(lists.id, sub.list), eq(lists.accountId, viewerId)))
        .limit(1)
    )[0] !== undefined
  );
}

// Exported for the SSE and WebSocket transports, which both parse subscriptions the same way.
export function parseSubscription(
  stream: string,
  tag: string | undefined,
  list?: string | undefined,
): Subscription | string {
  if (!(STREAM_NAMES as readonly string[]).includes(stream))
    return `Unknown stream type: ${stream}`;
  const name = stream as StreamName;
  if (name === "list") {
    const id = (list ?? "").trim();
    if (!/^\d{1,30}$/.test(id)) return "Missing list name parameter";
    return { stream: name, list: id };
  }
  if (name === "hashtag" || name === "hashtag:local") {
    const t = (tag ?? "").replace(/^#/, "").trim().toLowerCase();
    if (t === "" || t.length > 100) return "No tag for hashtag stream";
    return { stream: name, tag: t };
  }
  return { stream: name };
}
