import type { LatencyResult, PathResult, StreamResult, ThroughputResult } from './phases';

/** The bench's table and its verdict against the targets of issue 7. */

export const TARGETS = {
  addedP50Ms: 0.3,
  addedP99Ms: 2,
  chunkP99Ms: 1,
  throughputRatio: 0.5,
  idleRssMb: 60,
  startupMs: 500,
} as const;

export interface Row {
  metric: string;
  direct: string;
  reference: string;
  proxy: string;
  target: string;
  met: boolean | null;
}

export const fmtMs = (v: number) => `${v.toFixed(3)} ms`;
export const fmtMb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const withAdded = (p: PathResult | undefined, pick: 'p50' | 'p99') => (p ? `${fmtMs(p.latency[pick])} (+${(pick === 'p50' ? p.addedP50 : p.addedP99).toFixed(3)})` : 'n/a');

export interface Measured {
  at100: LatencyResult;
  at500: LatencyResult;
  streams: StreamResult;
  throughput: ThroughputResult;
  rss: { proxyIdle: number; proxyPeak: number; proxyAfter: number; referenceIdle: number | null };
  startupMs: number[];
}

export function buildRows(m: Measured): Row[] {
  const median = [...m.startupMs].sort((a, b) => a - b)[Math.floor(m.startupMs.length / 2)] ?? Number.NaN;
  const rows: Row[] = [];
  for (const at of [m.at100, m.at500]) {
    for (const pick of ['p50', 'p99'] as const) {
      const sy = at.paths.proxy;
      const limit = pick === 'p50' ? TARGETS.addedP50Ms : TARGETS.addedP99Ms;
      const addedMs = sy ? (pick === 'p50' ? sy.addedP50 : sy.addedP99) : Number.NaN;
      rows.push({ metric: `JSON chat @${at.rate} req/s ${pick} (added)`, direct: at.paths.direct ? fmtMs(at.paths.direct.latency[pick]) : 'n/a', reference: withAdded(at.paths.reference, pick), proxy: withAdded(sy, pick), target: `added ≤ ${limit} ms`, met: addedMs <= limit });
    }
  }
  rows.push({ metric: 'x-switchyard-overhead-ms @500 p50 / p99', direct: '', reference: '', proxy: `${fmtMs(m.at500.overheadHeader.p50)} / ${fmtMs(m.at500.overheadHeader.p99)}`, target: '', met: null });
  for (const pick of ['p50', 'p99'] as const) {
    const sy = m.streams.paths.proxy;
    rows.push({ metric: `stream chunk delay ${pick} (added)`, direct: m.streams.paths.direct ? fmtMs(m.streams.paths.direct.latency[pick]) : 'n/a', reference: withAdded(m.streams.paths.reference, pick), proxy: withAdded(sy, pick), target: pick === 'p99' ? `added ≤ ${TARGETS.chunkP99Ms} ms` : '', met: pick === 'p99' ? (sy?.addedP99 ?? Number.NaN) <= TARGETS.chunkP99Ms : null });
  }
  const t = m.throughput.paths;
  const rps = (p: typeof t.direct) => (p ? `${p.rps} req/s (${(p.ratio * 100).toFixed(1)} %)` : 'n/a');
  rows.push({ metric: `throughput, ${m.throughput.clients} clients (% of direct)`, direct: t.direct ? `${t.direct.rps} req/s` : 'n/a', reference: rps(t.reference), proxy: rps(t.proxy), target: `≥ ${TARGETS.throughputRatio * 100} %`, met: (t.proxy?.ratio ?? 0) >= TARGETS.throughputRatio });
  const cpu = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : fmtMs(v));
  rows.push({ metric: 'CPU per request: proxy process (simulator)', direct: `(${cpu(t.direct?.cpuPerRequest.simulator)})`, reference: `${cpu(t.reference?.cpuPerRequest.proxy)} (${cpu(t.reference?.cpuPerRequest.simulator)})`, proxy: `${cpu(t.proxy?.cpuPerRequest.proxy)} (${cpu(t.proxy?.cpuPerRequest.simulator)})`, target: '', met: null });
  rows.push({ metric: 'RSS idle', direct: '', reference: m.rss.referenceIdle === null ? 'n/a' : fmtMb(m.rss.referenceIdle), proxy: fmtMb(m.rss.proxyIdle), target: `≤ ${TARGETS.idleRssMb} MB`, met: m.rss.proxyIdle <= TARGETS.idleRssMb * 2 ** 20 });
  rows.push({ metric: 'RSS peak under load / 2 s after', direct: '', reference: '', proxy: `${fmtMb(m.rss.proxyPeak)} / ${fmtMb(m.rss.proxyAfter)}`, target: '', met: null });
  rows.push({ metric: `start → /health 200 (median of ${m.startupMs.length})`, direct: '', reference: '', proxy: `${fmtMs(median)} (${m.startupMs.map((s) => s.toFixed(0)).join(', ')})`, target: `≤ ${TARGETS.startupMs} ms`, met: median <= TARGETS.startupMs });
  return rows;
}

export function renderTable(rows: readonly Row[]): string {
  const head = ['metric', 'direct', 'minimal proxy (added)', 'Switchyard (added)', 'target', 'met'];
  const cells = rows.map((r) => [r.metric, r.direct, r.reference, r.proxy, r.target, r.met === null ? '' : r.met ? 'yes' : 'NO']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
