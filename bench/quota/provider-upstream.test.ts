import { describe, expect, it } from 'vitest';
import { providerFor } from '../../main/core/providers/index';
import type { ProviderSettings } from '../../main/simulator/providers/runtime';
import type { ProviderKey, SimProviderId } from '../../main/simulator/providers/types';
import { benchCreds, ProviderQuotaUpstream } from './provider-upstream';
import { START } from './run-strategy';
import { SimClock } from './sim-clock';

const KEYS: ProviderKey[] = [
  { provider: 'groq', key: 'gsk_testA', owner: 'org_a' },
  { provider: 'groq', key: 'gsk_testA2', owner: 'org_a' },
  { provider: 'groq', key: 'gsk_testB', owner: 'org_b' },
  { provider: 'gemini', key: 'AIzaTest', owner: 'proj' },
  { provider: 'cerebras', key: 'csk-test', owner: 'org_c' },
  { provider: 'openrouter', key: 'sk-or-v1-test', owner: 'acct', creditsPurchased: true },
];

function world(settings: Partial<Record<SimProviderId, ProviderSettings>>, latencyMs = 1000, start = START) {
  const clock = new SimClock(start);
  const upstream = new ProviderQuotaUpstream({ clock, keys: KEYS, settings, latencyMs: () => latencyMs, refusalLatencyMs: 50 });
  let id = 0;
  const send = async (provider: SimProviderId, key: string, model: string, extra: Record<string, unknown> = {}) => {
    const body = { model, messages: [{ role: 'user', content: 'Say ok.' }], user: `req-${id++}`, ...extra };
    const pending = upstream.send('chat', key, Buffer.from(JSON.stringify(body)), new AbortController().signal, false, { provider, creds: benchCreds(provider, key) });
    await clock.run();
    const reply = await pending;
    const text = (await reply.body.toArray()).map((c: Buffer) => c.toString()).join('');
    return { status: reply.status, headers: reply.headers, text, signal: providerFor(provider).readLimit(reply.status, reply.headers, text, clock.now()) };
  };
  return { clock, upstream, send };
}

