import { afterEach, describe, expect, it } from 'vitest';
import { rateLimitMessage } from './replies';
import { startSimulator, type Simulator } from './server';
import type { SimulatorOptions } from './options';
import { request } from 'undici';
import { call, chat, rateLimitHeaders, until } from './test-client';

const ALICE = 'ghp_testAlice0000000000000000000000000001';
const BOB = 'ghp_testBob000000000000000000000000000002';
const PRO = 'ghp_testPro000000000000000000000000000003';

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

async function start(options: SimulatorOptions = {}) {
  sim = await startSimulator({
    users: [
      { token: ALICE, login: 'alice' },
      { token: BOB, login: 'bob', forbiddenModels: ['gpt-4.1'] },
      { token: PRO, login: 'pro-user', plan: 'pro' },
    ],
    ...options,
  });
  return sim;
}

function clock() {
  const c = { t: 1_700_000_000_000, now: () => c.t };
  return c;
}

describe('chat completions', () => {
  it('answers a chat.completion with the prefixed model id and the fake 200 headers', async () => {
    const s = await start({ now: () => 1_700_000_000_500 });
    const r = await chat(s, ALICE, { model: 'OpenAI/GPT-4o-mini' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['x-ratelimit-limit-requests']).toBe('20000');
    expect(r.headers['x-ratelimit-renewalperiod-requests']).toBe('60');
    const body = JSON.parse(r.text);
    expect(body).toMatchObject({ object: 'chat.completion', created: 1_700_000_000, model: 'openai/gpt-4o-mini' });
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(body.choices[0].message.role).toBe('assistant');
    expect(body.choices[0].message.content).toMatch(/^Hello from openai\/gpt-4o-mini as alice\./);
    expect(body.choices[0].finish_reason).toBe('stop');
    const words = body.choices[0].message.content.split(' ').length;
    expect(body.usage).toEqual({ prompt_tokens: 1, completion_tokens: words, total_tokens: words + 1 });
  });

  it('is deterministic and honours max_tokens', async () => {
    const s = await start();
    const a = JSON.parse((await chat(s, ALICE, { model: 'openai/gpt-4o-mini' })).text);
    const b = JSON.parse((await chat(s, ALICE, { model: 'openai/gpt-4o-mini' })).text);
    expect(a.choices[0].message.content).toBe(b.choices[0].message.content);
    const short = JSON.parse((await chat(s, ALICE, { model: 'openai/gpt-4o-mini', max_tokens: 3 })).text);
    expect(short.choices[0].message.content).toBe('Hello from openai/gpt-4o-mini');
    expect(short.choices[0].finish_reason).toBe('length');
    expect(short.usage.completion_tokens).toBe(3);
  });

  it('serves the org-scoped path and ignores api-version', async () => {
    const s = await start();
    const r = await call(s, '/orgs/acme/inference/chat/completions?api-version=2024-05-01-preview', {
      token: ALICE,
      body: { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(r.status).toBe(200);
  });
});

describe('latency', () => {
  it('holds the quota slot before the headers; a hang-up during it is an abort and frees the slot', async () => {
    const s = await start({ latencyMs: 60_000 });
    const controller = new AbortController();
    const pending = request(`${s.url}/inference/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ALICE}` },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [] }),
      signal: controller.signal,
    });
    await until(() => s.control.usage('alice', 'openai/gpt-4o-mini').inFlight === 1);
    expect(s.stats().totals).toMatchObject({ inFlight: 1, byStatus: {} });
    controller.abort();
    await expect(pending).rejects.toThrow();
    await until(() => s.stats().totals.aborted === 1);
    expect(s.control.usage('alice', 'openai/gpt-4o-mini')).toMatchObject({ inFlight: 0, minute: { count: 1 } });
    s.control.setLatency(0);
    expect((await chat(s, ALICE, { model: 'openai/gpt-4o-mini' })).status).toBe(200);
  });
});

