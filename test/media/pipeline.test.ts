import { deflateSync } from "node:zlib";
import { decode, isBlurhashValid } from "blurhash";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import { processImage } from "../../src/media/pipeline.ts";
import { pngTexts, withPngText } from "../../src/media/png-text.ts";
import { DIGITAL_SOURCE_TYPE, readDigitalSourceType } from "../../src/media/provenance.ts";

const limits = { maxBytes: 16 * 1024 * 1024, maxPixels: 50_000_000 };

/** A JPEG carrying EXIF with a GPS position, a camera model and orientation 6 (rotate 90°). */
async function jpegWithGps(width = 800, height = 600) {
  return sharp({ create: { width, height, channels: 3, background: "#884422" } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Make: "SpyCam", Model: "X1" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "48/1 51/1 24/1",
        GPSLongitudeRef: "E",
        GPSLongitude: "2/1 21/1 3/1",
      },
    })
    .toBuffer();
}

/** A small, well-formed PNG whose header announces a huge image (a decompression bomb's shape). */
function pngHeader(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  // A few hundred bytes of compressed zeros stand in for the 3.6 GB of pixels the header promises.
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.alloc(64 * 1024))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

describe("media pipeline", () => {
  it("strips EXIF (GPS included) from an uploaded JPEG and auto-orients it", async () => {
    const input = await jpegWithGps();
    const inputMeta = await sharp(input).metadata();
    expect(inputMeta.exif?.includes(Buffer.from("SpyCam"))).toBe(true);
    expect(inputMeta.orientation).toBe(6);
    const out = await processImage(input, limits);
    for (const variant of [out.original, out.display, out.thumbnail]) {
      const meta = await sharp(variant.bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(variant.bytes.includes(Buffer.from("SpyCam"))).toBe(false);
    }
    // Orientation 6 means the stored pixels are rotated: 800×600 becomes 600×800 upright.
    expect([out.original.width, out.original.height]).toEqual([600, 800]);
    expect(out.original.extension).toBe("jpg");
  });

  it("writes the IPTC DigitalSourceType into every variant of a generated image", async () => {
    const input = await sharp({
      create: { width: 300, height: 200, channels: 3, background: "#123456" },
    })
      .png()
      .toBuffer();
    const out = await processImage(input, limits, {
      digitalSourceType: DIGITAL_SOURCE_TYPE.trainedAlgorithmicMedia,
      creatorTool: "Atelier (local)",
    });
    for (const variant of [out.original, out.display, out.thumbnail]) {
      const meta = await sharp(variant.bytes).metadata();
      expect(readDigitalSourceType(meta.xmp)).toBe(DIGITAL_SOURCE_TYPE.trainedAlgorithmicMedia);
    }
  });

  it("keeps a generated PNG's atelier: text chunks in its original, and drops every text chunk of an upload", async () => {
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#345" } })
      .png()
      .toBuffer();
    const input = withPngText(
      withPngText(png, "atelier:scene", '{"time":"dusk"}'),
      "Author",
      "someone's name",
    );
    const generated = await processImage(input, limits, {
      digitalSourceType: DIGITAL_SOURCE_TYPE.trainedAlgorithmicMedia,
      creatorTool: "Atelier (local)",
    });
    expect(pngTexts(generated.original.bytes)).toEqual([["atelier:scene", '{"time":"dusk"}']]);
    const uploaded = await processImage(input, limits);
    expect(pngTexts(uploaded.original.bytes)).toEqual([]);
  });

  it("makes a display WebP of at most 2048 px and a thumbnail of at most 640 px", async () => {
    const input = await sharp({
      create: { width: 3000, height: 1500, channels: 3, background: "#abcdef" },
    })
      .png()
      .toBuffer();
    const out = await processImage(input, limits);
    expect([out.original.width, out.original.height]).toEqual([3000, 1500]);
    expect([out.display.width, out.display.height, out.display.extension]).toEqual([
      2048,
      1024,
      "webp",
    ]);
    expect([out.thumbnail.width, out.thumbnail.height, out.thumbnail.extension]).toEqual([
      640,
      320,
      "webp",
    ]);
    expect((await sharp(out.display.bytes).metadata()).format).toBe("webp");
    // Small images are not enlarged.
    const small = await processImage(
      await sharp({ create: { width: 100, height: 80, channels: 3, background: "#000" } })
        .png()
        .toBuffer(),
      limits,
    );
    expect([small.display.width, small.thumbnail.width]).toEqual([100, 100]);
  });

  it("computes a blurhash that decodes to the image's colours", async () => {
    const input = await sharp({
      create: { width: 400, height: 300, channels: 3, background: { r: 200, g: 30, b: 40 } },
    })
      .png()
      .toBuffer();
    const out = await processImage(input, limits);
    expect(isBlurhashValid(out.blurhash).result).toBe(true);
    // 4×4 components (Mastodon refuses more than 5 per axis).
    expect(out.blurhash).toHaveLength(4 + 2 * 16);
    const pixels = decode(out.blurhash, 8, 8);
    expect(pixels[0]).toBeGreaterThan(150);
    expect(pixels[2]).toBeLessThan(90);
  });

  it("accepts WebP, AVIF and the first frame of a GIF", async () => {
    const base = () =>
      sharp({ create: { width: 64, height: 48, channels: 3, background: "#0a0" } });
    expect((await processImage(await base().webp().toBuffer(), limits)).original.extension).toBe(
      "webp",
    );
    expect((await processImage(await base().avif().toBuffer(), limits)).original.extension).toBe(
      "avif",
    );
    const gif = await processImage(await base().gif().toBuffer(), limits);
    expect([gif.inputFormat, gif.original.extension]).toEqual(["gif", "png"]);
  });

  it("refuses a 30000×30000 PNG header without decoding it", async () => {
    const before = process.memoryUsage().rss;
    const error = await processImage(pngHeader(30000, 30000), limits).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(422);
    expect((error as AppError).message).toMatch(/too large: 30000×30000 pixels/);
    // Decoding it would need 3.6 GB; nothing close to that was allocated.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it("refuses files that are too big, empty, or not images", async () => {
    const tooBig = await processImage(Buffer.alloc(2048, 1), { ...limits, maxBytes: 1024 }).catch(
      (e: unknown) => e,
    );
    expect((tooBig as AppError).status).toBe(413);
    expect(
      ((await processImage(Buffer.alloc(0), limits).catch((e: unknown) => e)) as AppError).message,
    ).toMatch(/empty/);
    const text = await processImage(
      Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"),
      limits,
    ).catch((e: unknown) => e);
    expect((text as AppError).status).toBe(422);
    const tiff = await sharp({ create: { width: 10, height: 10, channels: 3, background: "#fff" } })
      .tiff()
      .toBuffer();
    expect(
      ((await processImage(tiff, limits).catch((e: unknown) => e)) as AppError).message,
    ).toMatch(/Unsupported image type \(tiff\)/);
  });
});
