import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from './test-support/harness';
import { startProviderHarness } from './test-support/provider-harness';

/**
 * Accounts of other providers than GitHub Models, served end to end: the real engine in front of
 * the multi-provider simulator, with the official SDK as client (issue 11, issue 12).
 */
const open: Harness[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function start(env: Record<string, string>, simulator: NonNullable<Parameters<typeof startProviderHarness>[0]>) {
  const h = await startProviderHarness(simulator, env);
  open.push(h);
  return h;
}

const GROQ_MODEL = 'llama-3.3-70b-versatile';
const ask = (client: OpenAI, model: string) => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).withResponse();

describe('serving other providers', () => {
  it('rotates between two Groq organisations before the client hears a 429, and says which provider served', async () => {
    const h = await start(
      { GROQ_API_KEY: 'gsk_work1', GROQ_API_KEY2: 'gsk_home1' },
      {
        keys: [
          { provider: 'groq', key: 'gsk_work1', owner: 'org_work' },
          { provider: 'groq', key: 'gsk_home1', owner: 'org_home' },
        ],
        providers: { groq: { limits: { rpm: 1 } } },
      },
    );
    const served: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { data, response } = await ask(h.client, `groq/${GROQ_MODEL}`);
      expect(data.model).toBe(GROQ_MODEL);
      expect(response.headers.get('x-switchyard-provider')).toBe('groq');
      served.push(response.headers.get('x-switchyard-account') ?? '');
    }
    expect(served).toEqual(['GROQ_API_KEY', 'GROQ_API_KEY2']);
    // The first organisation is cooling for this model only, until the reset Groq stated (about 60 s).
    const work = h.engine.snapshot().accounts.find((a) => a.key === 'GROQ_API_KEY');
    const block = work?.blocks.find((b) => b.model === GROQ_MODEL);
    expect(block?.until).toBeGreaterThan(Date.now() + 30_000);
    expect(block?.until).toBeLessThanOrEqual(Date.now() + 61_000);
    // The limit is the model's: the account is not cooling as a whole, nor for another model.
    expect(work?.status).toBe('ok');
    expect(work?.blocks.map((b) => b.model)).toEqual([GROQ_MODEL]);
  });

  it('a success whose headers say no requests are left holds that organisation until the refill, without taking the 429 (providers.md §1.4)', async () => {
    const h = await start(
      { GROQ_API_KEY: 'gsk_work1', GROQ_API_KEY2: 'gsk_home1' },
      {
        keys: [
          { provider: 'groq', key: 'gsk_work1', owner: 'org_work' },
          { provider: 'groq', key: 'gsk_home1', owner: 'org_home' },
        ],
        providers: { groq: { limits: { rpm: 100, rpd: 2 } } },
      },
    );
    const served: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { response } = await ask(h.client, `groq/${GROQ_MODEL}`);
      served.push(response.headers.get('x-switchyard-account') ?? '');
    }
    // The second answer said `x-ratelimit-remaining-requests: 0`: the third goes to the other organisation at once.
    expect(served).toEqual(['GROQ_API_KEY', 'GROQ_API_KEY', 'GROQ_API_KEY2']);
    const stats = h.sim.stats();
    expect(stats.totals.requests).toBe(3);
    expect(stats.totals.byStatus[429] ?? 0).toBe(0);
    // Held for this model until Groq's RPD refills (continuously: about 86400 / 2 s for one request), not for a day.
    const work = h.engine.snapshot().accounts.find((a) => a.key === 'GROQ_API_KEY');
    const block = work?.blocks.find((b) => b.model === GROQ_MODEL);
    expect(block?.until).toBeGreaterThan(Date.now() + 40_000_000);
    expect(block?.until).toBeLessThanOrEqual(Date.now() + 43_300_000);
    expect(work?.status).toBe('ok');
    expect(work?.totals.rateLimited).toBe(0);
    expect(h.logs.some((line) => line.includes("Groq's rate-limit headers say no requests are left this day (limit 2)"))).toBe(true);
  });

  it('serves a built-in family across providers: the next provider answers when the first is spent, then an honest 429 naming each target', async () => {
    const h = await start(
      { GROQ_API_KEY: 'gsk_work1', CEREBRAS_API_KEY: 'csk-demo1' },
      {
        keys: [
          { provider: 'groq', key: 'gsk_work1', owner: 'org_work' },
          { provider: 'cerebras', key: 'csk-demo1', owner: 'org_c' },
        ],
        providers: { groq: { limits: { rpm: 1 } }, cerebras: { limits: { rpm: 1 } } },
      },
    );
    const models = await h.client.models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toContain('llama-3.3-70b');
    expect(ids).toContain(`groq/${GROQ_MODEL}`);

    const first = await ask(h.client, 'llama-3.3-70b');
    expect(first.response.headers.get('x-switchyard-route-target')).toBe(`groq/${GROQ_MODEL}`);
    const second = await ask(h.client, 'llama-3.3-70b');
    expect(second.response.headers.get('x-switchyard-provider')).toBe('cerebras');
    expect(second.response.headers.get('x-switchyard-route-target')).toBe('cerebras/llama-3.3-70b');
    expect(second.data.model).toBe('llama-3.3-70b');

    const refused = await ask(h.client, 'llama-3.3-70b').then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    const e = refused as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(429);
    expect(Number(e.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(e.message).toContain(`groq/${GROQ_MODEL}`);
    expect(e.message).toContain('cerebras/llama-3.3-70b');
  });

  it('adds a key of another provider in Settings: checked with its models list, kept, and served', async () => {
    const h = await start({}, { keys: [{ provider: 'groq', key: 'gsk_added1', owner: 'org_added' }] });
    const refused = await h.engine.addAccount({ provider: 'groq', token: 'gsk_wrong000' });
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused)).not.toContain('gsk_wrong000');
    const added = await h.engine.addAccount({ provider: 'groq', token: 'gsk_added1' });
    expect(added).toMatchObject({ ok: true, key: 'GROQ_API_KEY' });
    const { response } = await ask(h.client, `groq/${GROQ_MODEL}`);
    expect(response.headers.get('x-switchyard-account')).toBe('GROQ_API_KEY');
    expect(response.headers.get('x-switchyard-provider')).toBe('groq');
  });

  it('a request that never reached the provider (nothing listens there) is not counted as usage (issue 15 item 19)', async () => {
    const h = await start({ GROQ_API_KEY: 'gsk_nowhere1', GROQ_BASE_URL: 'http://127.0.0.1:1/openai/v1' }, {});
    const failed = await ask(h.client, `groq/${GROQ_MODEL}`).then(
      () => null,
      (error: unknown) => error as InstanceType<typeof OpenAI.APIError>,
    );
    expect(failed?.status).toBe(502);
    expect(failed?.message).toContain('Groq upstream: connection refused (127.0.0.1:1)');
    const account = h.engine.snapshot().accounts.find((a) => a.key === 'GROQ_API_KEY');
    expect(account?.usage.reduce((sum, u) => sum + u.minute + u.day, 0)).toBe(0);
  });
});
