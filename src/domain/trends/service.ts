// The trends job: every REFRESH_MS (Mastodon's scheduler refreshes its trends every five minutes) the
// statuses, tags and links are scored again from what happened since the previous refresh. It runs where
// background work runs (ROLE=all or worker); several workers refreshing at once only write the same
// scores twice, so no claim is needed. Tests call refresh() with a clock of their own.
import type { Database } from "../../db/client.ts";
import { isOpen } from "../../db/dialect.ts";
import { logger } from "../../logging.ts";
import { type LinkRefresh, refreshLinkTrends } from "./links.ts";
import { refreshStatusTrends, type StatusRefresh } from "./statuses.ts";
import { refreshTagTrends, type TagRefresh } from "./tags.ts";

const log = logger("domain", "trends");

export const REFRESH_MS = 5 * 60_000;

export interface TrendsServiceDeps {
  db: Database;
  now?: () => Date;
  refreshMs?: number;
}

export interface TrendsRefresh {
  statuses: StatusRefresh;
  tags: TagRefresh;
  links: LinkRefresh;
}

export class TrendsService {
  readonly #db: Database;
  readonly #now: () => Date;
  readonly #refreshMs: number;
  #timer: NodeJS.Timeout | undefined;
  // One refresh at a time in this process: a tick during a long one is skipped, and a refresh asked
  // for meanwhile (a test's, an admin's) waits for it, so two never interleave their writes.
  #running: Promise<unknown> | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(deps: TrendsServiceDeps) {
    this.#db = deps.db;
    this.#now = deps.now ?? (() => new Date());
    this.#refreshMs = deps.refreshMs ?? REFRESH_MS;
  }

  /** Scores statuses and tags as of `now` (default: the service's clock). */
  refresh(now?: Date): Promise<TrendsRefresh> {
    const run = this.#queue.then(() => this.#refreshNow(now ?? this.#now()));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #refreshNow(now: Date): Promise<TrendsRefresh> {
    const statuses = await refreshStatusTrends(this.#db, now);
    const tags = await refreshTagTrends(this.#db, now);
    const links = await refreshLinkTrends(this.#db, now);
    log.debug("Trends refreshed: {statuses} statuses, {tags} tags, {links} links trending.", {
      statuses: statuses.trending,
      tags: tags.trending,
      links: links.trending,
    });
    return { statuses, tags, links };
  }

  /** Refreshes once now, then every refreshMs until close(). */
  start(): void {
    if (this.#timer !== undefined) return;
    const tick = () => {
      if (this.#running !== undefined || !isOpen(this.#db)) return;
      this.#running = this.refresh()
        .catch((error: unknown) => log.error("Trends refresh failed: {error}", { error }))
        .finally(() => {
          this.#running = undefined;
        });
    };
    this.#timer = setInterval(tick, this.#refreshMs);
    this.#timer.unref();
    tick();
  }

  /** Stops the timer and waits for a refresh under way. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
