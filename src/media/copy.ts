// Copying every file of one MediaStore into another (DATA_DIR/media into S3, when an instance moves).
// Idempotent: a file already at the target with the same size is skipped, so an interrupted copy is
// finished by running it again.
import { createHash } from "node:crypto";
import { type MediaStore, parseMediaKey } from "./store.ts";

export type CopyOutcome = "copied" | "skipped" | "corrupt" | "vanished";

export interface CopyProgress {
  key: string;
  outcome: CopyOutcome;
  /** Files handled so far, this one included. */
  done: number;
}

export interface CopyResult {
  /** Files written to the target. */
  copied: number;
  /** Files the target already held with the same size. */
  skipped: number;
  /** Bytes written to the target. */
  bytes: number;
  /**
   * Keys whose bytes do not hash to their name (a damaged file): not copied, since the target would
   * store them under another key and no row would find them.
   */
  corrupt: string[];
  /** Keys listed but gone before they were read (a prune running at the same time). */
  vanished: string[];
}

export interface CopyOptions {
  onProgress?: (progress: CopyProgress) => void;
  /** Files in flight at once (default 4): object stores answer faster to a few parallel requests. */
  concurrency?: number;
}

/**
 * Copies every file of `from` into `to`, skipping those `to` already holds with the same size, and
 * returns the counts. The first failed read or write stops the copy and is thrown (once the files in
 * flight are done); what was copied stays, and a second run skips it.
 */
export async function copyMediaStore(
  from: MediaStore,
  to: MediaStore,
  options: CopyOptions = {},
): Promise<CopyResult> {
  const result: CopyResult = { copied: 0, skipped: 0, bytes: 0, corrupt: [], vanished: [] };
  const listing = from.list()[Symbol.asyncIterator]();
  let done = 0;
  let failure: { error: unknown } | undefined;

  async function copyOne(key: string, size: number): Promise<CopyOutcome> {
    const there = await to.stat(key);
    if (there !== undefined && there.size === size) return "skipped";
    const parsed = parseMediaKey(key)!;
    const file = await from.get(key);
    if (file === undefined) return "vanished";
    if (createHash("sha256").update(file.bytes).digest("hex") !== parsed.sha256) return "corrupt";
    await to.put(file.bytes, parsed.extension);
    result.bytes += file.bytes.byteLength;
    return "copied";
  }

  async function worker(): Promise<void> {
    while (failure === undefined) {
      // One shared iterator: an async generator queues concurrent next() calls, so each file is
      // handed to exactly one worker.
      let next: IteratorResult<{ key: string; size: number }>;
      try {
        next = await listing.next();
      } catch (error) {
        // The listing failed (the source store unreachable): nothing more to hand out.
        failure ??= { error };
        return;
      }
      if (next.done) return;
      const { key, size } = next.value;
      try {
        const outcome = await copyOne(key, size);
        if (outcome === "copied") result.copied++;
        else if (outcome === "skipped") result.skipped++;
        else if (outcome === "corrupt") result.corrupt.push(key);
        else result.vanished.push(key);
        done++;
        options.onProgress?.({ key, outcome, done });
      } catch (error) {
        failure ??= { error };
      }
    }
  }

  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  // Workers catch their own failures, so every one has stopped when this settles.
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  if (failure !== undefined) {
    await listing.return?.();
    throw failure.error;
  }
  result.corrupt.sort();
  result.vanished.sort();
  return result;
}
