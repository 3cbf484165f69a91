// Leases on rows that several workers share (domain events, generation jobs): a worker claims a row by
// writing its name and a time into it, renews that time while it works, and another worker takes the
// row over once the time has passed, so a killed worker's work is redone rather than lost or doubled.
// The claiming UPDATE itself is atomic on both stores (see skipLocked in dialect.ts).
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { type Column, isNull, lte, or, type SQL } from "drizzle-orm";

/** How long a claim holds without renewal (a worker renews at a third of it). */
export const DEFAULT_LEASE_MS = 60_000;

/** A name for one claiming worker, unique across processes and hosts, readable in the rows and logs. */
export function newClaimant(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** Rows nobody holds, or whose holder let the lease run out (`claimedUntil` null or past `now`). */
export function unclaimed(claimedUntil: Column, now: Date): SQL {
  return or(isNull(claimedUntil), lte(claimedUntil, now)) as SQL;
}

/**
 * Calls `renew` every third of `leaseMs` until stopped, so that work longer than one lease keeps its
 * claim. A failed renewal is only logged by the caller's `renew`: the next one may succeed, and if the
 * lease runs out the work is redone elsewhere, which every claimant is written to tolerate.
 */
export function renewEvery(leaseMs: number, renew: () => Promise<void>): () => void {
  const timer = setInterval(() => void renew().catch(() => {}), Math.max(leaseMs / 3, 10));
  timer.unref();
  return () => clearInterval(timer);
}
