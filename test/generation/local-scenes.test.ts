// The embedded generator follows the prompt, measured on decoded pixels: the time of day, the weather
// and the named elements each leave what they should, edits change what they name, a mask keeps the
// rest byte for byte, and the description names what was drawn.
import { createHash } from "node:crypto";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { LOCAL_MODEL, LocalProvider } from "../../src/generation/local/index.ts";
import { GenerationError } from "../../src/generation/provider.ts";

const provider = new LocalProvider();
const signal = new AbortController().signal;
const SIZE = 256;
const base = {
  model: LOCAL_MODEL,
  size: `${SIZE}x${SIZE}`,
  quality: "auto",
  background: "auto",
  n: 1,
};

async function draw(prompt: string, seed = 1): Promise<Buffer> {
  const [image] = await provider.generate({ ...base, prompt, seed }, signal);
  return image!.bytes;
}

async function edit(image: Buffer, prompt: string, mask?: Buffer): Promise<Buffer> {
  const [out] = await provider.edit({ ...base, prompt, image, mask }, signal);
  return out!.bytes;
}

interface Pixels {
  data: Buffer;
  width: number;
  height: number;
}

async function pixels(png: Buffer): Promise<Pixels> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const lum = (p: Pixels, i: number) =>
  0.2126 * p.data[i * 3]! + 0.7152 * p.data[i * 3 + 1]! + 0.0722 * p.data[i * 3 + 2]!;

/** Mean red minus mean blue over the top `rows` fraction of the picture (the sky). */
function skyWarmth(p: Pixels, rows = 0.35): number {
  let sum = 0;
  const n = Math.floor(p.height * rows) * p.width;
  for (let i = 0; i < n; i++) sum += p.data[i * 3]! - p.data[i * 3 + 2]!;
  return sum / n;
}

function meanLuminance(p: Pixels): number {
  let sum = 0;
  for (let i = 0; i < p.width * p.height; i++) sum += lum(p, i);
  return sum / (p.width * p.height);
}

/** Bright isolated points in the upper half: a pixel far brighter than the mean of its 7×7 square. */
function starPoints(p: Pixels): number {
  let count = 0;
  for (let y = 3; y < p.height / 2; y++) {
    for (let x = 3; x < p.width - 3; x++) {
      const here = lum(p, y * p.width + x);
      if (here < 150) continue;
      let around = 0;
      for (let dy = -3; dy <= 3; dy++) {
        for (let dx = -3; dx <= 3; dx++) around += lum(p, (y + dy) * p.width + x + dx);
      }
      if (here - around / 49 > 70) count++;
    }
  }
  return count;
}

