/** Active handles and requests of this process by type (process.getActiveResourcesInfo()). */
export function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Types of which there are more now than in `baseline`, with both counts. */
export function leftBehind(baseline: Record<string, number>, now: Record<string, number>): Record<string, { before: number; after: number }> {
  const extra: Record<string, { before: number; after: number }> = {};
  for (const [type, n] of Object.entries(now)) if (n > (baseline[type] ?? 0)) extra[type] = { before: baseline[type] ?? 0, after: n };
  return extra;
}

/** Polls `probe` until it returns true or `ms` pass (sockets and timers close a few ticks after their owners). */
export async function settle(probe: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