describe('ProviderQuotaUpstream', () => {
  it("Groq: keys of one organisation share its per-model quota; the 429 names the org, with retry-after and Groq's headers", async () => {
    const w = world({ groq: { limits: { rpd: 2, rpm: 30 } } });
    const ok = await w.send('groq', 'gsk_testA', 'llama-3.3-70b-versatile');
    expect(ok.status).toBe(200);
    expect(ok.headers['x-ratelimit-limit-requests']).toBe('2');
    expect(ok.headers['x-ratelimit-remaining-requests']).toBe('1');
    expect((await w.send('groq', 'gsk_testA2', 'llama-3.3-70b-versatile')).status).toBe(200);
    const refused = await w.send('groq', 'gsk_testA', 'llama-3.3-70b-versatile');
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('org_a');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.signal).toMatchObject({ scope: 'model', window: { period: 'day', unit: 'requests' } });
    // Another organisation and another model have their own counters.
    expect((await w.send('groq', 'gsk_testB', 'llama-3.3-70b-versatile')).status).toBe(200);
    expect((await w.send('groq', 'gsk_testA', 'llama-3.1-8b-instant')).status).toBe(200);
    expect(w.upstream.tally.servedByOwner).toEqual({ 'groq:org_a': 3, 'groq:org_b': 1 });
    expect(w.upstream.tally.byMeter).toEqual({ 'groq:rpd': 1 });
  });

  it('Gemini: a per-day quota answers a JSON array with a short RetryInfo, and blocks until midnight Pacific', async () => {
    const w = world({ gemini: { modelLimits: { 'gemini-2.5-flash': { rpd: 1, rpm: 10 } } } });
    expect((await w.send('gemini', 'AIzaTest', 'gemini-2.5-flash')).status).toBe(200);
    const refused = await w.send('gemini', 'AIzaTest', 'gemini-2.5-flash');
    expect(refused.status).toBe(429);
    const body = JSON.parse(refused.text) as Array<{ error: { status: string; details: Array<Record<string, unknown>> } }>;
    expect(body[0]!.error.status).toBe('RESOURCE_EXHAUSTED');
    const retry = body[0]!.error.details.find((d) => d['@type'] === 'type.googleapis.com/google.rpc.RetryInfo');
    expect(Number(String(retry?.retryDelay).replace(/s$/, ''))).toBeLessThan(60);
    // 00:00 UTC on 1 January 2025 is 16:00 in Los Angeles: the day ends at 08:00 UTC.
    expect(refused.signal).toMatchObject({ scope: 'model', window: { period: 'day' }, resetAt: Date.UTC(2025, 0, 1, 8) });
  });

  it("Cerebras: input + max_completion_tokens is reserved against TPM while the call runs, given back after; float-second headers", async () => {
    const w = world({ cerebras: { limits: { tpm: 20_000, rpm: 30, rpd: 100 } } }, 5_000);
    const body = { max_completion_tokens: 12_000 };
    const first = w.upstream.send('chat', 'csk-test', Buffer.from(JSON.stringify({ model: 'llama-3.3-70b', messages: [{ role: 'user', content: 'hi' }], user: 'req-1', ...body })), new AbortController().signal, false, { provider: 'cerebras', creds: benchCreds('cerebras', 'csk-test') });
    await w.clock.settle();
    // While the first holds 12k of 20k tokens, a second 12k reservation does not fit.
    const second = await w.send('cerebras', 'csk-test', 'llama-3.3-70b', body);
    expect(second.status).toBe(429);
    expect(JSON.parse(second.text)).toMatchObject({ type: 'too_many_tokens_error', code: 'token_quota_exceeded' });
    expect(second.signal).toMatchObject({ scope: 'model', window: { period: 'minute', unit: 'tokens' } });
    const done = await first;
    expect(done.status).toBe(200);
    expect(done.headers['x-ratelimit-reset-tokens-minute']).toMatch(/^\d+\.\d+$/);
    // Once answered, the unused reservation is back: another 12k fits at once.
    expect((await w.send('cerebras', 'csk-test', 'llama-3.3-70b', body)).status).toBe(200);
  });

  it("OpenRouter: every :free model spends the account's one daily pool, reset in epoch ms at 00:00 UTC; GET /key names the account", async () => {
    const w = world({ openrouter: { limits: { rpm: 20, freePerDayWithCredits: 2 } } });
    expect((await w.send('openrouter', 'sk-or-v1-test', 'meta-llama/llama-3.3-70b-instruct:free')).status).toBe(200);
    expect((await w.send('openrouter', 'sk-or-v1-test', 'google/gemma-4-31b-it:free')).status).toBe(200);
    const refused = await w.send('openrouter', 'sk-or-v1-test', 'openai/gpt-oss-20b:free');
    expect(refused.status).toBe(429);
    const reset = (JSON.parse(refused.text) as { error: { metadata: { headers: Record<string, string> } } }).error.metadata.headers['X-RateLimit-Reset'];
    expect(Number(reset)).toBe(Date.UTC(2025, 0, 2));
    expect(refused.signal).toMatchObject({ window: { period: 'day' }, resetAt: Date.UTC(2025, 0, 2) });
    expect(w.upstream.tally.perWindow).toEqual(new Map([[`openrouter|acct|*|free-models-per-day|ends@${Date.UTC(2025, 0, 2)}`, 1]]));
    expect(await w.upstream.identify({ provider: 'openrouter', creds: benchCreds('openrouter', 'sk-or-v1-test') })).toMatchObject({ ownerId: expect.stringContaining('acct') });
  });

  it('refuses a key it does not know in the provider’s dialect (401), and counts it apart from 429s', async () => {
    const w = world({});
    const reply = await w.send('groq', 'gsk_unknown', 'llama-3.3-70b-versatile');
    expect(reply.status).toBe(401);
    expect(w.upstream.tally).toMatchObject({ rateLimited: 0, other: { 401: 1 } });
  });

  it('admits() reads the counters without spending them', async () => {
    const w = world({ groq: { limits: { rpd: 1 } } });
    const key = w.upstream.runtime.find('groq', 'gsk_testA')!;
    const charging = w.upstream.charging('groq', key, { model: 'llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'x' }] }, 'chat')!;
    expect(w.upstream.admits(charging)).toBe(true);
    expect(w.upstream.admits(charging)).toBe(true);
    expect((await w.send('groq', 'gsk_testA2', 'llama-3.3-70b-versatile')).status).toBe(200);
    expect(w.upstream.admits(charging)).toBe(false);
  });
});
