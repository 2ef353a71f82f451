import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorOptions } from '../simulator';
import type { Harness } from './test-support/harness';
import { startProviderHarness } from './test-support/provider-harness';

/**
 * Mistral and Cloudflare Workers AI end to end (issue 11, "Done when"; the other providers are in
 * providers-each.serving.test.ts): the real engine in front of the simulator speaking each dialect,
 * the official `openai` SDK as client. Both count per owner over every model (providers.md §5, §7):
 * a limit met by one owner moves the request to the other owner, blocks the first for every model,
 * and lasts as the dialect says.
 */
const open: Harness[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function start(simulator: Omit<SimulatorOptions, 'users'>, env: Record<string, string>, models: string[]) {
  const h = await startProviderHarness(simulator, env, models);
  open.push(h);
  return h;
}

type Answer = { status: number; account: string | null };
const ask = (client: OpenAI, model: string): Promise<Answer> =>
  client.chat.completions
    .create({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 32 })
    .withResponse()
    .then(
      ({ response }) => ({ status: 200, account: response.headers.get('x-switchyard-account') }),
      (error: unknown) => ({ status: (error as InstanceType<typeof OpenAI.APIError>).status ?? 0, account: null }),
    );

/** The owner-wide block of an account (both providers count every model together), else its block for the model. */
const blockOf = (h: Harness, key: string, model: string) => {
  const account = h.engine.snapshot().accounts.find((a) => a.key === key)!;
  return account.userBlock ?? account.blocks.find((b) => b.model === model) ?? null;
};

describe('Mistral through the engine', () => {
  it('its 1-request-a-second limit per organisation moves the next request to the other organisation, for a second, for every model', async () => {
    const SMALL = 'mistral-small-latest';
    const LARGE = 'mistral-large-latest';
    const h = await start(
      { keys: [{ provider: 'mistral', key: 'mistralOrgAkey000001', owner: 'org-a' }, { provider: 'mistral', key: 'mistralOrgBkey000002', owner: 'org-b' }], providers: { mistral: { limits: { rps: 1 } } } },
      { MISTRAL_API_KEY: 'mistralOrgAkey000001', MISTRAL_API_KEY2: 'mistralOrgBkey000002' },
      [`mistral/${SMALL}`, `mistral/${LARGE}`],
    );
    // The listing above spent nothing (GET /models is not counted); the first second starts here.
    expect(await ask(h.client, `mistral/${SMALL}`)).toEqual({ status: 200, account: 'MISTRAL_API_KEY' });
    const at = Date.now();
    expect(await ask(h.client, `mistral/${LARGE}`)).toEqual({ status: 200, account: 'MISTRAL_API_KEY2' });
    const block = blockOf(h, 'MISTRAL_API_KEY', LARGE);
    expect(block).not.toBeNull();
    // The per-second limit: a second (the minute's reset header is not this 429's end).
    expect(block!.until).toBeGreaterThanOrEqual(at + 500);
    expect(block!.until).toBeLessThanOrEqual(at + 5_000);
    // Upstream saw the 429 once; the client did not.
    expect(h.sim.stats().recent.filter((r) => r.status === 429)).toHaveLength(1);
  });
});

describe('Cloudflare Workers AI through the engine', () => {
  const MODEL = '@cf/meta/llama-3.1-8b-instruct';
  const OTHER = '@cf/meta/llama-3.3-70b-instruct-fp8-fast';
  const keys = [
    { provider: 'cloudflare' as const, key: 'cfTokenAccountA00001', owner: 'acct-a' },
    { provider: 'cloudflare' as const, key: 'cfTokenAccountB00002', owner: 'acct-b' },
  ];
  const env = { CLOUDFLARE_API_TOKEN: 'cfTokenAccountA00001', CLOUDFLARE_ACCOUNT_ID: 'acct-a', CLOUDFLARE_API_TOKEN2: 'cfTokenAccountB00002', CLOUDFLARE_ACCOUNT_ID2: 'acct-b' };

  it("code 3021 (the account's request rate) moves the request to the other account, and blocks the first for every model as retry-after says", async () => {
    const h = await start({ keys, providers: { cloudflare: { limits: { rpm: 1, neuronsPerDay: 1_000_000 } } } }, env, [`cloudflare/${MODEL}`, `cloudflare/${OTHER}`]);
    expect(await ask(h.client, `cloudflare/${MODEL}`)).toEqual({ status: 200, account: 'CLOUDFLARE_API_TOKEN' });
    const at = Date.now();
    expect(await ask(h.client, `cloudflare/${MODEL}`)).toEqual({ status: 200, account: 'CLOUDFLARE_API_TOKEN2' });
    const block = blockOf(h, 'CLOUDFLARE_API_TOKEN', MODEL);
    expect(block!.until).toBeGreaterThanOrEqual(at + 50_000);
    expect(block!.until).toBeLessThanOrEqual(at + 62_000);
    // Owner-wide: another model is not sent to A while it cools. B, which spent its minute on the
    // request above (Cloudflare states no remaining count), is tried and says 3021: an honest 429.
    const sent = h.sim.stats().recent.length;
    const other = await ask(h.client, `cloudflare/${OTHER}`);
    expect(other.status).toBe(429);
    const tried = h.sim.stats().recent.slice(sent);
    expect(tried.map((r) => [r.login, r.status])).toEqual([['cloudflare:acct-b', 429]]);
  });

  it("code 4006 (the day's free neurons gone) blocks the account until 00:00 UTC; the other account serves", async () => {
    const h = await start({ keys, providers: { cloudflare: { limits: { rpm: null, neuronsPerDay: 1_000_000 } } } }, env, [`cloudflare/${MODEL}`]);
    expect(h.sim.control.fillProvider('cloudflare', 'acct-a', MODEL, 'neurons')).toBe(true);
    expect(await ask(h.client, `cloudflare/${MODEL}`)).toEqual({ status: 200, account: 'CLOUDFLARE_API_TOKEN2' });
    const now = new Date();
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    const block = blockOf(h, 'CLOUDFLARE_API_TOKEN', MODEL);
    expect(block).toMatchObject({ until: midnight, limitType: 'UserByDay' });
  });
});
