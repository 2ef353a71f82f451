import { networkInterfaces } from 'node:os';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSnapshot } from '../../app/test-support/snapshots';
import { startHarness, type Harness } from '../test-support/harness';
import { installErrorHandlers } from './error-handler';
import { createMetrics } from './metrics';
import { metricsRoutes } from './routes/metrics';
import { parsePrometheusText, valueOf, valueOrZero } from './test-support/prom-text';

const MODEL = 'openai/gpt-4o-mini';

describe('GET /metrics on the real engine', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const scrape = async () => {
    const response = await fetch(`${h.origin}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return parsePrometheusText(await response.text());
  };
  const chat = () => h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();

  it('parses as Prometheus text and needs no key from this machine', async () => {
    const families = await scrape();
    expect(families.get('switchyard_requests_total')?.type).toBe('counter');
    expect(valueOf(families, 'switchyard_accounts', { status: 'ok' }) + valueOf(families, 'switchyard_accounts', { status: 'checking' })).toBe(2);
    expect(valueOf(families, 'switchyard_info', { start_id: h.engine.snapshot().startId })).toBe(1);
  });

  it('moves request, upstream and added-time counters with traffic', async () => {
    const before = await scrape();
    const { response } = await chat();
    const account = response.headers.get('x-switchyard-account') as string;
    await chat();
    const after = await scrape();
    const served = { route: 'chat', model: MODEL, account, outcome: 'served' };
    expect(valueOrZero(after, 'switchyard_requests_total', served) - valueOrZero(before, 'switchyard_requests_total', served)).toBe(2);
    const ok = { account, model: MODEL, status: '200' };
    expect(valueOrZero(after, 'switchyard_upstream_responses_total', ok) - valueOrZero(before, 'switchyard_upstream_responses_total', ok)).toBe(2);
    expect(valueOf(after, 'switchyard_proxy_added_seconds_count', { route: 'chat' }) - valueOrZero(before, 'switchyard_proxy_added_seconds_count', { route: 'chat' })).toBe(2);
    expect(valueOf(after, 'switchyard_upstream_latency_seconds_count', { model: MODEL })).toBeGreaterThanOrEqual(2);
  });

  it('counts a 429 by limit type and the rotation it caused, and shows the cooldown', async () => {
    const { response } = await chat();
    const first = response.headers.get('x-switchyard-account') as string;
    const login = h.engine.snapshot().accounts.find((a) => a.key === first)?.login as string;
    expect(h.sim.control.exhaust(login, MODEL, 'UserByModelByDay')).toBe(true);
    const before = await scrape();
    const { response: rotated } = await chat();
    const second = rotated.headers.get('x-switchyard-account') as string;
    expect(second).not.toBe(first);
    const after = await scrape();
    const limited = { limit_type: 'UserByModelByDay', account: first, model: MODEL };
    expect(valueOf(after, 'switchyard_upstream_rate_limits_total', limited) - valueOrZero(before, 'switchyard_upstream_rate_limits_total', limited)).toBe(1);
    const rotation = { from: first, to: second, model: MODEL };
    expect(valueOf(after, 'switchyard_rotations_total', rotation) - valueOrZero(before, 'switchyard_rotations_total', rotation)).toBe(1);
    const cooldown = valueOf(after, 'switchyard_cooldown_seconds', { account: first, model: MODEL });
    expect(cooldown).toBeGreaterThan(60);
    expect(cooldown).toBeLessThanOrEqual(86_400);
    expect(valueOf(after, 'switchyard_requests_total', { account: second, outcome: 'served', model: MODEL })).toBeGreaterThanOrEqual(1);
  });
});

const external = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe.skipIf(!external)('GET /metrics from another address', () => {
  const ADMIN_KEY = 'A'.repeat(43);
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = Fastify();
    installErrorHandlers(app);
    await metricsRoutes(app, { metrics: createMetrics({ snapshot: () => makeSnapshot() }), adminKey: ADMIN_KEY });
    await app.listen({ host: '0.0.0.0', port: 0 });
    const { port } = app.server.address() as { port: number };
    url = `http://${external}:${port}/metrics`;
  });
  afterAll(() => app.close());

  it('requires the admin key as a bearer token, saying so', async () => {
    const missing = await fetch(url);
    expect(missing.status).toBe(401);
    const body = (await missing.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('metrics_key_required');
    expect(body.error.message).toContain('admin.key');
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  });

  it('answers with the admin key', async () => {
    const answer = await fetch(url, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(answer.status).toBe(200);
    expect(parsePrometheusText(await answer.text()).has('switchyard_requests_total')).toBe(true);
  });
});
