import type { LatencyResult, PathResult, StreamResult, ThroughputResult } from './phases';

/**
 * The bench's table and its verdict against the targets of issue 16. Every latency and throughput
 * target is a ratio to the minimal reference proxy measured in the same run (the inherent cost of
 * a Node.js hop on this machine); memory and start-up are absolute.
 */

export const TARGETS = {
  /** Switchyard's added median ≤ this × the minimal proxy's, at 100 and at 500 req/s. */
  addedP50Ratio: 1.3,
  /** Switchyard's added p99 at 500 req/s ≤ this × the minimal proxy's. */
  addedP99At500Ratio: 2,
  /** JavaScript heap allocated per JSON request in the serve process, bytes. */
  allocPerRequestBytes: 20 * 1024,
  /** Saturated throughput ≥ this share of the minimal proxy's. */
  throughputOfMinimal: 0.8,
  /** Stream chunk forwarding delay p99 ≤ this × the minimal proxy's. */
  chunkP99Ratio: 1.3,
  idleRssMb: 70,
  startupMs: 400,
} as const;

/**
 * An "added" figure is a difference of two percentiles and can come out at or below zero for the
 * minimal proxy in a noisy run; ratios are taken over at least this much (ms) so they stay finite.
 */
export const RATIO_FLOOR_MS = 0.05;

export interface Row {
  metric: string;
  direct: string;
  reference: string;
  proxy: string;
  /** Switchyard's figure against the minimal proxy's (× or %), where the target is a ratio. */
  ratio: string;
  target: string;
  met: boolean | null;
}

export const fmtMs = (v: number) => `${v.toFixed(3)} ms`;
export const fmtMb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
export const fmtKb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const fmtX = (v: number) => `${v.toFixed(2)} ×`;
const withAdded = (p: PathResult | undefined, pick: 'p50' | 'p99') => (p ? `${fmtMs(p.latency[pick])} (+${(pick === 'p50' ? p.addedP50 : p.addedP99).toFixed(3)})` : 'n/a');
const ratioOf = (sy: number, ref: number) => sy / Math.max(ref, RATIO_FLOOR_MS);

export interface Allocation {
  proxy: { perRequest: number; requests: number; scavenges: number; gcMs: number } | null;
  reference: { perRequest: number; requests: number; scavenges: number; gcMs: number } | null;
}

export interface Measured {
  at100: LatencyResult;
  at500: LatencyResult;
  streams: StreamResult;
  throughput: ThroughputResult;
  allocation: Allocation;
  rss: { proxyIdle: number; proxyPeak: number; proxyAfter: number; referenceIdle: number | null };
  startupMs: number[];
}

function latencyRow(at: LatencyResult, pick: 'p50' | 'p99', limit: number | null): Row {
  const sy = at.paths.proxy;
  const ref = at.paths.reference;
  const syAdded = sy ? (pick === 'p50' ? sy.addedP50 : sy.addedP99) : Number.NaN;
  const refAdded = ref ? (pick === 'p50' ? ref.addedP50 : ref.addedP99) : Number.NaN;
  const ratio = ratioOf(syAdded, refAdded);
  return {
    metric: `JSON chat @${at.rate} req/s ${pick} (added)`,
    direct: at.paths.direct ? fmtMs(at.paths.direct.latency[pick]) : 'n/a',
    reference: withAdded(ref, pick),
    proxy: withAdded(sy, pick),
    ratio: fmtX(ratio),
    target: limit === null ? '' : `added ≤ ${limit} × minimal's`,
    met: limit === null ? null : ratio <= limit,
  };
}

