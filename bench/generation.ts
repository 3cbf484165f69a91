// Benchmark 6 (offline generator): one 1024×1024 image from the built-in generator, the time a user
// waits with the default provider; then the same on one core across scenes of every place and style
// (a child process, libvips and libuv at one thread). Measured here rather than in a test: a test's
// timing depends on whatever else the machine runs at that moment.
import { LOCAL_MODEL, LocalProvider } from "../src/generation/local/index.ts";
import { timeSamples } from "./lib/stats.ts";
import { runWorker } from "./lib/worker.ts";
import type { BenchContext } from "./run.ts";

export async function benchGeneration(ctx: BenchContext): Promise<void> {
  const provider = new LocalProvider();
  const signal = new AbortController().signal;
  let seed = 1000;
  const { p50, p99 } = await timeSamples(ctx.quick ? 3 : 20, () =>
    provider.generate(
      {
        prompt: "a cathedral made of glass, golden hour",
        model: LOCAL_MODEL,
        size: "1024x1024",
        quality: "auto",
        background: "auto",
        n: 1,
        seed: seed++,
      },
      signal,
    ),
  );
  ctx.figure({
    id: "generation.local.1024",
    label: "Offline generator, one 1024×1024 image (p50)",
    value: p50,
    unit: "ms",
    target: { description: "≤ 1000 ms", pass: p50 <= 1000 },
    notes: `p99 ${p99.toFixed(0)} ms`,
  });
  await benchGenerationOneCore(ctx);
}

/** The scene generator on one core: wall time and CPU time per 1024² image, across every style. */
async function benchGenerationOneCore(ctx: BenchContext): Promise<void> {
  const r = await runWorker<{ p50: number; p99: number; cpuP50: number; cpuP99: number }>(
    "scenes.ts",
    [String(ctx.quick ? 8 : 40)],
    { env: { UV_THREADPOOL_SIZE: "1" } },
  );
  ctx.figure({
    id: "generation.local.scene.1024.1core",
    label: "Offline generator, 1024×1024 scenes of every style, one core (p50 CPU time)",
    value: r.cpuP50,
    unit: "ms",
    target: { description: "≤ 500 ms", pass: r.cpuP50 <= 500 },
    notes: `CPU p99 ${r.cpuP99.toFixed(0)} ms; wall p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms`,
  });
}
