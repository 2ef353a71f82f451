/** Small statistics helpers for the quota bench. */

/** The p-th percentile (0..100) by nearest rank; 0 for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** How the upstream 429s fall into (login, model, limit type, window) buckets. */
export interface WindowStats {
  /** Buckets with at least one 429. */
  windows: number;
  /** The most 429s any one bucket got. */
  maxPerWindow: number;
  /** Buckets with more than one 429 (the engine's target is none). */
  windowsOverOne: number;
  /** Up to five of those buckets, `login|model|type|windowEnd` → count. */
  worst: Array<{ window: string; count: number }>;
}

export function windowStats(perWindow: ReadonlyMap<string, number>): WindowStats {
  const entries = [...perWindow.entries()];
  const over = entries.filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1]);
  return {
    windows: entries.length,
    maxPerWindow: entries.reduce((m, [, n]) => Math.max(m, n), 0),
    windowsOverOne: over.length,
    worst: over.slice(0, 5).map(([window, count]) => ({ window, count })),
  };
}
