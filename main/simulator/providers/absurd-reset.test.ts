import { describe, expect, it } from 'vitest';
import { hi, raw, simulators, virtualClock } from './test-client';
import type { SimProviderId } from './types';

const open = simulators();
const clock = virtualClock();

const cases: Array<[SimProviderId, string, string, (r: Awaited<ReturnType<typeof raw>>) => void]> = [
  ['groq', '/groq/openai/v1/chat/completions', 'llama-3.3-70b-versatile', (r) => expect(r.headers['retry-after']).toBe('999999999')],
  ['openai', '/openai/v1/chat/completions', 'gpt-4o-mini', (r) => expect(r.headers['retry-after-ms']).toBe('999999999000')],
  ['azure', '/azure/openai/v1/chat/completions', 'gpt-4o-mini', (r) => expect(r.json().error.message).toContain('Please retry after 999999999 seconds.')],
  ['cerebras', '/cerebras/v1/chat/completions', 'gpt-oss-120b', (r) => expect(r.headers['retry-after']).toBe('999999999')],
  ['openrouter', '/openrouter/api/v1/chat/completions', 'google/gemma-4-31b-it:free', (r) => expect(r.json().error.metadata.headers['X-RateLimit-Reset']).toBe(String(clock.t + 999_999_999_000))],
];

describe('an absurd reset, in each provider’s own fields (for tests that bound what they believe)', () => {
  it.each(cases)('%s', async (provider, path, model, check) => {
    const sim = await open({ now: clock.now, keys: [{ provider, key: 'k', owner: 'o' }] });
    sim.control.failProviderNext(provider, 'absurd-reset');
    const r = await raw(sim, path, 'k', hi(model));
    expect(r.status).toBe(429);
    check(r);
    expect((await raw(sim, path, 'k', hi(model))).status).toBe(200);
  });
});
