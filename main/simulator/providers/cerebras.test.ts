import { describe, expect, it } from 'vitest';
import type { SimulatorOptions } from '../options';
import { failure, hi, raw, sdk, simulators, virtualClock } from './test-client';

const open = simulators();

const MODEL = 'gpt-oss-120b';
const CHAT = '/cerebras/v1/chat/completions';

async function start(options: SimulatorOptions = {}) {
  return open({
    keys: [
      { provider: 'cerebras', key: 'csk-1', owner: 'org-c' },
      { provider: 'cerebras', key: 'csk-2', owner: 'org-c' },
      { provider: 'cerebras', key: 'csk-other', owner: 'org-d' },
    ],
    ...options,
  });
}

describe('Cerebras dialect', () => {
  it('reserves input + max_completion_tokens against TPM: a large reservation is refused where a small one passes', async () => {
    const s = await start({ now: virtualClock().now, providers: { cerebras: { limits: { tpm: 10_000 } } } });
    const client = sdk(s, 'cerebras', 'csk-1');
    const e = await failure(client.chat.completions.create(hi(MODEL, { max_completion_tokens: 20_000 })));
    expect(e.status).toBe(429);
    expect(e.error).toBeUndefined();
    const body = (await raw(s, CHAT, 'csk-1', hi(MODEL, { max_completion_tokens: 20_000 }))).json();
    expect(body).toEqual({ message: 'Tokens per minute limit exceeded - too many tokens processed.', type: 'too_many_tokens_error', param: 'quota', code: 'token_quota_exceeded' });
    await expect(client.chat.completions.create(hi(MODEL, { max_completion_tokens: 100 }))).resolves.toBeTruthy();
    // no max_completion_tokens: 8192 are reserved, the unused part given back once answered
    const { response } = await client.chat.completions.create(hi(MODEL)).withResponse();
    expect(Number(response.headers.get('x-ratelimit-remaining-tokens-minute'))).toBeLessThan(10_000 - 8192 + 100);
    const after = s.control.providerUsage('cerebras', 'org-c', MODEL).find((v) => v.spec.name === 'tpm');
    expect(after?.used).toBeLessThan(100);
  });

  it('sends day and minute headers in float seconds, and the day request quota is shared by the org', async () => {
    const clock = virtualClock();
    const s = await start({ now: clock.now, providers: { cerebras: { limits: { rpd: 2, rpm: null } } } });
    const { response } = await sdk(s, 'cerebras', 'csk-1').chat.completions.create(hi(MODEL, { max_completion_tokens: 10 })).withResponse();
    expect(response.headers.get('x-ratelimit-limit-requests-day')).toBe('2');
    expect(response.headers.get('x-ratelimit-remaining-requests-day')).toBe('1');
    expect(response.headers.get('x-ratelimit-reset-requests-day')).toBe('43200');
    expect(response.headers.get('x-ratelimit-limit-tokens-minute')).toBe('64000');
    expect(response.headers.get('x-ratelimit-reset-tokens-minute')).toMatch(/^\d+\.\d+$/);
    clock.advance(1234.5);
    await sdk(s, 'cerebras', 'csk-2').chat.completions.create(hi(MODEL, { max_completion_tokens: 10 }));
    const limited = await raw(s, CHAT, 'csk-1', hi(MODEL, { max_completion_tokens: 10 }));
    expect(limited.json()).toMatchObject({ message: 'Requests per day limit exceeded - too many requests sent.', code: 'request_quota_exceeded', param: 'quota' });
    expect(limited.headers['retry-after']).toBe('43199');
    expect(limited.headers['x-ratelimit-reset-requests-day']).toBe('86398.7655');
    expect((await raw(s, CHAT, 'csk-other', hi(MODEL, { max_completion_tokens: 10 }))).status).toBe(200);
  });

  it('answers queue_exceeded (param "queue") when busy: capacity, not the quota', async () => {
    const s = await start();
    s.control.failProviderNext('cerebras', 'capacity');
    const busy = await raw(s, CHAT, 'csk-1', hi(MODEL));
    expect(busy.status).toBe(429);
    expect(busy.json()).toEqual({ message: "We're experiencing high traffic right now! Please try again soon.", type: 'too_many_requests_error', param: 'queue', code: 'queue_exceeded' });
    expect(busy.headers['retry-after']).toBeUndefined();
    expect((await raw(s, CHAT, 'csk-1', hi(MODEL))).status).toBe(200);
    expect((await raw(s, CHAT, 'wrong', hi(MODEL))).json()).toMatchObject({ code: 'wrong_api_key' });
  });
});
