import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { makeAccount, makeSnapshot, rateLimit } from '../../app/test-support/snapshots';
import type { Snapshot } from '../../../shared/snapshot';
import { createMetrics, outcomeOf, PROMETHEUS_CONTENT_TYPE } from './metrics';
import { parsePrometheusText, valueOf, valueOrZero } from './test-support/prom-text';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

function setup(snapshot: Snapshot = makeSnapshot()) {
  let current = snapshot;
  const metrics = createMetrics({ snapshot: () => current, now: () => NOW });
  return {
    metrics,
    setSnapshot: (next: Snapshot) => (current = next),
    scrape: async () => parsePrometheusText(await metrics.render()),
  };
}

describe('createMetrics', () => {
  it('renders strict Prometheus text with every family typed', async () => {
    const { scrape } = setup();
    const families = await scrape();
    expect(families.get('switchyard_requests_total')?.type).toBe('counter');
    expect(families.get('switchyard_upstream_rate_limits_total')?.type).toBe('counter');
    expect(families.get('switchyard_rotations_total')?.type).toBe('counter');
    expect(families.get('switchyard_cooldown_seconds')?.type).toBe('gauge');
    expect(families.get('switchyard_upstream_latency_seconds')?.type).toBe('histogram');
    expect(families.get('switchyard_proxy_added_seconds')?.type).toBe('histogram');
    expect(valueOf(families, 'switchyard_in_flight_requests')).toBe(0);
    expect(valueOf(families, 'switchyard_queued_requests')).toBe(0);
  });

  it('counts answered requests by route, model, account and outcome', async () => {
    const { metrics, scrape } = setup();
    const base = { route: 'chat' as const, model: 'openai/gpt-4o-mini', stream: false, addedMs: 0.4, totalMs: 20 };
    metrics.proxied({ ...base, account: 'GITHUB_TOKEN', status: 200 });
    metrics.proxied({ ...base, account: 'GITHUB_TOKEN', status: 200 });
    metrics.proxied({ ...base, account: 'GITHUB_TOKEN2', status: 200 });
    metrics.proxied({ ...base, account: null, status: 429 });
    metrics.proxied({ ...base, route: 'embeddings', model: 'openai/text-embedding-3-small', account: null, status: 502 });
    const f = await scrape();
    expect(valueOf(f, 'switchyard_requests_total', { account: 'GITHUB_TOKEN', outcome: 'served', route: 'chat' })).toBe(2);
    expect(valueOf(f, 'switchyard_requests_total', { account: 'GITHUB_TOKEN2', outcome: 'served' })).toBe(1);
    expect(valueOf(f, 'switchyard_requests_total', { account: 'none', outcome: 'rate_limited' })).toBe(1);
    expect(valueOf(f, 'switchyard_requests_total', { route: 'embeddings', outcome: 'error' })).toBe(1);
  });

  it('puts the added time into fine low buckets (0.4 ms is above 0.25 ms and within 0.5 ms)', async () => {
    const { metrics, scrape } = setup();
    metrics.proxied({ route: 'chat', model: 'm', account: 'A', status: 200, stream: false, addedMs: 0.4, totalMs: 10 });
    const f = await scrape();
    expect(valueOf(f, 'switchyard_proxy_added_seconds_bucket', { route: 'chat', le: '0.0001' })).toBe(0);
    expect(valueOf(f, 'switchyard_proxy_added_seconds_bucket', { route: 'chat', le: '0.00025' })).toBe(0);
    expect(valueOf(f, 'switchyard_proxy_added_seconds_bucket', { route: 'chat', le: '0.0005' })).toBe(1);
    expect(valueOf(f, 'switchyard_proxy_added_seconds_count', { route: 'chat' })).toBe(1);
    expect(valueOf(f, 'switchyard_proxy_added_seconds_sum', { route: 'chat' })).toBeCloseTo(0.0004, 9);
  });

  it('counts upstream responses, 429s by limit type, latency and rotations from pool observations', async () => {
    const { metrics, scrape } = setup();
    const model = 'openai/gpt-4o-mini';
    metrics.observe({ type: 'upstream', account: 'GITHUB_TOKEN', login: 'alice', model, status: 429, limitType: 'UserByModelByDay', latencyMs: 30 });
    metrics.observe({ type: 'rotation', from: 'GITHUB_TOKEN', to: 'GITHUB_TOKEN2', model, reason: 'UserByModelByDay' });
    metrics.observe({ type: 'upstream', account: 'GITHUB_TOKEN2', login: 'bob', model, status: 200, limitType: null, latencyMs: 700 });
    metrics.observe({ type: 'upstream', account: 'GITHUB_TOKEN2', login: 'bob', model, status: 429, limitType: 'UserByMinute', latencyMs: 10 });
    metrics.observe({ type: 'outcome', account: 'GITHUB_TOKEN2', model, outcome: 'served' });
    metrics.observe({ type: 'queue', queued: 3, inFlight: 1 });
    const f = await scrape();
    expect(valueOf(f, 'switchyard_upstream_rate_limits_total', { limit_type: 'UserByModelByDay', account: 'GITHUB_TOKEN' })).toBe(1);
    expect(valueOf(f, 'switchyard_upstream_rate_limits_total', { limit_type: 'UserByMinute', account: 'GITHUB_TOKEN2' })).toBe(1);
    expect(valueOf(f, 'switchyard_upstream_responses_total', { account: 'GITHUB_TOKEN2', status: '200' })).toBe(1);
    expect(valueOf(f, 'switchyard_rotations_total', { from: 'GITHUB_TOKEN', to: 'GITHUB_TOKEN2', reason: 'UserByModelByDay' })).toBe(1);
    expect(valueOf(f, 'switchyard_upstream_latency_seconds_count', { model })).toBe(3);
    expect(valueOf(f, 'switchyard_upstream_latency_seconds_bucket', { model, le: '0.5' })).toBe(2);
    expect(valueOf(f, 'switchyard_upstream_latency_seconds_bucket', { model, le: '1' })).toBe(3);
    // 'outcome' is not double-counted into requests; requests come from the proxy's side.
    expect(valueOrZero(f, 'switchyard_requests_total')).toBe(0);
  });

  it('counts every fallback of a route by its first and its answering target', async () => {
    const { metrics, scrape } = setup();
    const fallback = { route: 'llama-3.3-70b', from: 'groq/llama-3.3-70b-versatile', to: 'cerebras/llama-3.3-70b' };
    metrics.routeFallback(fallback);
    metrics.routeFallback(fallback);
    metrics.routeFallback({ ...fallback, to: 'nvidia/meta/llama-3.3-70b-instruct' });
    const f = await scrape();
    expect(f.get('switchyard_route_fallbacks_total')?.type).toBe('counter');
    expect(valueOf(f, 'switchyard_route_fallbacks_total', fallback)).toBe(2);
    expect(valueOf(f, 'switchyard_route_fallbacks_total', { ...fallback, to: 'nvidia/meta/llama-3.3-70b-instruct' })).toBe(1);
  });

  it('reads cooldowns, in-flight, queued and accounts from the snapshot at scrape time', async () => {
    const snapshot = makeSnapshot({
      startId: 'beefcafe',
      accounts: [
        makeAccount({ key: 'GITHUB_TOKEN', status: 'ok', blocks: [rateLimit('openai/gpt-4o-mini', NOW + 3_900_000), { ...rateLimit('openai/gpt-4o', NOW - 1), limitType: 'UserByModelByMinute' }, { ...rateLimit('openai/o1', 0), reason: 'forbidden', until: null, limitType: null }] }),
        makeAccount({ key: 'GITHUB_TOKEN2', status: 'cooling', userBlock: { limitType: 'UserByMinute', until: NOW + 42_000, retryAfterSeconds: 42, source: 'retry-after' } }),
      ],
      traffic: { inFlight: 2, queued: 5, history: [], bucketMs: 60_000 },
      exhaustedModels: [{ model: 'openai/gpt-4o-mini', until: NOW + 3_900_000 }],
    });
    const { scrape, setSnapshot } = setup(snapshot);
    let f = await scrape();
    expect(valueOf(f, 'switchyard_cooldown_seconds', { account: 'GITHUB_TOKEN', model: 'openai/gpt-4o-mini', limit_type: 'UserByModelByDay' })).toBe(3900);
    expect(valueOf(f, 'switchyard_cooldown_seconds', { account: 'GITHUB_TOKEN2', model: '*', limit_type: 'UserByMinute' })).toBe(42);
    expect(valueOrZero(f, 'switchyard_cooldown_seconds', { model: 'openai/gpt-4o' })).toBe(0);
    expect(f.get('switchyard_cooldown_seconds')?.samples).toHaveLength(2);
    expect(valueOf(f, 'switchyard_in_flight_requests')).toBe(2);
    expect(valueOf(f, 'switchyard_queued_requests')).toBe(5);
    expect(valueOf(f, 'switchyard_accounts', { status: 'ok' })).toBe(1);
    expect(valueOf(f, 'switchyard_accounts', { status: 'cooling' })).toBe(1);
    expect(valueOf(f, 'switchyard_exhausted_models')).toBe(1);
    expect(valueOf(f, 'switchyard_info', { start_id: 'beefcafe' })).toBe(1);

    setSnapshot(makeSnapshot({ startId: 'beefcafe' }));
    f = await scrape();
    expect(f.get('switchyard_cooldown_seconds')?.samples).toHaveLength(0);
    expect(valueOf(f, 'switchyard_in_flight_requests')).toBe(0);
  });

  it('keeps each instance in its own registry (two engines in one process)', async () => {
    const one = setup();
    const two = setup();
    one.metrics.proxied({ route: 'chat', model: 'm', account: 'A', status: 200, stream: false, addedMs: 1, totalMs: 2 });
    expect(valueOf(await one.scrape(), 'switchyard_requests_total', { account: 'A' })).toBe(1);
    expect(valueOrZero(await two.scrape(), 'switchyard_requests_total', { account: 'A' })).toBe(0);
  });

  it("serves prom-client's own content type without loading it first", () => {
    expect(setup().metrics.contentType).toBe(new Registry().contentType);
    expect(PROMETHEUS_CONTENT_TYPE).toBe(new Registry().contentType);
  });

  it('counts what happened before the first scrape (prom-client loads on first use)', async () => {
    const { metrics, scrape } = setup();
    metrics.observe({ type: 'rotation', from: 'A', to: 'B', model: 'm', reason: 'UserByModelByDay' });
    metrics.routeFallback({ route: 'r', from: 'groq/x', to: 'cerebras/x' });
    metrics.proxied({ route: 'chat', model: 'm', account: 'B', status: 200, stream: false, addedMs: 1, totalMs: 2 });
    const families = await scrape();
    expect(valueOf(families, 'switchyard_requests_total', { account: 'B' })).toBe(1);
    expect(valueOf(families, 'switchyard_rotations_total', { from: 'A', to: 'B' })).toBe(1);
    expect(valueOf(families, 'switchyard_route_fallbacks_total', { route: 'r' })).toBe(1);
  });

  it('hands the same registry to whoever asks (the Redis store registers its metrics there)', async () => {
    const { metrics } = setup();
    expect(metrics.registry).toBe(metrics.registry);
    expect(metrics.registry.getSingleMetric('switchyard_requests_total')).toBeDefined();
  });

  it('maps statuses to outcomes', () => {
    expect([200, 204, 429, 400, 404, 499, 500, 502, 503].map(outcomeOf)).toEqual(['served', 'served', 'rate_limited', 'client_error', 'client_error', 'client_error', 'error', 'error', 'error']);
  });
});

describe('parsePrometheusText (the strict reader the tests rely on)', () => {
  it('rejects malformed text', () => {
    expect(() => parsePrometheusText('no_type_declared 1\n')).toThrow(/undeclared/);
    expect(() => parsePrometheusText('# TYPE a counter\na{x="1"} one\n')).toThrow(/bad value/);
    expect(() => parsePrometheusText('# TYPE a counter\na{x=1} 1\n')).toThrow(/bad label/);
    expect(() => parsePrometheusText('# TYPE a counter\na{x="1" 1\n')).toThrow();
    expect(() => parsePrometheusText('# TYPE a bogus\na 1\n')).toThrow(/bad TYPE/);
    expect(() => parsePrometheusText('# TYPE a counter\na 1 2 3 4\n')).toThrow(/bad value part/);
  });

  it('reads labels with escapes and histogram suffixes', () => {
    const f = parsePrometheusText('# HELP h a histogram\n# TYPE h histogram\nh_bucket{le="+Inf",m="a\\"b\\\\c"} 2\nh_sum 0.5\nh_count 2\n');
    expect(valueOf(f, 'h_bucket', { le: '+Inf', m: 'a"b\\c' })).toBe(2);
    expect(valueOf(f, 'h_count')).toBe(2);
  });
});
