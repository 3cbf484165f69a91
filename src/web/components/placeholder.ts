// Blurhash placeholders without client code: the hash is decoded on the server into a 3×3 colour grid
// drawn as three layered CSS gradients, shown behind an image until it has loaded.
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
    const at = (i: number) => [px[i * 4]!, px[i * 4 + 1]!, px[i * 4 + 2]!] as const;
    const avg = (row: number) =>
      [0, 1, 2].map((ch) =>
        Math.round((at(row * 3)[ch]! + at(row * 3 + 1)[ch]! + at(row * 3 + 2)[ch]!) / 3),
      );
    const [t, b] = [avg(0), avg(2)];
    const mid = [3, 4, 5].map((i) => `rgb(${at(i).join(",")})`).join(",");
    // The middle row as a horizontal gradient, with the top and bottom rows fading over it: smooth in
    // both directions, three layers, no image to fetch.
    result = [
      `linear-gradient(180deg,rgb(${t.join(",")}),rgba(${t.join(",")},0) 55%)`,
      `linear-gradient(0deg,rgb(${b.join(",")}),rgba(${b.join(",")},0) 55%)`,
      `linear-gradient(90deg,${mid})`,
    ].join(",");
  }
  if (cache.size > 5000) cache.clear();
  cache.set(hash, result);
  return result;
}
