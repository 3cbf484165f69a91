// Seeded randomness for the embedded generator: every random choice comes from here (never Math.random),
// so a prompt and a seed always give the same picture. Each layer draws from its own stream, so an edit
// that adds stars leaves the boats where they were.
import { createHash } from "node:crypto";

export type Random = () => number;

/** sfc32: a small, fast, well-distributed PRNG seeded from 128 bits of a hash. */
function sfc32(seedBytes: Buffer): Random {
  let a = seedBytes.readUInt32LE(0);
  let b = seedBytes.readUInt32LE(4);
  let c = seedBytes.readUInt32LE(8);
  let d = seedBytes.readUInt32LE(12);
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** A random stream for one purpose ("boats", "stars"…) of one scene seed. */
export function stream(seed: number, purpose: string): Random {
  return sfc32(
    createHash("sha256")
      .update(`${seed >>> 0}\u0000${purpose}`)
      .digest(),
  );
}

/** The 32-bit scene seed of a prompt, negative prompt and request seed. */
export function sceneSeed(
  prompt: string,
  negativePrompt: string | undefined,
  seed: number,
): number {
  return createHash("sha256")
    .update(`${prompt}\u0000${negativePrompt ?? ""}\u0000${seed >>> 0}`)
    .digest()
    .readUInt32LE(0);
}

/** A value in [min, max). */
export const between = (rnd: Random, min: number, max: number) => min + rnd() * (max - min);

/** One item of a non-empty list. */
export const pick = <T>(rnd: Random, items: readonly T[]): T =>
  items[Math.floor(rnd() * items.length)]!;
