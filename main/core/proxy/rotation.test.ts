import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../test-support/harness';

const MINI = 'openai/gpt-4o-mini';
const GPT41 = 'openai/gpt-4.1';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const ask = (model = 'gpt-4o-mini') =>
  fetch(`${h.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });
const account = (key: string) => h.engine.snapshot().accounts.find((a) => a.key === key)!;
const upstreamCalls = () => h.sim.stats().totals.requests;

describe('limit-aware rotation through the proxy, against the simulator', () => {
  it('moves the next request to the other account when one hits its daily limit; the client sees 200', async () => {
    h = await startHarness();
    h.sim.control.exhaust('alice', MINI, 'UserByModelByDay');
    const response = await ask();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-account')).toBe('GITHUB_TOKEN2');
    const block = account('GITHUB_TOKEN').blocks.find((b) => b.model === MINI);
    expect(block).toMatchObject({ reason: 'rate-limit', limitType: 'UserByModelByDay' });
    expect(block!.retryAfterSeconds!).toBeGreaterThan(3600);
    const events = await h.engine.getEvents({ kind: 'rotated' });
    expect(events.at(-1)).toMatchObject({ from: 'GITHUB_TOKEN', to: 'GITHUB_TOKEN2', model: MINI, reason: 'UserByModelByDay' });
    expect(h.engine.snapshot().currentKey).toBe('GITHUB_TOKEN2');
  });

  it('keeps a limit on model A from blocking model B', async () => {
    h = await startHarness();
    h.sim.control.exhaust('alice', MINI, 'UserByModelByDay');
    expect((await ask()).headers.get('x-switchyard-account')).toBe('GITHUB_TOKEN2');
    h.sim.control.exhaust('bob', GPT41, 'UserByModelByDay');
    const other = await ask('gpt-4.1');
    expect(other.status).toBe(200);
    expect(other.headers.get('x-switchyard-account')).toBe('GITHUB_TOKEN');
    expect(account('GITHUB_TOKEN').blocks.map((b) => b.model)).toEqual([MINI]);
    expect(account('GITHUB_TOKEN2').blocks.map((b) => b.model)).toEqual([GPT41]);
  });

  for (const variant of ['full', 'retry-after', 'timeremaining', 'body'] as const) {
    it(`reads a 429 sent as "${variant}"`, async () => {
      h = await startHarness();
      h.sim.control.failNext('429', { login: 'alice', variant, limitType: 'UserByModelByDay', seconds: 5000 });
      const response = await ask();
      expect(response.status).toBe(200);
      expect(response.headers.get('x-switchyard-account')).toBe('GITHUB_TOKEN2');
      const block = account('GITHUB_TOKEN').blocks.find((b) => b.model === MINI)!;
      expect(block.limitType).toBe('UserByModelByDay');
      expect(block.retryAfterSeconds).toBeGreaterThanOrEqual(4990);
      expect(block.retryAfterSeconds).toBeLessThanOrEqual(5000);
    });
  }

  it('treats UserByMinute as the whole user, all models', async () => {
    h = await startHarness();
    h.sim.control.failNext('429', { login: 'alice', limitType: 'UserByMinute', seconds: 40 });
    expect((await ask()).headers.get('x-switchyard-account')).toBe('GITHUB_TOKEN2');
    expect(account('GITHUB_TOKEN').userBlock).toMatchObject({ limitType: 'UserByMinute' });
  });

  it('waits for the earliest reset when it is within the bounded wait, then serves', async () => {
    h = await startHarness({ settings: { maxWaitMs: 5_000 } });
    h.sim.control.failNext('429', { login: 'alice', limitType: 'UserByModelByMinute', seconds: 1 });
    h.sim.control.failNext('429', { login: 'bob', limitType: 'UserByModelByMinute', seconds: 1 });
    const response = await ask();
    expect(response.status).toBe(200);
    expect(upstreamCalls()).toBe(3);
  });

  it('answers an honest 429 when every account is spent beyond the wait, and stops asking upstream', async () => {
    h = await startHarness();
    h.sim.control.exhaust('alice', MINI, 'UserByModelByDay');
    h.sim.control.exhaust('bob', MINI, 'UserByModelByDay');
    const first = await ask();
    expect(first.status).toBe(429);
    const retryAfter = Number(first.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3600);
    const earliest = Math.min(...['GITHUB_TOKEN', 'GITHUB_TOKEN2'].map((k) => account(k).blocks[0]!.retryAfterSeconds!));
    expect(Math.abs(retryAfter - earliest)).toBeLessThanOrEqual(2);
    const body = (await first.json()) as { error: { message: string; type: string; code: string } };
    expect(body.error.type).toBe('rate_limit_error');
    for (const part of ['GITHUB_TOKEN', 'alice', 'GITHUB_TOKEN2', 'bob', 'UserByModelByDay']) expect(body.error.message).toContain(part);
    const calls = upstreamCalls();
    const second = await ask();
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBeTruthy();
    expect(upstreamCalls()).toBe(calls);
  });

  it('marks an account whose token GitHub refuses (401) invalid and moves on', async () => {
    h = await startHarness();
    h.sim.control.failNext('401', { login: 'alice' });
    expect((await ask()).headers.get('x-switchyard-account')).toBe('GITHUB_TOKEN2');
    expect(account('GITHUB_TOKEN')).toMatchObject({ status: 'invalid' });
    expect(account('GITHUB_TOKEN').statusReason).toMatch(/Bad credentials/);
  });

  it('marks a model forbidden (403) for that account only', async () => {
    h = await startHarness();
    h.sim.control.failNext('403', { login: 'alice' });
    expect((await ask()).headers.get('x-switchyard-account')).toBe('GITHUB_TOKEN2');
    expect(account('GITHUB_TOKEN').blocks).toEqual([expect.objectContaining({ model: MINI, reason: 'forbidden' })]);
    expect(account('GITHUB_TOKEN').status).toBe('ok');
  });

  for (const fault of ['500', '503', 'reset', 'reset-mid', 'hang'] as const) {
    it(`retries elsewhere after upstream ${fault}`, async () => {
      h = await startHarness({ settings: { timeouts: { firstByteMs: 800, connectMs: 1000, idleMs: 1000, totalDeadlineMs: 20_000 } } });
      h.sim.control.failNext(fault, { login: 'alice' });
      const response = await ask();
      expect(response.status).toBe(200);
      expect(response.headers.get('x-switchyard-account')).toBe('GITHUB_TOKEN2');
      expect(account('GITHUB_TOKEN').failures).toBe(1);
    });
  }
});

describe("the old system's settings", () => {
  it('spaces requests to one model (ENABLE_MODEL_THROTTLING): the second waits, it is not rejected', async () => {
    h = await startHarness({ env: { ENABLE_MODEL_THROTTLING: '1', MODEL_MIN_INTERVAL_MS: '600' } });
    const started = performance.now();
    const [a, b] = await Promise.all([ask(), ask()]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const sent = h.sim.stats().recent.filter((r) => r.endpoint === 'chat').map((r) => r.at).sort((x, y) => x - y);
    expect(sent).toHaveLength(2);
    expect(sent[1]! - sent[0]!).toBeGreaterThanOrEqual(550);
    expect(performance.now() - started).toBeGreaterThanOrEqual(550);
  });

  it('limits each client inbound (RATE_LIMIT_PER_MINUTE) with Retry-After and an OpenAI-shaped 429', async () => {
    h = await startHarness({ env: { RATE_LIMIT_ENABLED: '1', RATE_LIMIT_PER_MINUTE: '2' } });
    expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(200);
    const third = await ask();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await third.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'inbound_rate_limit' } });
    expect(upstreamCalls()).toBe(2);
  });
});
