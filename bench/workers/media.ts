// Child process of benchmark 4: processes one 1024×1024 generated PNG `count` times, either through
// Atelier's pipeline (variants, blurhash, XMP label) or through bare sharp making the same three variants,
// with libvips and libuv limited to `cores` threads. Prints {"imagesPerSecond": …} as its last line.
import sharp from "sharp";
import { renderProceduralImage } from "../../src/generation/local/index.ts";
import { processImage } from "../../src/media/pipeline.ts";
import { DIGITAL_SOURCE_TYPE } from "../../src/media/provenance.ts";

const [mode, coresArg, countArg] = process.argv.slice(2);
const cores = Number(coresArg);
const count = Number(countArg);
sharp.concurrency(cores);
sharp.cache(false);

const input = await renderProceduralImage(
  "a lighthouse in a storm, oil painting",
  undefined,
  7,
  1024,
  1024,
);

async function atelier(): Promise<void> {
  await processImage(
    input,
    { maxBytes: 64 * 2 ** 20, maxPixels: 50_000_000 },
    { digitalSourceType: DIGITAL_SOURCE_TYPE.trainedAlgorithmicMedia },
  );
}

async function bare(): Promise<void> {
  await Promise.all([
    sharp(input).png({ compressionLevel: 6 }).toBuffer(),
    sharp(input)
      .resize(2048, 2048, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 85 })
      .toBuffer(),
    sharp(input).resize(640, 640, { fit: "inside" }).webp({ quality: 80 }).toBuffer(),
  ]);
}

const run = mode === "bare" ? bare : atelier;
await run(); // warm-up
const started = performance.now();
// As many images in flight as cores, the way a worker pool would run them.
let next = 0;
await Promise.all(
  Array.from({ length: cores }, async () => {
    while (next < count) {
      next++;
      await run();
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ imagesPerSecond: count / seconds })}\n`);
