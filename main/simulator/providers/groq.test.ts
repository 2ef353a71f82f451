import { describe, expect, it } from 'vitest';
import type { SimulatorOptions } from '../options';
import { failure, hi, raw, sdk, simulators, virtualClock } from './test-client';

const open = simulators();

const clock = virtualClock();
const MODEL = 'llama-3.3-70b-versatile';
const CHAT = '/groq/openai/v1/chat/completions';

async function start(options: SimulatorOptions = {}) {
  return open({
    now: clock.now,
    keys: [
      { provider: 'groq', key: 'gsk_work1', owner: 'org_work' },
      { provider: 'groq', key: 'gsk_work2', owner: 'org_work' },
      { provider: 'groq', key: 'gsk_home', owner: 'org_home' },
    ],
    ...options,
  });
}

describe('Groq dialect', () => {
  it('sends the six x-ratelimit-* headers on success (requests = RPD, tokens = TPM, Go durations), no retry-after', async () => {
    const s = await start();
    const { response, data } = await sdk(s, 'groq', 'gsk_work1').chat.completions.create(hi(MODEL)).withResponse();
    expect(data.model).toBe(MODEL);
    const h = Object.fromEntries(response.headers);
    expect(h['x-ratelimit-limit-requests']).toBe('1000');
    expect(h['x-ratelimit-remaining-requests']).toBe('999');
    expect(h['x-ratelimit-reset-requests']).toBe('1m26.4s');
    expect(h['x-ratelimit-limit-tokens']).toBe('12000');
    expect(Number(h['x-ratelimit-remaining-tokens'])).toBe(12_000 - data.usage!.total_tokens);
    expect(h['x-ratelimit-reset-tokens']).toMatch(/^\d+ms$/);
    expect(h['retry-after']).toBeUndefined();
  });

  it('429 names the window, model and organisation, with retry-after in whole seconds; keys of one org share it', async () => {
    const s = await start({ providers: { groq: { limits: { rpm: 2 } } } });
    await sdk(s, 'groq', 'gsk_work1').chat.completions.create(hi(MODEL));
    await sdk(s, 'groq', 'gsk_work2').chat.completions.create(hi(MODEL));
    const e = await failure(sdk(s, 'groq', 'gsk_work2').chat.completions.create(hi(MODEL)));
    expect(e.status).toBe(429);
    expect(e.headers?.get('retry-after')).toBe('30');
    expect(e.headers?.get('x-ratelimit-remaining-requests')).toBe('998');
    expect(e.error).toEqual({
      message: `Rate limit reached for model \`${MODEL}\` in organization \`org_work\` service tier \`on_demand\` on requests per minute (RPM): Limit 2, Used 2, Requested 1. Please try again in 30s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing`,
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    });
    // another organisation, and another model of the same one, still answer
    await expect(sdk(s, 'groq', 'gsk_home').chat.completions.create(hi(MODEL))).resolves.toBeTruthy();
    await expect(sdk(s, 'groq', 'gsk_work1').chat.completions.create(hi('llama-3.1-8b-instant'))).resolves.toBeTruthy();
  });

  it('RPD refills continuously: one request back every 86400/limit seconds, no midnight', async () => {
    const s = await start({ providers: { groq: { limits: { rpd: 4, rpm: null } } } });
    const client = sdk(s, 'groq', 'gsk_work1');
    for (let i = 0; i < 4; i++) await client.chat.completions.create(hi(MODEL));
    const e = await failure(client.chat.completions.create(hi(MODEL)));
    expect(e.message).toContain('on requests per day (RPD): Limit 4, Used 4, Requested 1. Please try again in 6h0m0s.');
    expect(e.headers?.get('x-ratelimit-reset-requests')).toBe('24h0m0s');
    clock.advance(6 * 3_600_000);
    await expect(client.chat.completions.create(hi(MODEL))).resolves.toBeTruthy();
    await expect(failure(client.chat.completions.create(hi(MODEL)))).resolves.toMatchObject({ status: 429 });
  });

  it('tokens: a 429 of type tokens for TPM, a 413 when one request is larger than the TPM limit', async () => {
    const s = await start({ providers: { groq: { limits: { tpm: 60 } } } });
    const client = sdk(s, 'groq', 'gsk_work1');
    const big = await failure(client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x'.repeat(400) }] }));
    expect(big.status).toBe(413);
    expect(big.error).toMatchObject({ type: 'tokens', code: 'rate_limit_exceeded' });
    expect(big.message).toContain('Request too large for model `llama-3.3-70b-versatile` in organization `org_work` service tier `on_demand` on tokens per minute (TPM): Limit 60, Requested');
    await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x'.repeat(120) }] });
    const e = await failure(client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x'.repeat(80) }] }));
    expect(e.status).toBe(429);
    expect(e.error).toMatchObject({ type: 'tokens' });
    expect(e.message).toMatch(/on tokens per minute \(TPM\): Limit 60, Used \d+, Requested \d+\. Please try again in [\d.]+s\./);
  });

  it('refuses what Groq does not support, a bad key, an unknown model; lists models in its shape', async () => {
    const s = await start();
    const logit = await raw(s, CHAT, 'gsk_work1', hi(MODEL, { logit_bias: { '1': 2 } }));
    expect(logit.status).toBe(400);
    expect(logit.json().error.message).toBe("property 'logit_bias' is unsupported");
    expect((await raw(s, CHAT, 'gsk_work1', { model: MODEL, messages: [{ role: 'user', content: 'x', name: 'me' }] })).status).toBe(400);
    const bad = await raw(s, CHAT, 'gsk_nope', hi(MODEL));
    expect(bad.status).toBe(401);
    expect(bad.json()).toEqual({ error: { message: 'Invalid API Key', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    expect(bad.text).not.toContain('gsk_nope');
    expect((await raw(s, CHAT, 'gsk_work1', hi('nope'))).json().error.code).toBe('model_not_found');
    const list = await sdk(s, 'groq', 'gsk_home').models.list();
    expect(list.data.map((m) => m.id)).toContain(MODEL);
    expect(list.data[0]).toMatchObject({ object: 'model', active: true, context_window: 131_072 });
  });
});
