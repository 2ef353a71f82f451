import { describe, expect, it } from 'vitest';
import { failure, hi, raw, sdk, simulators, virtualClock } from './test-client';

const open = simulators();

const CHAT = '/gemini/v1beta/openai/chat/completions';

async function start(now: () => number) {
  return open({
    now,
    keys: [
      { provider: 'gemini', key: 'AIza-a1', owner: 'project-a' },
      { provider: 'gemini', key: 'AIza-a2', owner: 'project-a' },
      { provider: 'gemini', key: 'AIza-b', owner: 'project-b' },
    ],
    providers: { gemini: { modelLimits: { 'gemini-2.5-flash': { rpm: 2, rpd: 3 } } } },
  });
}

describe('Gemini dialect (OpenAI-compatible endpoint)', () => {
  it('per-minute 429: a JSON array around RESOURCE_EXHAUSTED with QuotaFailure, Help and RetryInfo; no rate-limit headers', async () => {
    const clock = virtualClock(Date.UTC(2026, 8, 1, 12, 0, 0));
    const s = await start(clock.now);
    const ok = await raw(s, CHAT, 'AIza-a1', hi('gemini-2.5-flash'));
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.headers).filter((h) => h.includes('ratelimit'))).toEqual([]);
    clock.advance(18_300);
    await raw(s, CHAT, 'AIza-a2', hi('models/gemini-2.5-flash'));
    const limited = await raw(s, CHAT, 'AIza-a1', hi('gemini-2.5-flash'));
    expect(limited.status).toBe(429);
    expect(Object.keys(limited.headers).filter((h) => h.includes('ratelimit') || h.includes('retry'))).toEqual([]);
    const body = limited.json();
    expect(Array.isArray(body)).toBe(true);
    const error = body[0].error;
    expect(error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(error.message).toContain('* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 2, model: gemini-2.5-flash');
    expect(error.message).toContain('Please retry in 41.7s.');
    expect(error.details[0].violations[0]).toEqual({
      quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
      quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
      quotaDimensions: { location: 'global', model: 'gemini-2.5-flash' },
      quotaValue: '2',
    });
    expect(error.details[1]['@type']).toBe('type.googleapis.com/google.rpc.Help');
    expect(error.details[2]).toEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '41s' });
    // another project has its own quota
    expect((await raw(s, CHAT, 'AIza-b', hi('gemini-2.5-flash'))).status).toBe(200);
  });

  it('PerDay: the RetryInfo stays short, but the quota holds until midnight America/Los_Angeles', async () => {
    const clock = virtualClock(Date.UTC(2026, 8, 1, 12, 0, 0));
    const s = await start(clock.now);
    for (let i = 0; i < 3; i++) {
      expect((await raw(s, CHAT, 'AIza-a1', hi('gemini-2.5-flash'))).status).toBe(200);
      clock.advance(61_000);
    }
    const limited = (await raw(s, CHAT, 'AIza-a2', hi('gemini-2.5-flash'))).json()[0].error;
    expect(limited.details[0].violations[0].quotaId).toBe('GenerateRequestsPerDayPerProjectPerModel-FreeTier');
    const delay = Number(/^(\d+)s$/.exec(limited.details[2].retryDelay)?.[1]);
    expect(delay).toBeGreaterThanOrEqual(20);
    expect(delay).toBeLessThanOrEqual(60);
    clock.advance(delay * 1000 + 1000);
    expect((await raw(s, CHAT, 'AIza-a1', hi('gemini-2.5-flash'))).status).toBe(429);
    clock.t = Date.UTC(2026, 8, 2, 6, 59, 59);
    expect((await raw(s, CHAT, 'AIza-a1', hi('gemini-2.5-flash'))).status).toBe(429);
    clock.t = Date.UTC(2026, 8, 2, 7, 0, 0);
    expect((await raw(s, CHAT, 'AIza-a1', hi('gemini-2.5-flash'))).status).toBe(200);
  });

  it('limit 0 for Pro models on the free tier; a bad key is a 400 API_KEY_INVALID; ids listed as models/…', async () => {
    const s = await start(virtualClock().now);
    const pro = (await raw(s, CHAT, 'AIza-a1', hi('gemini-2.5-pro'))).json()[0].error;
    expect(pro.code).toBe(429);
    expect(pro.message).toContain('limit: 0, model: gemini-2.5-pro');
    expect(pro.details[0].violations[0].quotaValue).toBe('0');
    const bad = await failure(sdk(s, 'gemini', 'AIza-wrong').chat.completions.create(hi('gemini-2.5-flash')));
    expect(bad.status).toBe(400);
    const badBody = await raw(s, CHAT, 'AIza-wrong', hi('gemini-2.5-flash'));
    expect(badBody.json()[0].error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: 'API key not valid. Please pass a valid API key.' });
    expect(badBody.json()[0].error.details[0].reason).toBe('API_KEY_INVALID');
    const list = await sdk(s, 'gemini', 'AIza-b').models.list();
    expect(list.data.map((m) => m.id)).toContain('models/gemini-2.5-flash');
    const vectors = await sdk(s, 'gemini', 'AIza-b').embeddings.create({ model: 'gemini-embedding-001', input: ['a', 'b'] });
    expect(vectors.data).toHaveLength(2);
  });
});
