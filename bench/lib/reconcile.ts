import type { SimulatorStats } from '../../main/simulator';
import { parsePrometheusText, type Sample } from '../../main/core/proxy/test-support/prom-text';
import type { Tally } from './soak-load';

/**
 * Do the engine's counters (GET /metrics) agree with what the simulator saw and what the client got?
 *
 * Upstream side, per attempt:
 *  - switchyard_upstream_responses_total{status=s} = simulator byStatus[s], for every status s > 0;
 *  - its status "0" (no response: reset before any byte, or a hang cut by the first-byte timeout)
 *    = simulator requests − Σ byStatus (requests that got no status line);
 *  - hence Σ over all statuses = simulator requests (every attempt is counted once on each side);
 *  - switchyard_upstream_rate_limits_total (all types) = simulator 429s.
 * Client side, per request:
 *  - switchyard_requests_total{outcome=served} = answers with status 200 (streams that failed
 *    midway included: their 200 had gone out), rate_limited = 429s, client_error = other 4xx, error = 5xx;
 *  - simulator `served` (200s sent to the end) = complete successes the client received.
 */

export interface Check {
  name: string;
  engine: number;
  other: number;
  equal: boolean;
}

export interface Reconciliation {
  ok: boolean;
  checks: Check[];
  /** By limit type: engine's reading of the injected 429s vs the type the simulator injected (informative). */
  rateLimitTypes: Record<string, { engine: number; simulator: number }>;
}

const sum = (samples: Sample[]) => samples.reduce((s, x) => s + x.value, 0);

export function reconcile(sim: SimulatorStats, metricsText: string, tally: Tally): Reconciliation {
  const families = parsePrometheusText(metricsText);
  const samples = (name: string) => families.get(name)?.samples.filter((s) => s.name === name) ?? [];
  const upstream = samples('switchyard_upstream_responses_total');
  const byUpstreamStatus = (status: string) => sum(upstream.filter((s) => s.labels.status === status));
  const requests = samples('switchyard_requests_total');
  const byOutcome = (outcome: string) => sum(requests.filter((s) => s.labels.outcome === outcome));
  const limits = samples('switchyard_upstream_rate_limits_total');

  const checks: Check[] = [];
  const check = (name: string, engine: number, other: number) => checks.push({ name, engine, other, equal: engine === other });
  const t = sim.totals;
  const statuses = new Set([...Object.keys(t.byStatus), ...upstream.map((s) => s.labels.status ?? '').filter((s) => s !== '0')]);
  for (const status of [...statuses].sort()) check(`upstream status ${status}: engine vs simulator`, byUpstreamStatus(status), t.byStatus[status] ?? 0);
  const withStatus = Object.values(t.byStatus).reduce((s, n) => s + n, 0);
  check('upstream no response (status 0): engine vs simulator requests without a status', byUpstreamStatus('0'), t.requests - withStatus);
  check('upstream attempts: engine vs simulator requests', sum(upstream), t.requests);
  check('upstream 429s: engine rate-limit counter vs simulator', sum(limits), t.byStatus['429'] ?? 0);

  const clientStatus = (pred: (s: number) => boolean) => Object.entries(tally.byStatus).reduce((n, [s, c]) => (pred(Number(s)) ? n + c : n), 0);
  check('requests served: engine vs client 200s', byOutcome('served'), clientStatus((s) => s >= 200 && s < 400));
  check('requests rate-limited: engine vs client 429s', byOutcome('rate_limited'), clientStatus((s) => s === 429));
  check('requests refused 4xx: engine vs client', byOutcome('client_error'), clientStatus((s) => s >= 400 && s < 500 && s !== 429));
  check('requests failed 5xx: engine vs client', byOutcome('error'), clientStatus((s) => s >= 500));
  check('complete successes: simulator served vs client ok', t.served, tally.byOutcome.ok ?? 0);

  const rateLimitTypes: Reconciliation['rateLimitTypes'] = {};
  for (const s of limits) {
    const type = s.labels.limit_type ?? '?';
    rateLimitTypes[type] = { engine: (rateLimitTypes[type]?.engine ?? 0) + s.value, simulator: t.rateLimited[type as keyof typeof t.rateLimited] ?? 0 };
  }
  for (const [type, n] of Object.entries(t.rateLimited)) rateLimitTypes[type] ??= { engine: 0, simulator: n ?? 0 };
  return { ok: checks.every((c) => c.equal), checks, rateLimitTypes };
}
