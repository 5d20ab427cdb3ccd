/** Nearest-rank percentile of already sorted samples. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface Summary {
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Median time of the enqueueing transaction alone. */
  publishP50: number;
}

/** Throughput over the whole run and latency percentiles (ms) of the samples. */
export function summarize(latenciesMs: number[], elapsedMs: number, publishMs: number[] = []): Summary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    seconds: elapsedMs / 1000,
    perSecond: sorted.length / (elapsedMs / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    publishP50: percentile([...publishMs].sort((a, b) => a - b), 50),
  };
}
