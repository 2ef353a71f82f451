import { createRequire } from 'node:module';
import type { Registry } from 'prom-client';
import type { Snapshot } from '../../../shared/snapshot';
import type { PoolObservation } from '../pool/pool-deps';
import type { DialectName } from './dialects/types';

export interface ProxiedInfo {
  /** The client dialect the request came in. */
  route: DialectName;
  model: string;
  account: string | null;
  status: number;
  stream: boolean;
  /** Time the proxy itself added (total minus upstream time to headers minus waits), ms. */
  addedMs: number;
  totalMs: number;
}

/** Fine at the low end: the proxy's own work is usually well under a millisecond. */
export const ADDED_TIME_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
export const UPSTREAM_LATENCY_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];

export interface Metrics {
  /** This engine's own registry (never prom-client's global one: several engines can share a process). Reading it loads prom-client. */
  readonly registry: Registry;
  readonly contentType: string;
  /** Wire to the pool's `observe`: upstream responses, 429s by limit type, rotations. */
  observe(observation: PoolObservation): void;
  /** Wire to ProxyDeps.onProxied: each answered request with the proxy's own added time. */
  proxied(info: ProxiedInfo): void;
  /** A route's request answered by a later target than the first it tried. */
  routeFallback(fallback: { route: string; from: string; to: string }): void;
  /** Prometheus text; gauges of current state (cooldowns, in flight, queued, accounts) are read from the snapshot now. */
  render(): Promise<string>;
}

export interface MetricsOptions {
  snapshot: () => Snapshot;
  now?: () => number;
}

export function outcomeOf(status: number): 'served' | 'rate_limited' | 'client_error' | 'error' {
  if (status >= 200 && status < 400) return 'served';
  if (status === 429) return 'rate_limited';
  if (status >= 400 && status < 500) return 'client_error';
  return 'error';
}

/** The Prometheus text format's content type, as prom-client's Registry says it (metrics.test.ts checks they agree). */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * prom-client, loaded on first use (the first counted request or scrape, or the Redis store
 * registering its metrics) rather than at start: `/health` answers before its modules are loaded,
 * and a server nobody has used yet does not hold them. It is CommonJS, so it loads synchronously
 * on that first use and no count is ever buffered or lost.
 */
let promClient: typeof import('prom-client') | null = null;
const loadPromClient = () => (promClient ??= createRequire(import.meta.url)('prom-client') as typeof import('prom-client'));

/**
 * The Prometheus metrics of one engine (names in the table of docs in routes/metrics.ts):
 * counters move as the pool and the proxy report; gauges of current state are computed at scrape
 * time from the one snapshot every view uses, so /metrics never disagrees with the dashboard.
 */
