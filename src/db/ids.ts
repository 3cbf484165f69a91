// Time-sortable ids, Mastodon style: milliseconds since the epoch shifted left 16 bits, plus 16 bits that
// keep ids made in the same millisecond apart. Written as decimal strings of equal length (18 digits until
// the year 2451), so SQLite's text order is time order and clients can paginate with max_id/since_id.
import { randomInt } from "node:crypto";

// The last sequence used for each recently seen millisecond. Backdated rows interleave instants (a remote
// status published at t, then one at u, then another at t), so remembering only the latest millisecond let
// two random starts for t collide. The map is bounded; an instant that falls out of it gets a random start
// again, which is the only case left to chance.
const recent = new Map<number, number>();
const RECENT_LIMIT = 4096;

/** A new id for a row created at `at` (default now). Remote statuses pass their published time. */
export function newId(at: Date | number = Date.now()): string {
  const ms = typeof at === "number" ? at : at.getTime();
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Invalid id timestamp: ${at}`);
  const whole = Math.trunc(ms);
  const previous = recent.get(whole);
  let low: number;
  if (previous !== undefined) {
    low = (previous + 1) & 0xffff;
    recent.delete(whole);
  } else {
    // A random start keeps ids made for the same instant by different processes unlikely to collide.
    low = randomInt(0, 0x8000);
    if (recent.size >= RECENT_LIMIT) recent.delete(recent.keys().next().value as number);
  }
  recent.set(whole, low);
  return ((BigInt(whole) << 16n) | BigInt(low)).toString();
}

/** The smallest id of the given instant: use as a bound when paging by time. */
export function idFloor(at: Date | number): string {
  const ms = typeof at === "number" ? at : at.getTime();
  return (BigInt(Math.trunc(ms)) << 16n).toString();
}

/** The time an id was made at. */
export function idTime(id: string): Date {
  return new Date(Number(BigInt(id) >> 16n));
}
