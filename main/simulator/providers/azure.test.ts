import { describe, expect, it } from 'vitest';
import { CONTENT_FILTER_MARKER } from './azure';
import { failure, hi, raw, sdk, simulators, virtualClock } from './test-client';

const open = simulators();

const CHAT = '/azure/openai/v1/chat/completions';

async function start(now: () => number) {
  return open({
    now,
    keys: [
      { provider: 'azure', key: 'key1-of-res', owner: 'res-sweden' },
      { provider: 'azure', key: 'key2-of-res', owner: 'res-sweden' },
    ],
    providers: { azure: { limits: { rpm: 12, tpm: 1000 } } },
  });
}

describe('Azure OpenAI dialect (v1)', () => {
  it('RPM over 10-second windows per deployment, key1 and key2 shared; 429 with retry-after, retry-after-ms and code "429"', async () => {
    const clock = virtualClock();
    const s = await start(clock.now);
    const { response } = await sdk(s, 'azure', 'key1-of-res').chat.completions.create(hi('gpt-4o-mini')).withResponse();
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('1000');
    expect(Number(response.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(1000);
    clock.advance(2500);
    expect((await raw(s, CHAT, null, hi('gpt-4o-mini'), { 'api-key': 'key2-of-res' })).status).toBe(200);
    const limited = await raw(s, CHAT, null, hi('gpt-4o-mini'), { 'api-key': 'key2-of-res' });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('8');
    expect(limited.headers['retry-after-ms']).toBe('7500');
    const error = limited.json().error;
    expect(error.code).toBe('429');
    expect(error.message).toContain('have exceeded call rate limit of your current AIServices S0 pricing tier. Please retry after 8 seconds.');
    expect((await raw(s, CHAT, 'key1-of-res', hi('gpt-4.1-nano'))).status).toBe(200);
    clock.advance(7500);
    expect((await raw(s, CHAT, 'key1-of-res', hi('gpt-4o-mini'))).status).toBe(200);
  });

  it('counts the prompt plus max_tokens against TPM ("token rate limit")', async () => {
    const s = await start(virtualClock().now);
    const e = await failure(sdk(s, 'azure', 'key1-of-res').chat.completions.create(hi('gpt-4o-mini', { max_tokens: 2000 })));
    expect(e.status).toBe(429);
    expect(e.message).toContain('have exceeded token rate limit');
  });

  it('content_filter 400 with innererror; DeploymentNotFound; a bad key', async () => {
    const s = await start(virtualClock().now);
    const filtered = await raw(s, CHAT, 'key1-of-res', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `say ${CONTENT_FILTER_MARKER}` }] });
    expect(filtered.status).toBe(400);
    expect(filtered.json().error).toMatchObject({ code: 'content_filter', param: 'prompt', status: 400, innererror: { code: 'ResponsibleAIPolicyViolation' } });
    expect((await raw(s, CHAT, 'key1-of-res', hi('gpt-5'))).json().error.code).toBe('DeploymentNotFound');
    const bad = await raw(s, CHAT, null, hi('gpt-4o-mini'), { 'api-key': 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.json().error.code).toBe('401');
  });

  it('the high-demand 429 is capacity, with its own retry-after', async () => {
    const s = await start(virtualClock().now);
    s.control.failProviderNext('azure', 'capacity');
    const busy = await raw(s, CHAT, 'key1-of-res', hi('gpt-4o-mini'));
    expect(busy.status).toBe(429);
    expect(busy.headers['retry-after-ms']).toBe('20000');
    expect(busy.json().error.message).toMatch(/^The system is currently experiencing high demand/);
  });
});
