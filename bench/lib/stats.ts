// Latency samples kept as plain arrays: a run records at most a few million, which sorts in well
// under a second, and exact percentiles beat a histogram's buckets for a p99 near 10 ms.
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
}

export function summarize(samples: number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const asArray = sorted as unknown as number[];
  return { count: sorted.length, p50: percentile(asArray, 50), p99: percentile(asArray, 99) };
}
