// Time-sortable ids, Mastodon style: milliseconds since the epoch shifted left 16 bits, plus 16 bits that
// keep ids made in the same millisecond apart. Written as decimal strings of equal length (18 digits until
// the year 2451), so SQLite's text order is time order and clients can paginate with max_id/since_id.
import { randomInt } from "node:crypto";

let lastMs = 0;
let sequence = 0;

/** A new id for a row created at `at` (default now). Remote statuses pass their published time. */
export function newId(at: Date | number = Date.now()): string {
  const ms = typeof at === "number" ? at : at.getTime();
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Invalid id timestamp: ${at}`);
  let low: number;
  if (ms === lastMs) {
    sequence = (sequence + 1) & 0xffff;
    low = sequence;
  } else {
    // A random start makes ids for backdated rows (remote statuses) unlikely to collide with each other.
    lastMs = ms;
    sequence = randomInt(0, 0x8000);
    low = sequence;
  }
  return ((BigInt(Math.trunc(ms)) << 16n) | BigInt(low)).toString();
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
