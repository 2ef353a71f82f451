import { describe, expect, it } from 'vitest';
import type { SimulatorOptions } from '../options';
import { failure, hi, raw, sdk, simulators, virtualClock } from './test-client';

const open = simulators();

const FREE_A = 'meta-llama/llama-3.3-70b-instruct:free';
const FREE_B = 'google/gemma-4-31b-it:free';
const CHAT = '/openrouter/api/v1/chat/completions';

async function start(options: SimulatorOptions = {}) {
  return open({
    keys: [
      { provider: 'openrouter', key: 'sk-or-v1-a1', owner: 'alice' },
      { provider: 'openrouter', key: 'sk-or-v1-a2', owner: 'alice' },
      { provider: 'openrouter', key: 'sk-or-v1-b', owner: 'bob', creditsPurchased: true },
      { provider: 'openrouter', key: 'sk-or-v1-broke', owner: 'carol', balance: -1 },
    ],
    ...options,
  });
}

describe('OpenRouter dialect', () => {
  it('the :free models share one pool per account: free-models-per-day, reset in epoch ms at 00:00 UTC; GET /key reflects it', async () => {
    const clock = virtualClock(Date.UTC(2026, 8, 1, 12, 0, 0));
    const s = await start({ now: clock.now, providers: { openrouter: { limits: { rpd: 3, rpm: null } } } });
    await raw(s, CHAT, 'sk-or-v1-a1', hi(FREE_A));
    await raw(s, CHAT, 'sk-or-v1-a2', hi(FREE_B));
    const key = (await raw(s, '/openrouter/api/v1/key', 'sk-or-v1-a1')).json().data;
    expect(key.free_model_daily_requests).toEqual({ used: 2, limit: 3, remaining: 1 });
    expect(key.is_free_tier).toBe(true);
    await raw(s, CHAT, 'sk-or-v1-a1', hi(FREE_B));
    const limited = await raw(s, CHAT, 'sk-or-v1-a2', hi(FREE_A));
    expect(limited.status).toBe(429);
    const error = limited.json().error;
    expect(error.message).toBe('Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day');
    expect(error.code).toBe(429);
    expect(error.metadata.headers).toEqual({ 'X-RateLimit-Limit': '3', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(Date.UTC(2026, 8, 2)) });
    // paid models are not in the pool; another account has its own
    expect((await raw(s, CHAT, 'sk-or-v1-a1', hi('openai/gpt-4o-mini'))).status).toBe(200);
    expect((await raw(s, CHAT, 'sk-or-v1-b', hi(FREE_A))).status).toBe(200);
    clock.t = Date.UTC(2026, 8, 2);
    expect((await raw(s, CHAT, 'sk-or-v1-a1', hi(FREE_A))).status).toBe(200);
  });

  it('20 a minute (free-models-per-min); 1000 a day once credits were bought (…-high-balance)', async () => {
    const clock = virtualClock();
    const s = await start({ now: clock.now });
    for (let i = 0; i < 20; i++) expect((await raw(s, CHAT, 'sk-or-v1-a1', hi(i % 2 ? FREE_A : FREE_B))).status).toBe(200);
    expect((await raw(s, CHAT, 'sk-or-v1-a2', hi(FREE_A))).json().error.message).toMatch(/^Rate limit exceeded: free-models-per-min\./);
    expect((await raw(s, '/openrouter/api/v1/key', 'sk-or-v1-b')).json().data.free_model_daily_requests.limit).toBe(1000);
    s.control.fillProvider('openrouter', 'bob', FREE_A, 'free-models-per-day');
    expect((await raw(s, CHAT, 'sk-or-v1-b', hi(FREE_B))).json().error.message).toBe('Rate limit exceeded: free-models-per-day-high-balance.');
  });

  it('an upstream 429 ("Provider returned error") throttles the model for every key, then lifts', async () => {
    const clock = virtualClock();
    const s = await start({ now: clock.now });
    s.control.failProviderNext('openrouter', 'capacity', { model: FREE_A });
    const first = await failure(sdk(s, 'openrouter', 'sk-or-v1-a1').chat.completions.create(hi(FREE_A)));
    expect(first.status).toBe(429);
    expect(first.error).toMatchObject({ message: 'Provider returned error', metadata: { provider_name: 'Google AI Studio', retry_after_seconds: 15, headers: { 'Retry-After': '15' } } });
    clock.advance(5000);
    const other = (await raw(s, CHAT, 'sk-or-v1-b', hi(FREE_A))).json().error;
    expect(other.metadata).toMatchObject({ retry_after_seconds: 10, provider_error_code: '429' });
    expect((await raw(s, CHAT, 'sk-or-v1-b', hi(FREE_B))).status).toBe(200);
    clock.advance(10_000);
    expect((await raw(s, CHAT, 'sk-or-v1-b', hi(FREE_A))).status).toBe(200);
  });

  it('402 with metadata.reason when the balance is negative, even on :free models', async () => {
    const s = await start();
    const e = await failure(sdk(s, 'openrouter', 'sk-or-v1-broke').chat.completions.create(hi(FREE_A)));
    expect(e.status).toBe(402);
    expect(e.error).toMatchObject({ code: 402, metadata: { reason: 'insufficient_credits' } });
  });

  it('streams open with : OPENROUTER PROCESSING comments and end with usage; a mid-stream error comes as a finish_reason "error" chunk on HTTP 200', async () => {
    const s = await start();
    const text = (await raw(s, CHAT, 'sk-or-v1-a1', hi(FREE_A, { stream: true }))).text;
    expect(text.startsWith(': OPENROUTER PROCESSING\n\n')).toBe(true);
    expect(text).toContain('"usage":{');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    s.control.failProviderNext('openrouter', 'mid-stream-error');
    const broken = await raw(s, CHAT, 'sk-or-v1-a1', hi(FREE_A, { stream: true }));
    expect(broken.status).toBe(200);
    const events = broken.text.split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice(6)));
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ error: { code: 502 }, choices: [{ finish_reason: 'error' }] });
  });

  it('lists models without a key, in its own shape with pricing', async () => {
    const s = await start();
    const list = await raw(s, '/openrouter/api/v1/models', null);
    expect(list.status).toBe(200);
    const free = list.json().data.find((m: { id: string }) => m.id === FREE_A);
    expect(free.pricing).toMatchObject({ prompt: '0', completion: '0' });
    expect(free).toHaveProperty('context_length');
    expect(free).toHaveProperty('supported_parameters');
    expect((await raw(s, CHAT, 'sk-or-v1-zzz', hi(FREE_A))).json()).toEqual({ error: { message: 'User not found.', code: 401 } });
  });
});
