// Benchmark 4 (media pipeline): a 1024×1024 generated PNG → original, display and thumbnail WebP, blurhash
// and XMP label, in images/s on one core and on two, against bare sharp making the same variants. Each
// measurement runs in a fresh child process with libvips and libuv limited to that many threads.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { root } from "./lib/instance.ts";
import type { BenchContext } from "./run.ts";

function measure(mode: "atelier" | "bare", cores: number, count: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        join(root, "src/preload.ts"),
        join(root, "bench/workers/media.ts"),
        mode,
        String(cores),
        String(count),
      ],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? "", UV_THREADPOOL_SIZE: String(Math.max(cores, 1)) },
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("close", (code) => {
      const last = out.trim().split("\n").pop() ?? "";
      if (code !== 0) return reject(new Error(`media worker exited ${code}: ${err}`));
      resolve((JSON.parse(last) as { imagesPerSecond: number }).imagesPerSecond);
    });
  });
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
