// Blurhash placeholders without client code: the hash is decoded on the server into a 3×3 colour grid
// drawn as three CSS gradients, shown behind an image until it has loaded.
import { decode, isBlurhashValid } from "blurhash";

const cache = new Map<string, string | null>();

/** A CSS `background` value approximating the blurhash, or null for a missing or malformed hash. */
export function blurhashBackground(hash: string | null | undefined): string | null {
  if (hash === null || hash === undefined || hash.length > 100) return null;
  const cached = cache.get(hash);
  if (cached !== undefined) return cached;
  let result: string | null = null;
  if (isBlurhashValid(hash).result) {
    const px = decode(hash, 3, 3);
    const rgb = (i: number) => `rgb(${px[i * 4]},${px[i * 4 + 1]},${px[i * 4 + 2]})`;
    const rows = [0, 1, 2].map(
      (r) =>
        `linear-gradient(90deg,${rgb(r * 3)},${rgb(r * 3 + 1)},${rgb(r * 3 + 2)}) 0 ${r * 50}%/100% 34% no-repeat`,
    );
    result = rows.join(",");
  }
  if (cache.size > 5000) cache.clear();
  cache.set(hash, result);
  return result;
}
