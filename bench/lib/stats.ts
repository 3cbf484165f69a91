// Percentiles of sorted samples, the same way in every benchmark: the p-th percentile is the sample at
// index floor(p% of n) (for 300 samples, p99 is the 3rd slowest).
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
