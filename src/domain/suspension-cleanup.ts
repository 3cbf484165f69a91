// A suspended local account is hidden at once (suspensions.ts) and its data deleted after a grace period
// (SUSPENDED_ACCOUNT_DELETE_DAYS, 30 by default, as Mastodon's suspended-user cleanup): until then an
// administrator can lift the suspension and nothing is lost, and its owner can still download the
// archive (the sign-in page offers it). Then the account is deleted as its owner would delete it
// (account-deletion.ts), which sends the Delete(Person). The sweep runs where work runs, hourly; two
// workers sweeping at once both try, and the second finds the account already deleted.
import { and, asc, isNotNull, isNull, lte } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { isOpen } from "../db/dialect.ts";
import { accounts } from "../db/schema/index.ts";
import { logger } from "../logging.ts";
import type { MediaStore } from "../media/store.ts";
import { deleteLocalAccount } from "./account-deletion.ts";

const log = logger("domain", "suspension-cleanup");
const SWEEP_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Accounts deleted per sweep: each is one transaction; the next sweep takes the rest. */
const PER_SWEEP = 50;

/** Deletes the local accounts suspended for longer than `days` as of `now`; returns their usernames. */
export async function deleteLongSuspendedAccounts(
  db: Database,
  store: MediaStore | null,
  days: number,
  now = new Date(),
): Promise<string[]> {
  const before = new Date(now.getTime() - days * DAY_MS);
  const due = await db
    .select({ username: accounts.username })
    .from(accounts)
    .where(
      and(
        isNull(accounts.domain),
        isNull(accounts.deletedAt),
        isNotNull(accounts.suspendedAt),
        lte(accounts.suspendedAt, before),
      ),
    )
    .orderBy(asc(accounts.suspendedAt))
    .limit(PER_SWEEP);
  const deleted: string[] = [];
  for (const { username } of due) {
    try {
      await deleteLocalAccount(db, store, username);
      deleted.push(username);
      log.info("Deleted @{username}, suspended for more than {days} days.", { username, days });
    } catch (error) {
      // Another worker's sweep deleted it first, or it is the last administrator: the next sweep tries.
      log.warning("Could not delete suspended @{username}: {error}", { username, error });
    }
  }
  return deleted;
}

/** Sweeps hourly from start() until close(). */
export class SuspensionCleanup {
  readonly #db: Database;
  readonly #store: MediaStore | null;
  readonly #days: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(db: Database, store: MediaStore | null, days: number) {
    this.#db = db;
    this.#store = store;
    this.#days = days;
  }

  start(): void {
    const sweep = () => {
      if (this.#running !== undefined || !isOpen(this.#db)) return;
      this.#running = deleteLongSuspendedAccounts(this.#db, this.#store, this.#days)
        .catch((error: unknown) => log.warning("Suspension sweep failed: {error}", { error }))
        .finally(() => {
          this.#running = undefined;
        });
    };
    sweep();
    this.#timer = setInterval(sweep, SWEEP_MS);
    this.#timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }
}
