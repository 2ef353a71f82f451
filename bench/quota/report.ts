import type { StrategyResult } from './run-strategy';

export { PROVIDER_LEGEND, renderProviderTable, type ProviderScenarioResult } from './provider-report';

export interface ScenarioResult {
  scenario: string;
  accounts: Array<{ key: string; login: string; plan: string }>;
  models: string[];
  demandFactor: number;
  offered: number;
  capacity: number;
  strategies: StrategyResult[];
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The upstream 429 cell: total, and the most any one (user, model, window) got, plus concurrency ones. */
function upstreamCell(r: StrategyResult): string {
  const conc = r.upstream429ByType.UserConcurrentRequests ?? 0;
  const windowed = r.upstream429 - conc;
  return `${windowed} (max ${r.windows.maxPerWindow}/win)${conc > 0 ? ` +${conc} conc` : ''}`;
}

const COLUMNS = ['strategy', 'served / capacity', 'client 429 w/ quota left', 'upstream 429s', 'added wait mean', 'p95'];

function row(r: StrategyResult): string[] {
  return [r.label, `${r.served}/${r.capacity} = ${pct(r.servedOfCapacity)}`, `${r.client429WithQuota} of ${r.client429}`, upstreamCell(r), secs(r.waitMeanMs), secs(r.waitP95Ms)];
}

/** A plain-text table, one block per scenario. */
export function renderTable(results: readonly ScenarioResult[]): string {
  const rows = results.flatMap((s) => s.strategies.map(row));
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  const out: string[] = [];
  for (const s of results) {
    out.push('', `${s.scenario}: ${s.offered} requests offered (demand ${s.demandFactor}x the daily caps + bursts), capacity ${s.capacity}`, line(COLUMNS), rule);
    for (const r of s.strategies) out.push(line(row(r)));
  }
  return out.join('\n');
}

/** A Markdown table (for notes and the README). */
export function renderMarkdown(results: readonly ScenarioResult[]): string {
  const out = [`| scenario | ${COLUMNS.join(' | ')} |`, `|${'---|'.repeat(COLUMNS.length + 1)}`];
  for (const s of results) for (const r of s.strategies) out.push(`| ${s.scenario} | ${row(r).join(' | ')} |`);
  return out.join('\n');
}

export const LEGEND = `
How to read it
- A request is one client request; a strategy may make several upstream attempts for it.
- capacity: per model, the smaller of the requests offered and the sum over the accounts allowed
  to use it of the documented daily limit (limits/table.ts, which the simulator enforces). Over one
  day each (login, model) has one day window, and demand is above that cap for every model, so
  per-minute and concurrency limits only delay requests, they never lower the total.
- client 429 w/ quota left: 429s a client got while some account still had room in that model's
  minute and day windows at that moment (read from the simulator's quota model), of all client 429s.
- upstream 429s: 429s upstream sent for a minute/day window, with the most any one (user, model,
  window) got; "conc" = UserConcurrentRequests 429s (no window).
- added wait: for served requests, time from arrival to answer minus the upstream call that served it.
- ideal scheduler: reads the quota model directly and never earns a 429; it shows what the limits
  and the 20 s bounded wait allow, as a reference.`;

const mark = (ok: boolean) => (ok ? 'MET   ' : 'MISSED');

/** The engine's targets from issue 3, checked per scenario for every engine row. */
export function renderTargets(results: readonly ScenarioResult[], isEngine: (r: StrategyResult) => boolean): string {
  const out = ['', 'Engine targets'];
  for (const s of results) {
    for (const r of s.strategies.filter(isEngine)) {
      const conc = r.upstream429ByType.UserConcurrentRequests ?? 0;
      out.push(
        `${s.scenario} / ${r.label}`,
        `  ${mark(r.servedOfCapacity >= 0.999)} served >= 99.9 % of capacity: ${pct(r.servedOfCapacity)}`,
        `  ${mark(r.client429WithQuota === 0)} no client 429 while quota remained: ${r.client429WithQuota}`,
        `  ${mark(r.windows.maxPerWindow <= 1 && conc === 0)} at most one upstream 429 per (user, model, window): max ${r.windows.maxPerWindow}, ${r.windows.windowsOverOne} windows with more; ${conc} concurrency 429s`,
        `  ${mark(r.upstream429 === 0)} zero upstream 429s (bundled limits = simulator's): ${r.upstream429}`,
      );
    }
  }
  return out.join('\n');
}
