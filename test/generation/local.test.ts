import { createHash } from "node:crypto";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { LOCAL_MODEL, LocalProvider } from "../../src/generation/local/index.ts";

const provider = new LocalProvider();
const signal = new AbortController().signal;
const generate = (prompt: string, seed: number, size = "512x512", n = 1) =>
  provider.generate(
    { prompt, model: LOCAL_MODEL, size, quality: "auto", background: "auto", n, seed },
    signal,
  );

async function pixels(png: Buffer) {
  const { data, info } = await sharp(png)
    .removeAlpha()
    .resize(64, 64, { fit: "fill" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, info };
}

/** Mean absolute difference per channel (0–255) between two images, on a 64×64 grid. */
async function difference(a: Buffer, b: Buffer): Promise<number> {
  const [pa, pb] = [await pixels(a), await pixels(b)];
  let total = 0;
  for (let i = 0; i < pa.data.length; i++) total += Math.abs(pa.data[i]! - pb.data[i]!);
  return total / pa.data.length;
}

describe("local procedural generator", () => {
  it("gives the same pixels for the same prompt and seed", async () => {
    const [a] = await generate("a red fox in the snow", 42);
    const [b] = await generate("a red fox in the snow", 42);
    const hash = async (png: Buffer) =>
      createHash("sha256")
        .update(await sharp(png).raw().toBuffer())
        .digest("hex");
    expect(await hash(a!.bytes)).toBe(await hash(b!.bytes));
    expect(a!.seed).toBe(42);
  });

  it("gives visibly different images for different prompts, and for different seeds", async () => {
    const [fox] = await generate("a red fox in the snow", 42);
    const [sea] = await generate("a quiet blue ocean at dawn", 42);
    const [fox2] = await generate("a red fox in the snow", 43);
    expect(await difference(fox!.bytes, sea!.bytes)).toBeGreaterThan(20);
    expect(await difference(fox!.bytes, fox2!.bytes)).toBeGreaterThan(20);
  });

  it("makes pictures, not flat colour: every image has contrast and colour spread", async () => {
    for (const prompt of ["cat", "a bowl of fruit", "purple nebula", "城市の夜景", "minimal"]) {
      const [image] = await generate(prompt, 7, "256x256");
      const stats = await sharp(image!.bytes).stats();
      const spread = Math.max(...stats.channels.slice(0, 3).map((c) => c.stdev));
      expect(spread, prompt).toBeGreaterThan(15);
    }
  });

  it("renders at the requested size, several candidates with consecutive seeds", async () => {
    const images = await generate("tall tower", 100, "1024x1536", 2);
    expect(images.map((i) => i.seed)).toEqual([100, 101]);
    const meta = await sharp(images[1]!.bytes).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([1024, 1536, "png"]);
  });
});
