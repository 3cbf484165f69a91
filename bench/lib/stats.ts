// Percentiles of sorted samples, the same way in every benchmark: the p-th percentile is the sample at
// index floor(p% of n) (for 300 samples, p99 is the 3rd slowest).
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** p50/p99 in ms of `runs` sequential calls of `fn`, after a few unmeasured ones. */
export async function timeSamples(
  runs: number,
  fn: () => Promise<unknown> | unknown,
): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < Math.min(5, runs); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}
