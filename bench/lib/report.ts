/** The bench's table and its verdict against the targets of issue 7. */

export interface Row {
  metric: string;
  direct: string;
  proxy: string;
  result: string;
  target: string;
  met: boolean | null;
}

export const TARGETS = {
  addedP50Ms: 0.3,
  addedP99Ms: 2,
  chunkP99Ms: 1,
  throughputRatio: 0.5,
  idleRssMb: 60,
  startupMs: 500,
} as const;

export const fmtMs = (v: number) => `${v.toFixed(3)} ms`;
export const fmtMb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

export function renderTable(rows: readonly Row[]): string {
  const head = ['metric', 'direct', 'through proxy', 'result', 'target', 'met'];
  const cells = rows.map((r) => [r.metric, r.direct, r.proxy, r.result, r.target, r.met === null ? '' : r.met ? 'yes' : 'NO']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
