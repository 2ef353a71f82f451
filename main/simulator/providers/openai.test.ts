import { describe, expect, it } from 'vitest';
import { failure, hi, raw, sdk, simulators, virtualClock } from './test-client';

const open = simulators();

describe('OpenAI dialect', () => {
  it('x-ratelimit-* on success (requests = RPM); a 429 naming the window with retry-after and retry-after-ms; the project shares it', async () => {
    const clock = virtualClock();
    const sim = await open({
      now: clock.now,
      keys: [
        { provider: 'openai', key: 'sk-proj-1', owner: 'proj_a' },
        { provider: 'openai', key: 'sk-proj-2', owner: 'proj_a' },
      ],
      providers: { openai: { limits: { rpm: 1 } } },
    });
    const { response } = await sdk(sim, 'openai', 'sk-proj-1').chat.completions.create(hi('gpt-4o-mini')).withResponse();
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('1');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(response.headers.get('x-ratelimit-reset-requests')).toBe('1m0s');
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('200000');
    clock.advance(59_356);
    const e = await failure(sdk(sim, 'openai', 'sk-proj-2').chat.completions.create(hi('gpt-4o-mini')));
    expect(e.status).toBe(429);
    expect(e.headers?.get('retry-after-ms')).toBe('644');
    expect(e.headers?.get('retry-after')).toBe('1');
    expect(e.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
    expect(e.message).toContain('Rate limit reached for gpt-4o-mini in organization proj_a on requests per min (RPM): Limit 1, Used 1, Requested 1. Please try again in 644ms.');
  });

  it('insufficient_quota when billing is gone, whatever the windows say', async () => {
    const sim = await open({ keys: [{ provider: 'openai', key: 'sk-broke', owner: 'proj_b', balance: 0 }] });
    const e = (await raw(sim, '/openai/v1/chat/completions', 'sk-broke', hi('gpt-4o-mini'))).json();
    expect(e.error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
    const vectors = await raw(sim, '/openai/v1/embeddings', 'sk-broke', { model: 'text-embedding-3-small', input: 'x' });
    expect(vectors.status).toBe(429);
  });
});