export function createMetrics(options: MetricsOptions): Metrics {
  const now = options.now ?? Date.now;
  let built: ReturnType<typeof buildMetrics> | null = null;
  const m = () => (built ??= buildMetrics());

  function buildMetrics() {
    const { Counter, Gauge, Histogram, Registry } = loadPromClient();
    const registry = new Registry();
    const registers = [registry];
    const requests = new Counter({ name: 'switchyard_requests_total', help: 'Requests answered by the proxy, by route, model, serving account and outcome (served, rate_limited, client_error, error).', labelNames: ['route', 'model', 'account', 'outcome'] as const, registers });
    const upstreamResponses = new Counter({ name: 'switchyard_upstream_responses_total', help: 'Responses from GitHub Models per account, model and HTTP status (status "0": no response — network error or timeout).', labelNames: ['account', 'model', 'status'] as const, registers });
    const rateLimits = new Counter({ name: 'switchyard_upstream_rate_limits_total', help: 'Upstream 429s by limit type (x-ratelimit-type), account and model.', labelNames: ['limit_type', 'account', 'model'] as const, registers });
    const rotations = new Counter({ name: 'switchyard_rotations_total', help: 'Requests moved from one account to another, by reason.', labelNames: ['from', 'to', 'model', 'reason'] as const, registers });
    const routeFallbacks = new Counter({ name: 'switchyard_route_fallbacks_total', help: 'Requests of a route answered by a later target ({provider}/{model}) because the first one tried could not serve.', labelNames: ['route', 'from', 'to'] as const, registers });
    const upstreamLatency = new Histogram({ name: 'switchyard_upstream_latency_seconds', help: 'Time from sending a request upstream to its response headers, per attempt.', labelNames: ['model'] as const, buckets: UPSTREAM_LATENCY_BUCKETS, registers });
    const addedTime = new Histogram({ name: 'switchyard_proxy_added_seconds', help: "The proxy's own added time per request (total minus upstream time and waits); also in the x-switchyard-overhead-ms response header.", labelNames: ['route'] as const, buckets: ADDED_TIME_BUCKETS, registers });

    const cooldown = new Gauge({ name: 'switchyard_cooldown_seconds', help: 'Seconds until a rate-limit block ends, per account and model (model "*": a user-wide limit).', labelNames: ['account', 'model', 'limit_type'] as const, registers });
    const inFlight = new Gauge({ name: 'switchyard_in_flight_requests', help: 'Requests being served upstream now.', registers });
    const queued = new Gauge({ name: 'switchyard_queued_requests', help: 'Requests waiting (throttling, concurrency or an account reset).', registers });
    const accounts = new Gauge({ name: 'switchyard_accounts', help: 'Accounts by status (ok, cooling, invalid, disabled, circuit-open, checking).', labelNames: ['status'] as const, registers });
    const exhausted = new Gauge({ name: 'switchyard_exhausted_models', help: 'Models no usable account can serve right now.', registers });
    const info = new Gauge({ name: 'switchyard_info', help: 'Always 1; labels carry the version and this process start id (it changes on every restart).', labelNames: ['version', 'start_id'] as const, registers });
    const startTime = new Gauge({ name: 'switchyard_start_time_seconds', help: 'When this process started (Unix time).', registers });

    function readState(snapshot: Snapshot): void {
      const at = now();
      cooldown.reset();
      for (const account of snapshot.accounts) {
        for (const block of account.blocks) {
          if (block.reason === 'rate-limit' && block.until !== null && block.until > at) cooldown.set({ account: account.key, model: block.model, limit_type: block.limitType ?? 'Unknown' }, (block.until - at) / 1000);
        }
        const user = account.userBlock;
        if (user && user.until > at) cooldown.set({ account: account.key, model: '*', limit_type: user.limitType }, (user.until - at) / 1000);
      }
      inFlight.set(snapshot.traffic.inFlight);
      queued.set(snapshot.traffic.queued);
      accounts.reset();
      for (const status of ['ok', 'cooling', 'invalid', 'disabled', 'circuit-open', 'checking', 'retired'] as const) accounts.set({ status }, snapshot.accounts.filter((a) => a.status === status).length);
      exhausted.set(snapshot.exhaustedModels.length);
      info.reset();
      info.set({ version: snapshot.version, start_id: snapshot.startId }, 1);
      startTime.set(Math.floor(snapshot.startedAt / 1000));
    }

    return { registry, requests, upstreamResponses, rateLimits, rotations, routeFallbacks, upstreamLatency, addedTime, readState };
  }

  return {
    get registry() {
      return m().registry;
    },
    contentType: PROMETHEUS_CONTENT_TYPE,
    observe(observation) {
      const { upstreamResponses, rateLimits, upstreamLatency, rotations } = m();
      switch (observation.type) {
        case 'upstream':
          upstreamResponses.inc({ account: observation.account, model: observation.model, status: String(observation.status) });
          if (observation.status === 429) rateLimits.inc({ limit_type: observation.limitType ?? 'Unknown', account: observation.account, model: observation.model });
          upstreamLatency.observe({ model: observation.model }, Math.max(0, observation.latencyMs) / 1000);
          break;
        case 'rotation':
          rotations.inc({ from: observation.from, to: observation.to, model: observation.model, reason: observation.reason });
          break;
        default:
          // 'outcome' is counted from the proxy's side (proxied), 'queue' is read from the snapshot at scrape time.
          break;
      }
    },
    routeFallback({ route, from, to }) {
      m().routeFallbacks.inc({ route, from, to });
    },
    proxied(info) {
      const { requests, addedTime } = m();
      requests.inc({ route: info.route, model: info.model, account: info.account ?? 'none', outcome: outcomeOf(info.status) });
      addedTime.observe({ route: info.route }, Math.max(0, info.addedMs) / 1000);
    },
    async render() {
      const { readState, registry } = m();
      readState(options.snapshot());
      return registry.metrics();
    },
  };
}
