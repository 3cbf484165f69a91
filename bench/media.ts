// Benchmark 4 (media pipeline): a 1024×1024 generated PNG → original, display and thumbnail WebP, blurhash
// and XMP label, in images/s on one core and on two, against bare sharp making the same variants. Each
// measurement runs in a fresh child process with libvips and libuv limited to that many threads.
import { join } from "node:path";
import { root } from "./lib/instance.ts";
import { runWorker } from "./lib/worker.ts";
import type { BenchContext } from "./run.ts";

function measure(mode: "atelier" | "bare", cores: number, count: number): Promise<number> {
  return runWorker<{ imagesPerSecond: number }>("media.ts", [mode, String(cores), String(count)], {
    nodeArgs: ["--import", join(root, "src/preload.ts")],
    env: { UV_THREADPOOL_SIZE: String(Math.max(cores, 1)) },
  }).then((r) => r.imagesPerSecond);
}

export async function benchMedia(ctx: BenchContext): Promise<void> {
  const count = ctx.quick ? 6 : 60;
  for (const cores of [1, 2]) {
    const bare = await measure("bare", cores, count);
    const atelier = await measure("atelier", cores, count);
    const ratio = atelier / bare;
    ctx.figure({
      id: `media.pipeline.${cores}core`,
      label: `Media pipeline, 1024² PNG → variants + blurhash + XMP, ${cores} core${cores > 1 ? "s" : ""}`,
      value: atelier,
      unit: "images/s",
      ceiling: { value: bare, unit: "images/s", label: "bare sharp, same variants" },
      ratio,
      target: { description: "≥ 70% of bare sharp", pass: ratio >= 0.7 },
    });
  }
}
