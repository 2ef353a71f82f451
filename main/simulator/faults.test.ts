import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector, type FaultAction } from './faults';
import { startSimulator, type Simulator } from './server';
import { chat, rateLimitHeaders, until } from './test-client';

const ALICE = 'ghp_testAlice0000000000000000000000000001';
const BOB = 'ghp_testBob000000000000000000000000000002';
const users = [
  { token: ALICE, login: 'alice' },
  { token: BOB, login: 'bob' },
];
const chatTarget = { endpoint: 'chat' as const, login: 'alice', model: 'openai/gpt-4o-mini' };

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

function post(s: Simulator, body: Record<string, unknown>, signal?: AbortSignal) {
  return request(`${s.url}/inference/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ALICE}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...body }),
    signal,
  });
}

describe('FaultInjector', () => {
  it('injects 429s that cover every variant and limit type within 20 draws', () => {
    const f = new FaultInjector({ rate429: 1, seed: 7 });
    const pairs = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const a = f.next(chatTarget);
      if (a?.kind !== '429') throw new Error('expected a 429');
      pairs.add(`${a.variant}/${a.limitType}`);
      if (a.limitType === 'UserConcurrentRequests') expect(a.seconds).toBe(0);
      else {
        expect(a.seconds).toBeGreaterThanOrEqual(1);
        expect(a.seconds).toBeLessThanOrEqual(60);
      }
    }
    expect(pairs.size).toBe(20);
  });

  it('is reproducible from its seed', () => {
    const run = (seed: number) => {
      const f = new FaultInjector({ rate429: 0.2, rate5xx: 0.2, rateReset: 0.1, rateHang: 0.1, rateSlow: 0.1, seed });
      return Array.from({ length: 50 }, () => f.next(chatTarget));
    };
    const a = run(3);
    expect(run(3)).toEqual(a);
    expect(run(4)).not.toEqual(a);
    const kinds = new Set(a.map((x: FaultAction | null) => x?.kind ?? 'none'));
    expect([...kinds].sort()).toEqual(['429', '5xx', 'hang', 'none', 'reset', 'slow']);
  });

  it('plays scripted faults first, filtered by login and model, count times', () => {
    const f = new FaultInjector();
    f.failNext('502', { login: 'Bob', model: 'gpt-4o-mini', count: 2 });
    expect(f.next(chatTarget)).toBeNull();
    const bob = { ...chatTarget, login: 'bob' };
    expect(f.next({ ...bob, model: 'openai/gpt-4.1' })).toBeNull();
    expect(f.next(bob)).toEqual({ kind: '5xx', status: 502, html: false });
    expect(f.next({ ...bob, endpoint: 'embeddings' })).toEqual({ kind: '5xx', status: 502, html: false });
    expect(f.next(bob)).toBeNull();
    f.failNext('hang', { endpoint: 'catalog' });
    expect(f.next(bob)).toBeNull();
    expect(f.next({ endpoint: 'catalog', login: null, model: null })).toEqual({ kind: 'hang' });
  });
});

describe('faults over sockets', () => {
  it('a scripted 429 carries the given type, wait and shape, without using quota', async () => {
    const s = (sim = await startSimulator({ users }));
    s.control.failNext('429', { limitType: 'UserByModelByDay', seconds: 5631 });
    s.control.failNext('429', { limitType: 'UserByMinute', seconds: 12, variant: 'retry-after' });
    const r = await chat(s, ALICE, { model: 'openai/gpt-4.1' });
    expect(r.status).toBe(429);
    expect(rateLimitHeaders(r)).toEqual({
      'retry-after': '5631',
      'x-ratelimit-type': 'UserByModelByDay',
      'x-ratelimit-timeremaining': '5631',
      'x-ms-error-code': 'RateLimitReached',
    });
    const message = 'Rate limit of 50 per 86400s exceeded for UserByModelByDay. Please wait 5631 seconds before retrying.';
    expect(JSON.parse(r.text)).toEqual({ error: { code: 'RateLimitReached', message, details: message } });
    const second = await chat(s, ALICE, { model: 'openai/gpt-4.1' });
    expect(rateLimitHeaders(second)).toEqual({ 'retry-after': '12' });
    expect(s.control.usage('alice', 'openai/gpt-4.1').day.count).toBe(0);
    expect(s.stats().totals).toMatchObject({ faults: 2, rateLimited: { UserByModelByDay: 1, UserByMinute: 1 } });
  });

  it('5xx with a JSON body or an HTML page; scripted 401 and 403', async () => {
    const s = (sim = await startSimulator({ users }));
    s.control.failNext('500');
    s.control.failNext('502', { html: true });
    s.control.failNext('401');
    s.control.failNext('403');
    const a = await chat(s, ALICE, { model: 'openai/gpt-4o-mini' });
    expect([a.status, a.headers['content-type']]).toEqual([500, 'application/json']);
    expect(JSON.parse(a.text).error.code).toBe('InternalServerError');
    const b = await chat(s, ALICE, { model: 'openai/gpt-4o-mini' });
    expect([b.status, b.headers['content-type']]).toEqual([502, 'text/html']);
    expect(b.text).toContain('502 Bad Gateway');
    expect((await chat(s, ALICE, { model: 'openai/gpt-4o-mini' })).status).toBe(401);
    const d = await chat(s, ALICE, { model: 'openai/gpt-4o-mini' });
    expect([d.status, d.text]).toEqual([403, 'Forbidden']);
    expect((await chat(s, ALICE, { model: 'openai/gpt-4o-mini' })).status).toBe(200);
  });

  it('reset before the response: the client sees a socket error; a fault, not an abort', async () => {
    const s = (sim = await startSimulator({ users }));
    s.control.failNext('reset');
    await expect(post(s, {})).rejects.toThrow();
    await until(() => s.stats().totals.inFlight === 0);
    expect(s.stats().recent.at(-1)).toMatchObject({ status: 0, fault: 'reset', aborted: false });
    expect(s.stats().totals).toMatchObject({ aborted: 0, served: 0 });
  });

  it('reset mid-response: headers and part of the body, then the connection drops', async () => {
    const s = (sim = await startSimulator({ users }));
    s.control.failNext('reset-mid', { count: 2 });
    const json = await post(s, {});
    expect(json.statusCode).toBe(200);
    await expect(json.body.text()).rejects.toThrow();
    const stream = await post(s, { stream: true });
    expect(stream.statusCode).toBe(200);
    let received = '';
    await expect(
      (async () => {
        for await (const piece of stream.body) received += String(piece);
      })(),
    ).rejects.toThrow();
    expect(received).toContain('"role":"assistant"');
    expect(received).not.toContain('[DONE]');
    await until(() => s.stats().totals.inFlight === 0);
    expect(s.stats().totals).toMatchObject({ served: 0, aborted: 0, faults: 2 });
  });

  it('hang: never answers; the client hang-up is counted as aborted', async () => {
    const s = (sim = await startSimulator({ users }));
    s.control.failNext('hang');
    const controller = new AbortController();
    const pending = post(s, {}, controller.signal);
    await until(() => s.stats().perKey.some((k) => k.inFlight === 1));
    controller.abort();
    await expect(pending).rejects.toThrow();
    await until(() => s.stats().totals.aborted === 1);
    expect(s.stats().recent.at(-1)).toMatchObject({ status: 0, fault: 'hang', aborted: true });
    expect(s.stats().totals.inFlight).toBe(0);
  });

  it('slow: the scripted delay comes before the headers', async () => {
    const s = (sim = await startSimulator({ users }));
    s.control.failNext('slow', { delayMs: 60_000 });
    const controller = new AbortController();
    const pending = post(s, { stream: true }, controller.signal);
    await until(() => s.control.usage('alice', 'openai/gpt-4o-mini').inFlight === 1);
    expect(s.stats().totals.byStatus).toEqual({});
    controller.abort();
    await expect(pending).rejects.toThrow();
    await until(() => s.stats().totals.aborted === 1);
    expect(s.stats().recent.at(-1)).toMatchObject({ fault: 'slow', aborted: true, stream: true });
  });

  it('seeded random faults give the same answers for the same requests', async () => {
    const statuses = async (seed: number) => {
      const s = await startSimulator({ users, faults: { rate429: 0.3, rate5xx: 0.3, rateReset: 0.1, seed } });
      const seen: Array<string> = [];
      try {
        for (let i = 0; i < 24; i++) {
          try {
            const r = await chat(s, i % 2 ? ALICE : BOB, { model: 'openai/gpt-4o-mini' });
            seen.push(`${r.status}:${r.headers['x-ratelimit-type'] ?? ''}:${r.headers['content-type']}`);
          } catch {
            seen.push('error');
          }
        }
      } finally {
        await s.close();
      }
      return seen;
    };
    const first = await statuses(11);
    expect(await statuses(11)).toEqual(first);
    expect(new Set(first.map((x) => x.split(':')[0])).size).toBeGreaterThanOrEqual(3);
  });
});
