// Benchmark 6 (offline generator): one 1024×1024 image from the built-in procedural generator, the time a
// user waits with the default provider. Measured here rather than in a test: a test's timing depends on
// whatever else the machine runs at that moment.
import { LOCAL_MODEL, LocalProvider } from "../src/generation/local/index.ts";
import { timeSamples } from "./lib/stats.ts";
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
}
