import type { ProviderStrategyResult } from './run-provider-strategy';

export interface ProviderScenarioResult {
  scenario: string;
  accounts: Array<{ id: string; provider: string; owner: string }>;
  demands: Array<{ name: string; perDay: number; targets: string[] }>;
  offered: number;
  capacity: number;
  strategies: ProviderStrategyResult[];
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

const COLUMNS = ['strategy', 'served / offered', 'served / capacity', 'client 429 w/ quota left', 'upstream 429s (max/window)', 'added wait mean'];

function row(r: ProviderStrategyResult): string[] {
  const stalled = r.stalled ? ` STALLED @${Math.round(r.virtualEndSeconds)}s, ${r.unanswered} unanswered` : '';
  return [
    `${r.label}${stalled}`,
    `${r.served}/${r.offered} = ${pct(r.servedOfOffered)}`,
    pct(r.servedOfCapacity),
    `${r.client429WithQuota} of ${r.client429}`,
    `${r.upstream429} (max ${r.windows.maxPerWindow})`,
    `${(r.waitMeanMs / 1000).toFixed(2)} s`,
  ];
}

/** One block per provider scenario: the strategies, then capacity and served per owner. */
export function renderProviderTable(results: readonly ProviderScenarioResult[]): string {
  const out: string[] = [];
  for (const s of results) {
    const rows = s.strategies.map(row);
    const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
    out.push('', `${s.scenario}: ${s.offered} requests offered, capacity ${s.capacity}`, line(COLUMNS), widths.map((w) => '-'.repeat(w)).join('-+-'));
    for (const r of rows) out.push(line(r));
    out.push('  capacity per owner as the provider counts it (keys) -> served by each strategy:');
    for (const [i, o] of (s.strategies[0]?.owners ?? []).entries()) {
      const served = s.strategies.map((r) => `${r.strategy} ${r.owners[i]?.served ?? 0}`).join(', ');
      out.push(`    ${o.owner} (${o.keys.join(', ')}): ${o.capacity} -> ${served}`);
    }
    for (const r of s.strategies) {
      const meters = Object.entries(r.upstream429ByMeter).map(([m, n]) => `${m} ${n}`).join(', ');
      if (meters) out.push(`  ${r.strategy} upstream 429s by meter: ${meters}`);
    }
  }
  return out.join('\n');
}

export const PROVIDER_LEGEND = `
How to read the provider scenarios
- Each provider answers in its own dialect from the simulator's provider logic on the virtual clock
  (bench/quota/provider-upstream.ts); the engine is the real pool with the proxy's model planning.
- capacity: per owner (keys of one owner are one quota), each meter counted as the provider counts
  it over the day (bench/quota/provider-capacity.ts): buckets (Groq, Cerebras) a full bucket plus
  the day's refill; Gemini's day ends at midnight Los Angeles (two periods in a UTC day);
  OpenRouter's :free pool is one per account over all free models; bounded by what was offered.
- client 429 w/ quota left: client 429s while some owner of one of the demand's targets would
  still have admitted the request at that instant (read from the upstream's counters).
- upstream 429s: max = the most any (provider, owner, model or pool, meter, window) got; a bucket
  has no window, so its 429s are binned by the meter's length (a day for RPD) from the start.
- STALLED: the run needed more than its wall-clock budget and was stopped where it was.`;