/** The size (in pixels) of the largest 4-connected region darker than `limit`. */
function largestDarkRegion(p: Pixels, limit = 50): number {
  const n = p.width * p.height;
  const seen = new Uint8Array(n);
  let best = 0;
  for (let start = 0; start < n; start++) {
    if (seen[start] || lum(p, start) >= limit) continue;
    let size = 0;
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const i = stack.pop()!;
      size++;
      const x = i % p.width;
      for (const j of [
        i - p.width,
        i + p.width,
        x > 0 ? i - 1 : -1,
        x < p.width - 1 ? i + 1 : -1,
      ]) {
        if (j >= 0 && j < n && !seen[j] && lum(p, j) < limit) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    best = Math.max(best, size);
  }
  return best;
}

const rawHash = async (png: Buffer) =>
  createHash("sha256")
    .update((await pixels(png)).data)
    .digest("hex");

describe("the embedded generator follows the prompt", () => {
  it("paints a dusk sky warmer (more red than blue) than noon's", async () => {
    expect.hasAssertions();
    for (const seed of [1, 2, 3]) {
      const dusk = skyWarmth(await pixels(await draw("the sea at dusk", seed)));
      const noon = skyWarmth(await pixels(await draw("the sea at noon", seed)));
      expect(dusk, `seed ${seed}`).toBeGreaterThan(20);
      expect(noon, `seed ${seed}`).toBeLessThan(-20);
    }
  });

  it("paints night darker than noon, with bright star points", async () => {
    const night = await pixels(await draw("mountains at night"));
    const noon = await pixels(await draw("mountains at noon"));
    expect(meanLuminance(night)).toBeLessThan(meanLuminance(noon) / 2);
    expect(starPoints(night)).toBeGreaterThan(10);
    expect(starPoints(noon)).toBe(0);
  });

  it("paints snow scenes light", async () => {
    const snow = await pixels(
      await draw("a red fox sleeping in fresh snow, soft morning light, photograph"),
    );
    const grass = await pixels(
      await draw("a red fox sleeping in a meadow, soft morning light, photograph"),
    );
    expect(meanLuminance(snow)).toBeGreaterThan(150);
    expect(meanLuminance(snow)).toBeGreaterThan(meanLuminance(grass) + 20);
  });

  it("leaves a dark silhouette for a named lighthouse or boat, where the sea alone has none", async () => {
    expect.hasAssertions();
    const area = SIZE * SIZE;
    for (const seed of [1, 2, 3]) {
      const dark = async (prompt: string) =>
        largestDarkRegion(await pixels(await draw(prompt, seed)));
      expect(await dark("the sea at noon"), `seed ${seed}`).toBeLessThan(area * 0.001);
      expect(await dark("a lighthouse on the sea at noon"), `seed ${seed}`).toBeGreaterThan(
        area * 0.02,
      );
      expect(await dark("a boat on the sea at noon"), `seed ${seed}`).toBeGreaterThan(area * 0.003);
    }
  });

  it("gives the same bytes for the same prompt and seed, and differs between prompts", async () => {
    expect(await draw("a quiet harbour at dawn", 5)).toEqual(
      await draw("a quiet harbour at dawn", 5),
    );
    const prompts = [
      "a quiet harbour at dawn",
      "a forest in fog",
      "a desert at noon",
      "a city at night",
      "a nebula in space",
      "a quiet harbour at dawn, pixel art",
    ];
    const hashes = await Promise.all(prompts.map(async (p) => rawHash(await draw(p, 5))));
    expect(new Set(hashes).size).toBe(prompts.length);
  });
});

describe("edits of the embedded generator", () => {
  it("adds stars when asked", async () => {
    const before = await draw("a harbour at dusk", 4);
    const after = await edit(before, "add stars");
    expect(starPoints(await pixels(after))).toBeGreaterThan(starPoints(await pixels(before)) + 10);
    expect(await provider.describe(after, "add stars", signal)).toMatch(/stars/);
  });

  it("moves the scene to night, warms it, and removes the boat it is told to", async () => {
    const image = await draw("a boat on the sea at noon", 2);
    const night = await pixels(await edit(image, "at night"));
    expect(meanLuminance(night)).toBeLessThan(meanLuminance(await pixels(image)) / 2);
    const warmer = await pixels(await edit(image, "warmer"));
    expect(skyWarmth(warmer)).toBeGreaterThan(skyWarmth(await pixels(image)) + 15);
    const noBoat = await edit(image, "remove the boat");
    expect(largestDarkRegion(await pixels(noBoat))).toBeLessThan(SIZE * SIZE * 0.001);
    expect(await provider.describe(noBoat, "", signal)).not.toMatch(/boat/);
  });

  it("thickens fog when asked for more, which lowers the contrast", async () => {
    const image = await draw("mountains at noon", 3);
    const foggy = await edit(image, "more fog");
    const spread = async (png: Buffer) => (await sharp(png).stats()).channels[1]!.stdev;
    expect(await spread(foggy)).toBeLessThan((await spread(image)) * 0.8);
    expect(await provider.describe(foggy, "", signal)).toMatch(/fog/);
  });

  it("changes only the masked region: pixels outside the mask stay byte-identical", async () => {
    const image = await draw("a lighthouse on the sea at dusk", 6);
    // Transparent (alpha 0) in the top-left quarter: the region to change; opaque elsewhere.
    const alpha = Buffer.alloc(SIZE * SIZE * 4, 255);
    for (let y = 0; y < SIZE / 2; y++) {
      for (let x = 0; x < SIZE / 2; x++) alpha[(y * SIZE + x) * 4 + 3] = 0;
    }
    const mask = await sharp(alpha, { raw: { width: SIZE, height: SIZE, channels: 4 } })
      .png()
      .toBuffer();
    const [a, b] = [await pixels(image), await pixels(await edit(image, "at night", mask))];
    let inside = 0;
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const o = (y * SIZE + x) * 3;
        const same = a.data.subarray(o, o + 3).equals(b.data.subarray(o, o + 3));
        if (x < SIZE / 2 && y < SIZE / 2) inside += same ? 0 : 1;
        else if (!same) throw new Error(`pixel ${x},${y} outside the mask changed`);
      }
    }
    expect(inside).toBeGreaterThan((SIZE * SIZE) / 4 / 2);
  });

  it("edits an uploaded image (no scene) by its pixels: warmer, darker, fog", async () => {
    const upload = await sharp({
      create: { width: SIZE, height: SIZE, channels: 3, background: { r: 90, g: 120, b: 150 } },
    })
      .composite([
        {
          input: await sharp({
            create: { width: 64, height: 64, channels: 3, background: { r: 20, g: 20, b: 20 } },
          })
            .png()
            .toBuffer(),
          left: 96,
          top: 96,
        },
      ])
      .png()
      .toBuffer();
    const original = await pixels(upload);
    expect(skyWarmth(await pixels(await edit(upload, "warmer")), 1)).toBeGreaterThan(
      skyWarmth(original, 1) + 20,
    );
    expect(meanLuminance(await pixels(await edit(upload, "darker")))).toBeLessThan(
      meanLuminance(original) * 0.8,
    );
    expect(largestDarkRegion(await pixels(await edit(upload, "add fog")))).toBe(0);
    await expect(edit(upload, "make it sing")).rejects.toBeInstanceOf(GenerationError);
    expect(await provider.describe(upload, "", signal)).toMatch(/image\.$/);
  });

  it("refuses an instruction it cannot read, and a mask of another size", async () => {
    const image = await draw("a forest at dawn");
    await expect(edit(image, "zxqv")).rejects.toThrow(/did not understand/);
    const small = await sharp({
      create: { width: 16, height: 16, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    await expect(edit(image, "warmer", small)).rejects.toThrow(/size of the image/);
  });
});

describe("describe (the local provider's alt text)", () => {
  it("names what it drew, from the scene the image carries", async () => {
    const image = await draw(
      "a lighthouse and a boat on the sea at dusk, with clouds, watercolour",
    );
    expect(await provider.describe(image, "ignored", signal)).toBe(
      "A lighthouse and a boat on the sea at dusk, with clouds, in watercolour.",
    );
    const fox = await draw("a red fox sleeping in fresh snow, soft morning light, photograph");
    const text = await provider.describe(fox, "", signal);
    expect(text).toMatch(/^A fox lying down .* in the morning.*falling snow.*as a photograph\.$/);
  });

  it("is never empty, whatever the prompt", async () => {
    for (const prompt of ["", "zzz", "城市の夜景", "cat"]) {
      const text = await provider.describe(await draw(prompt), prompt, signal);
      expect(text.length, prompt).toBeGreaterThan(10);
    }
  });
});