export function buildRows(m: Measured): Row[] {
  const median = [...m.startupMs].sort((a, b) => a - b)[Math.floor(m.startupMs.length / 2)] ?? Number.NaN;
  const rows: Row[] = [
    latencyRow(m.at100, 'p50', TARGETS.addedP50Ratio),
    latencyRow(m.at100, 'p99', null),
    latencyRow(m.at500, 'p50', TARGETS.addedP50Ratio),
    latencyRow(m.at500, 'p99', TARGETS.addedP99At500Ratio),
  ];
  rows.push({ metric: 'x-switchyard-overhead-ms @500 p50 / p99', direct: '', reference: '', proxy: `${fmtMs(m.at500.overheadHeader.p50)} / ${fmtMs(m.at500.overheadHeader.p99)}`, ratio: '', target: '', met: null });

  const a = m.allocation;
  const allocCell = (x: Allocation['proxy']) => (x ? `${fmtKb(x.perRequest)} (${x.scavenges} scavenges, ${x.gcMs.toFixed(1)} ms GC / ${x.requests} req)` : 'n/a');
  rows.push({
    metric: 'heap allocated per JSON request @500',
    direct: '',
    reference: allocCell(a.reference),
    proxy: allocCell(a.proxy),
    ratio: a.proxy && a.reference ? fmtX(a.proxy.perRequest / a.reference.perRequest) : '',
    target: `≤ ${TARGETS.allocPerRequestBytes / 1024} KB`,
    met: a.proxy ? a.proxy.perRequest <= TARGETS.allocPerRequestBytes : false,
  });

  const s = m.streams.paths;
  for (const pick of ['p50', 'p99'] as const) {
    const sy = s.proxy?.latency[pick] ?? Number.NaN;
    const ref = s.reference?.latency[pick] ?? Number.NaN;
    rows.push({
      metric: `stream chunk delay ${pick} (added)`,
      direct: s.direct ? fmtMs(s.direct.latency[pick]) : 'n/a',
      reference: withAdded(s.reference, pick),
      proxy: withAdded(s.proxy, pick),
      ratio: fmtX(sy / ref),
      target: pick === 'p99' ? `delay ≤ ${TARGETS.chunkP99Ratio} × minimal's` : '',
      met: pick === 'p99' ? sy / ref <= TARGETS.chunkP99Ratio : null,
    });
  }

  const t = m.throughput.paths;
  const ofMinimal = t.proxy && t.reference ? t.proxy.rps / t.reference.rps : Number.NaN;
  const rps = (p: typeof t.direct) => (p ? `${p.rps} req/s (${(p.ratio * 100).toFixed(1)} % of direct)` : 'n/a');
  rows.push({ metric: `throughput, ${m.throughput.clients} clients`, direct: t.direct ? `${t.direct.rps} req/s` : 'n/a', reference: rps(t.reference), proxy: rps(t.proxy), ratio: `${(ofMinimal * 100).toFixed(1)} %`, target: `≥ ${TARGETS.throughputOfMinimal * 100} % of minimal's`, met: ofMinimal >= TARGETS.throughputOfMinimal });
  const cpu = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : fmtMs(v));
  const syCpu = t.proxy?.cpuPerRequest.proxy;
  const refCpu = t.reference?.cpuPerRequest.proxy;
  rows.push({ metric: 'CPU per request: proxy process (simulator)', direct: `(${cpu(t.direct?.cpuPerRequest.simulator)})`, reference: `${cpu(refCpu)} (${cpu(t.reference?.cpuPerRequest.simulator)})`, proxy: `${cpu(syCpu)} (${cpu(t.proxy?.cpuPerRequest.simulator)})`, ratio: syCpu && refCpu ? fmtX(syCpu / refCpu) : '', target: '', met: null });
  rows.push({ metric: 'RSS idle', direct: '', reference: m.rss.referenceIdle === null ? 'n/a' : fmtMb(m.rss.referenceIdle), proxy: fmtMb(m.rss.proxyIdle), ratio: '', target: `≤ ${TARGETS.idleRssMb} MB`, met: m.rss.proxyIdle <= TARGETS.idleRssMb * 2 ** 20 });
  rows.push({ metric: 'RSS peak under load / 2 s after', direct: '', reference: '', proxy: `${fmtMb(m.rss.proxyPeak)} / ${fmtMb(m.rss.proxyAfter)}`, ratio: '', target: '', met: null });
  rows.push({ metric: `start → /health 200 (median of ${m.startupMs.length})`, direct: '', reference: '', proxy: `${fmtMs(median)} (${m.startupMs.map((v) => v.toFixed(0)).join(', ')})`, ratio: '', target: `≤ ${TARGETS.startupMs} ms`, met: median <= TARGETS.startupMs });
  return rows;
}

/** A plain table: `head` names the columns, each row gives every cell. */
export function renderGrid(head: readonly string[], cells: ReadonlyArray<readonly string[]>): string {
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) => `| ${head.map((_, i) => (c[i] ?? '').padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

export function renderTable(rows: readonly Row[]): string {
  const head = ['metric', 'direct', 'minimal proxy (added)', 'Switchyard (added)', 'Switchyard ÷ minimal', 'target', 'met'];
  return renderGrid(head, rows.map((r) => [r.metric, r.direct, r.reference, r.proxy, r.ratio, r.target, r.met === null ? '' : r.met ? 'yes' : 'NO']));
}