describe('errors', () => {
  it('401 for a missing or unknown bearer', async () => {
    const s = await start();
    const expected = { error: { code: 'unauthorized', message: 'Bad credentials', details: 'Bad credentials' } };
    for (const token of [null, 'ghp_nobody']) {
      const r = await chat(s, token, { model: 'openai/gpt-4o-mini' });
      expect(r.status).toBe(401);
      expect(JSON.parse(r.text)).toEqual(expected);
    }
  });

  it('404 unknown_model as text/plain for bare and unknown ids', async () => {
    const s = await start();
    for (const id of ['gpt-4o-mini', 'openai/gpt-9']) {
      const r = await chat(s, ALICE, { model: id });
      expect(r.status).toBe(404);
      expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
      const body = JSON.parse(r.text);
      expect(body.error.code).toBe('unknown_model');
      expect(body.error.message).toBe(`Unknown model: ${id}`);
      expect(typeof body.error.details).toBe('string');
    }
  });

  it('bare 403 for a model outside the plan or in forbiddenModels', async () => {
    const s = await start();
    const o3 = await chat(s, ALICE, { model: 'openai/o3' });
    expect([o3.status, o3.text]).toEqual([403, 'Forbidden']);
    expect((await chat(s, PRO, { model: 'openai/o3' })).status).toBe(200);
    const forbidden = await chat(s, BOB, { model: 'openai/gpt-4.1' });
    expect([forbidden.status, forbidden.text]).toEqual([403, 'Forbidden']);
    expect((await chat(s, BOB, { model: 'openai/gpt-4o-mini' })).status).toBe(200);
  });

  it('413 tokens_limit_reached above the model input limit (chars/4)', async () => {
    const s = await start();
    const body = { model: 'openai/gpt-5', messages: [{ role: 'user', content: 'x'.repeat(4 * 4000 + 1) }] };
    const r = await chat(s, PRO, body);
    expect(r.status).toBe(413);
    const message = 'Request body too large for gpt-5 model. Max size: 4000 tokens.';
    expect(JSON.parse(r.text)).toEqual({ error: { code: 'tokens_limit_reached', message, details: message } });
    const fits = await chat(s, PRO, { ...body, messages: [{ role: 'user', content: 'x'.repeat(4 * 4000) }] });
    expect(fits.status).toBe(200);
  });

  it('400 for a body that is not JSON', async () => {
    const s = await start();
    const r = await call(s, '/inference/chat/completions', { token: ALICE, body: '{nope' });
    expect(r.status).toBe(400);
  });
});

