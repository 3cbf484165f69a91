// Moving the local followers of an account that moved (Mastodon's MoveWorker), as a background job: the
// move's transaction queues a follower_moves row (queueFollowerMove) and records `followers.moving`,
// whose subscriber wakes this service where work runs (ROLE=all, or the worker). The service claims the
// move under a lease (db/claims.ts) and takes the followers in batches ordered by account id; after
// each batch it saves the last id handled and the counts, so the settings page shows "N of M" from any
// process, and a worker that dies mid-move leaves it to the next once the lease runs out, which goes on
// after the last saved batch. Redoing part of a batch is harmless: following an account one follows
// already changes nothing, and a follower already moved no longer follows the old account.
// Only local followers are ours to move: remote ones are moved by their own servers on the Move.
import { and, asc, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { findAccountById } from "../db/queries/accounts.ts";
import {
  type Account,
  accounts,
  type FollowerMove,
  followerMoves,
  follows,
} from "../db/schema/index.ts";
import { logger } from "../logging.ts";
import { AcrossBlockError } from "./block-policy.ts";
import { recordEvent } from "./events.ts";
import { findFollow, followAccount, setFollowOptions, unfollowAccount } from "./follows.ts";
import type { LocalUrls } from "./local-urls.ts";
import { type HeldJob, SerialJobs } from "./serial-jobs.ts";

// The row the settings page shows, named here so the pages need not import the schema.
export type { FollowerMove };

const log = logger("domain", "follower-moves");
const MAX_ATTEMPTS = 5;
const DEFAULT_BATCH = 100;

/** The local followers (accepted follows) of `accountId`: the ones a move of it moves. */
function localFollowersOf(accountId: string) {
  return and(
    eq(follows.targetAccountId, accountId),
    eq(follows.state, "accepted"),
    isNull(accounts.domain),
  );
}

/**
 * Queues the move of `from`'s local followers to `to`, in the caller's transaction (the one that sets
 * movedTo), so the move is never lost between the commit and the worker.
 */
export async function queueFollowerMove(
  tx: DatabaseLike,
  from: Account,
  to: Account,
): Promise<void> {
  const [counted] = await tx
    .select({ n: sql<number>`count(*)` })
    .from(follows)
    .innerJoin(accounts, eq(accounts.id, follows.accountId))
    .where(localFollowersOf(from.id));
  const id = newId();
  await tx.insert(followerMoves).values({
    id,
    accountId: from.id,
    targetAccountId: to.id,
    totalItems: Number(counted?.n ?? 0),
  });
  await recordEvent(tx, { type: "followers.moving", moveId: id });
}

/** The account's latest follower move (the settings page's progress), if it ever moved. */
export async function latestFollowerMove(
  db: Database,
  accountId: string,
): Promise<FollowerMove | undefined> {
  return (
    await db
      .select()
      .from(followerMoves)
      .where(eq(followerMoves.accountId, accountId))
      .orderBy(desc(followerMoves.id))
      .limit(1)
  )[0];
}

/**
 * Moves one local follower of `from` to `to`: it follows the new account (a Follow goes out when that is
 * remote), then stops following the old one. A follower the new account blocks (or who blocks it) keeps
 * following the old one, as Mastodon leaves a failed re-follow. True when the follower moved.
 */
async function moveFollower(
  db: Database,
  urls: LocalUrls,
  follower: Account,
  from: Account,
  to: Account,
): Promise<boolean> {
  if (follower.id === to.id) return false;
  // The new follow keeps the old one's choices (boosts shown, a notice per post), as Mastodon's move does.
  const old = await findFollow(db, follower.id, from.id);
  try {
    const made = await followAccount(db, urls, follower, to);
    if (old !== undefined) {
      await setFollowOptions(db, made, { showReblogs: old.showReblogs, notify: old.notify });
    }
  } catch (error) {
    if (!(error instanceof AcrossBlockError)) throw error;
    log.info("Not moving {follower}'s follow to {to}: a block stands between them.", {
      follower: follower.id,
      to: to.id,
    });
    return false;
  }
  await unfollowAccount(db, follower, from);
  return true;
}

export interface FollowerMoveDeps {
  db: Database;
  urls: LocalUrls;
  leaseMs?: number;
  /** Followers taken per batch (and per saved step of progress). */
  batchSize?: number;
}

/** Runs queued follower moves, one at a time per process. */
export class FollowerMoveService {
  readonly #deps: FollowerMoveDeps;
  readonly #batch: number;
  readonly #jobs: SerialJobs<FollowerMove>;

  constructor(deps: FollowerMoveDeps) {
    this.#deps = deps;
    this.#batch = deps.batchSize ?? DEFAULT_BATCH;
    this.#jobs = new SerialJobs<FollowerMove>({
      db: deps.db,
      table: followerMoves,
      what: "follower moves",
      maxAttempts: MAX_ATTEMPTS,
      interrupted: { errorMessage: "The move was interrupted too often." },
      run: (job, held) => this.#run(job, held),
      ...(deps.leaseMs === undefined ? {} : { leaseMs: deps.leaseMs }),
    });
  }

  /** This process's name in the rows it claims. */
  get claimant(): string {
    return this.#jobs.claimant;
  }

  /** Runs waiting moves (one claiming loop at a time). */
  kick(): void {
    this.#jobs.kick();
  }

  /** Resolves once this process runs no move (tests). */
  idle(): Promise<void> {
    return this.#jobs.idle();
  }

  /** Stops claiming; the batch under way finishes first, the rest wait for the next start. */
  async close(): Promise<void> {
    await this.#jobs.close();
  }

  async #run(job: FollowerMove, held: HeldJob<FollowerMove>): Promise<void> {
    const { db, urls } = this.#deps;
    // `held.open` is read anew before each batch (a getter: not destructured).
    const { mine, settle } = held;
    const from = await findAccountById(db, job.accountId, { includeSuspended: true });
    const to = await findAccountById(db, job.targetAccountId, { includeSuspended: true });
    if (from === undefined || to === undefined) {
      await settle({ state: "failed", errorMessage: "One of the two accounts is gone." });
      return;
    }
    let cursor = job.cursor;
    try {
      for (;;) {
        if (!held.open) return;
        const batch = await db
          .select({ accountId: follows.accountId })
          .from(follows)
          .innerJoin(accounts, eq(accounts.id, follows.accountId))
          .where(
            and(
              localFollowersOf(from.id),
              cursor === null ? undefined : gt(follows.accountId, cursor),
            ),
          )
          .orderBy(asc(follows.accountId))
          .limit(this.#batch);
        if (batch.length === 0) break;
        let moved = 0;
        for (const { accountId } of batch) {
          const follower = await findAccountById(db, accountId);
          if (follower !== undefined && (await moveFollower(db, urls, follower, from, to))) moved++;
        }
        cursor = batch[batch.length - 1]?.accountId ?? cursor;
        const saved = await db
          .update(followerMoves)
          .set({
            cursor,
            processedItems: sql`${followerMoves.processedItems} + ${batch.length}`,
            movedItems: sql`${followerMoves.movedItems} + ${moved}`,
          })
          .where(mine)
          .returning({ id: followerMoves.id });
        // Another worker took the move over (this one stalled past its lease): it goes on from there.
        if (saved.length === 0) return;
      }
      await settle({ state: "finished" });
    } catch (error) {
      log.error("Follower move {id} failed: {error}", { id: job.id, error });
      await settle({
        state: "failed",
        errorMessage: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
