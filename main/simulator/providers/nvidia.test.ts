import { describe, expect, it } from 'vitest';
import { hi, raw, sdk, simulators, virtualClock } from './test-client';

const open = simulators();

const CHAT = '/nvidia/v1/chat/completions';
const MODEL = 'meta/llama-3.3-70b-instruct';

describe('NVIDIA NIM dialect', () => {
  it('about 40 a minute per account; the 429 is problem+json with no Retry-After and no rate-limit headers', async () => {
    const clock = virtualClock();
    const sim = await open({ now: clock.now, keys: [{ provider: 'nvidia', key: 'nvapi-1', owner: 'me' }] });
    for (let i = 0; i < 40; i++) expect((await raw(sim, CHAT, 'nvapi-1', hi(i % 2 ? MODEL : 'deepseek-ai/deepseek-v3.1'))).status).toBe(200);
    const limited = await raw(sim, CHAT, 'nvapi-1', hi(MODEL));
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toBe('application/problem+json');
    expect(limited.json()).toEqual({ status: 429, title: 'Too Many Requests' });
    expect(Object.keys(limited.headers).filter((h) => h.includes('retry') || h.includes('ratelimit'))).toEqual([]);
    clock.advance(60_000);
    expect((await raw(sim, CHAT, 'nvapi-1', hi(MODEL))).status).toBe(200);
  });

  it('occasional 503s at the configured rate (seeded, so the same run gives the same ones)', async () => {
    const statuses = async () => {
      const s = await open({ keys: [{ provider: 'nvidia', key: 'nvapi-1', owner: 'me' }], providers: { nvidia: { serverErrorRate: 0.3, seed: 7, limits: { rpm: null } } } });
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await raw(s, CHAT, 'nvapi-1', hi(MODEL))).status);
      await s.close();
      return out;
    };
    const first = await statuses();
    expect(first.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(first.length / 2);
    expect(await statuses()).toEqual(first);
  });

  it('errors are problem+json: a model the account cannot use, a bad key', async () => {
    const sim = await open({ keys: [{ provider: 'nvidia', key: 'nvapi-1', owner: 'me' }] });
    const missing = await raw(sim, CHAT, 'nvapi-1', hi('nobody/none'));
    expect(missing.json()).toMatchObject({ status: 404, title: 'Not Found' });
    expect(missing.json().detail).toMatch(/^Function '[0-9a-f-]+': Not found for account/);
    expect((await raw(sim, CHAT, 'bad', hi(MODEL))).json()).toMatchObject({ status: 401 });
    const list = await sdk(sim, 'nvidia', 'nvapi-1').models.list();
    expect(list.data.map((m) => m.id)).toContain(MODEL);
  });
});