describe('quota 429s', () => {
  const opts = { limits: { perMinute: 1, perDay: 100, concurrent: 5 } };

  it("'full': every rate-limit header and the JSON body", async () => {
    const c = clock();
    const s = await start({ ...opts, now: c.now });
    expect((await chat(s, ALICE, { model: 'openai/gpt-4o-mini' })).status).toBe(200);
    c.t += 15_200;
    const r = await chat(s, ALICE, { model: 'openai/gpt-4o-mini' });
    expect(r.status).toBe(429);
    expect(r.headers['content-type']).toBe('application/json');
    expect(rateLimitHeaders(r)).toEqual({
      'retry-after': '45',
      'x-ratelimit-type': 'UserByModelByMinute',
      'x-ratelimit-timeremaining': '45',
      'x-ms-error-code': 'RateLimitReached',
    });
    const message = 'Rate limit of 1 per 60s exceeded for UserByModelByMinute. Please wait 45 seconds before retrying.';
    expect(JSON.parse(r.text)).toEqual({ error: { code: 'RateLimitReached', message, details: message } });
  });

  it.each([
    ['retry-after', { 'retry-after': '60' }, 'application/json'],
    ['timeremaining', { 'x-ratelimit-timeremaining': '60' }, 'application/json'],
    ['body', {}, 'text/plain; charset=utf-8'],
  ] as const)("'%s' variant", async (variant, headers, contentType) => {
    const s = await start({ ...opts, now: () => 0, rateLimitVariant: variant });
    await chat(s, ALICE, { model: 'openai/gpt-4o-mini' });
    const r = await chat(s, ALICE, { model: 'openai/gpt-4o-mini' });
    expect(r.status).toBe(429);
    expect(rateLimitHeaders(r)).toEqual(headers);
    expect(r.headers['content-type']).toBe(contentType);
    expect(JSON.parse(r.text).error.message).toBe(
      rateLimitMessage({ limitType: 'UserByModelByMinute', limit: 1, windowSeconds: 60, waitSeconds: 60 }),
    );
  });

  it("'mixed' cycles through the four shapes", async () => {
    const s = await start({ ...opts, now: () => 0, rateLimitVariant: 'mixed' });
    await chat(s, ALICE, { model: 'openai/gpt-4o-mini' });
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await chat(s, ALICE, { model: 'openai/gpt-4o-mini' });
      seen.push(Object.keys(rateLimitHeaders(r)).join(',') || r.headers['content-type'] || '');
    }
    expect(seen).toEqual([
      'retry-after,x-ratelimit-type,x-ratelimit-timeremaining,x-ms-error-code',
      'retry-after',
      'x-ratelimit-timeremaining',
      'text/plain; charset=utf-8',
    ]);
  });

  it('day window, per-model independence, per-user independence, reopening windows', async () => {
    const c = clock();
    const s = await start({ now: c.now, limits: { perMinute: 10, perDay: 2, concurrent: 5 } });
    expect((await chat(s, ALICE, { model: 'openai/gpt-4o-mini' })).status).toBe(200);
    c.t += 3600_000;
    expect((await chat(s, ALICE, { model: 'openai/gpt-4o-mini' })).status).toBe(200);
    const blocked = await chat(s, ALICE, { model: 'openai/gpt-4o-mini' });
    expect(blocked.status).toBe(429);
    expect(rateLimitHeaders(blocked)).toMatchObject({ 'x-ratelimit-type': 'UserByModelByDay', 'retry-after': String(86400 - 3600) });
    expect((await chat(s, ALICE, { model: 'openai/gpt-4.1' })).status).toBe(200);
    expect((await chat(s, BOB, { model: 'openai/gpt-4o-mini' })).status).toBe(200);
    c.t += (86400 - 3600) * 1000;
    expect((await chat(s, ALICE, { model: 'openai/gpt-4o-mini' })).status).toBe(200);
    const key = s.stats().perKey.find((k) => k.login === 'alice' && k.model === 'openai/gpt-4o-mini');
    expect(key).toMatchObject({ requests: 4, served: 3, byStatus: { 200: 3, 429: 1 }, rateLimited: { UserByModelByDay: 1 } });
  });

  it('control.exhaust makes the next request hit the chosen limit', async () => {
    const s = await start({ now: () => 0 });
    expect(s.control.exhaust('alice', 'openai/gpt-4o-mini', 'UserByModelByDay')).toBe(true);
    const r = await chat(s, ALICE, { model: 'openai/gpt-4o-mini' });
    expect(JSON.parse(r.text).error.message).toBe(
      'Rate limit of 150 per 86400s exceeded for UserByModelByDay. Please wait 86400 seconds before retrying.',
    );
    s.control.resetQuota();
    expect((await chat(s, ALICE, { model: 'openai/gpt-4o-mini' })).status).toBe(200);
  });

  it('UserByMinute and UserByModelByMinuteTokens when configured', async () => {
    const s = await start({ now: () => 0, userPerMinute: 1, tokensPerMinute: 10, limits: { perMinute: 10, perDay: 10, concurrent: 5 } });
    const big = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(44) }] };
    const tokens = await chat(s, ALICE, big);
    expect(rateLimitHeaders(tokens)['x-ratelimit-type']).toBe('UserByModelByMinuteTokens');
    expect((await chat(s, ALICE, { model: 'openai/gpt-4o-mini' })).status).toBe(200);
    const user = await chat(s, ALICE, { model: 'openai/gpt-4.1' });
    expect(rateLimitHeaders(user)['x-ratelimit-type']).toBe('UserByMinute');
  });
});
