import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { providerBaseUrl, type ProviderKey, type Simulator, type SimulatorOptions } from '../simulator';
import { nextPacificMidnight } from '../simulator/providers/calendar';
import type { Harness } from './test-support/harness';
import { startProviderHarness } from './test-support/provider-harness';

/**
 * Each provider end to end (issue 11, "Done when"): the real engine over real sockets in front of
 * the simulator speaking that provider's dialect, the official `openai` SDK as client. Per
 * provider (Gemini, OpenRouter, OpenAI, Azure, NVIDIA, OpenAI-compatible; Mistral and Cloudflare in
 * providers-mistral-cloudflare.serving.test.ts; Groq and Cerebras in
 * providers-serving.test.ts): a transparent rotation between two owners; the limit's scope (another model of the
 * blocked owner still serves where the provider counts per model); the reset read from the
 * provider's own dialect. Then: keys of one owner are one quota; capacity answers never block for
 * long; garbled reset headers stay bounded by the limit's window.
 */
const open: Harness[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function start(simulator: Omit<SimulatorOptions, 'users'>, env: (sim: Simulator) => Record<string, string>, models: string[] = []) {
  const h = await startProviderHarness(simulator, env, models);
  open.push(h);
  return h;
}

type Answer = { status: number; account: string | null; provider: string | null };
const ask = (client: OpenAI, model: string): Promise<Answer> =>
  client.chat.completions
    .create({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 32 })
    .withResponse()
    .then(
      ({ response }) => ({ status: 200, account: response.headers.get('x-switchyard-account'), provider: response.headers.get('x-switchyard-provider') }),
      (error: unknown) => ({ status: (error as InstanceType<typeof OpenAI.APIError>).status ?? 0, account: null, provider: null }),
    );

/** When the account's block for `model` lifts: its model block, else its owner-wide block. */
function blockUntil(h: Harness, key: string, model: string): number | null {
  const account = h.engine.snapshot().accounts.find((a) => a.key === key);
  return account?.blocks.find((b) => b.model === model || b.model === `models/${model}`)?.until ?? account?.userBlock?.until ?? null;
}

const MINUTE = 60_000;
const key = (provider: ProviderKey['provider'], k: string, owner: string, extra: Partial<ProviderKey> = {}): ProviderKey => ({ provider, key: k, owner, ...extra });

interface Case {
  provider: string;
  keys: ProviderKey[];
  settings: SimulatorOptions['providers'];
  env: (sim: Simulator) => Record<string, string>;
  accounts: [string, string];
  model: string;
  otherModel: string;
  /** Who serves another model of the blocked owner: the same account (per-model limits) or the other owner (owner-wide). */
  otherServedBy: 'same' | 'owner-wide';
  /** The reset the provider's dialect states, as an epoch-ms range around the moment of the 429. */
  reset: (at: number) => [number, number];
  /**
   * Its successful answers say when a counter is spent (providers.md §1.4, §7.3): the one request a
   * minute is seen as spent on the answer that spent it, so no 429 is taken at all, and the second
   * owner is held after its own answer as the first was.
   */
  spentOnSuccess?: true;
}

const CASES: Case[] = [
  {
    provider: 'gemini',
    keys: [key('gemini', 'AIzaGeminiProjA1', 'project-a'), key('gemini', 'AIzaGeminiProjB2', 'project-b')],
    settings: { gemini: { modelLimits: { 'gemini-2.5-flash': { rpm: 1, rpd: 100 } } } },
    env: () => ({ GEMINI_API_KEY: 'AIzaGeminiProjA1', GEMINI_API_KEY2: 'AIzaGeminiProjB2' }),
    accounts: ['GEMINI_API_KEY', 'GEMINI_API_KEY2'],
    model: 'gemini-2.5-flash',
    otherModel: 'gemini-3.5-flash-lite',
    otherServedBy: 'same',
    // RetryInfo's retryDelay of a per-minute quota.
    reset: (at) => [at + 30_000, at + MINUTE + 2_000],
  },
  {
    provider: 'openrouter',
    keys: [key('openrouter', 'sk-or-v1-accountA', 'acct-a'), key('openrouter', 'sk-or-v1-accountB', 'acct-b')],
    settings: { openrouter: { limits: { rpm: 1, rpd: 50 } } },
    env: () => ({ OPENROUTER_API_KEY: 'sk-or-v1-accountA', OPENROUTER_API_KEY2: 'sk-or-v1-accountB' }),
    accounts: ['OPENROUTER_API_KEY', 'OPENROUTER_API_KEY2'],
    model: 'meta-llama/llama-3.3-70b-instruct:free',
    // The `:free` pool is the account's, over every `:free` model together.
    otherModel: 'google/gemma-4-31b-it:free',
    otherServedBy: 'owner-wide',
    // X-RateLimit-Reset in epoch milliseconds: the minute's end.
    reset: (at) => [at + 1_000, at + MINUTE + 2_000],
  },
  {
    provider: 'openai',
    keys: [key('openai', 'sk-proj-openaiProjA1', 'proj-a'), key('openai', 'sk-proj-openaiProjB2', 'proj-b')],
    settings: { openai: { limits: { rpm: 1 } } },
    env: () => ({ OPENAI_API_KEY: 'sk-proj-openaiProjA1', OPENAI_API_KEY2: 'sk-proj-openaiProjB2' }),
    accounts: ['OPENAI_API_KEY', 'OPENAI_API_KEY2'],
    model: 'gpt-4o-mini',
    otherModel: 'gpt-4.1-mini',
    otherServedBy: 'same',
    // x-ratelimit-reset-requests in OpenAI's duration words, on the success that spent the minute.
    reset: (at) => [at + 1_000, at + MINUTE + 2_000],
    spentOnSuccess: true,
  },
  {
    provider: 'azure',
    keys: [key('azure', 'azureResourceAkey001', 'resource-a'), key('azure', 'azureResourceBkey002', 'resource-b')],
    settings: { azure: { limits: { rpm: 6 } } },
    // Two resources: two endpoints (both reach the simulator).
    env: (sim) => ({
      AZURE_OPENAI_API_KEY: 'azureResourceAkey001',
      AZURE_OPENAI_ENDPOINT: `${sim.url}/azure`,
      AZURE_OPENAI_API_KEY2: 'azureResourceBkey002',
      AZURE_OPENAI_ENDPOINT2: `${sim.url.replace('127.0.0.1', 'localhost')}/azure`,
    }),
    accounts: ['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_API_KEY2'],
    model: 'gpt-4o-mini',
    otherModel: 'gpt-4.1-nano',
    // Per deployment: another deployment of the resource still serves.
    otherServedBy: 'same',
    // RPM is enforced over 10-second windows (RPM/6).
    reset: (at) => [at + 500, at + 10_000 + 2_000],
  },
  {
    provider: 'nvidia',
    keys: [key('nvidia', 'nvapi-accountA000001', 'acct-a'), key('nvidia', 'nvapi-accountB000002', 'acct-b')],
    settings: { nvidia: { limits: { rpm: 1 } } },
    env: () => ({ NVIDIA_API_KEY: 'nvapi-accountA000001', NVIDIA_API_KEY2: 'nvapi-accountB000002' }),
    accounts: ['NVIDIA_API_KEY', 'NVIDIA_API_KEY2'],
    model: 'meta/llama-3.3-70b-instruct',
    otherModel: 'deepseek-ai/deepseek-v3.1',
    // About 40 requests a minute per account, every model together.
    otherServedBy: 'owner-wide',
    reset: (at) => [at + 1_000, at + MINUTE + 2_000],
  },
  {
    provider: 'openai-compatible',
    keys: [key('openai', 'sk-compatServerA01', 'srv-a'), key('openai', 'sk-compatServerB02', 'srv-b')],
    settings: { openai: { limits: { rpm: 1 } } },
    // Any OpenAI-compatible server: here the simulator's OpenAI dialect, behind the generic descriptor.
    env: (sim) => ({
      OPENAI_COMPATIBLE_API_KEY: 'sk-compatServerA01',
      OPENAI_COMPATIBLE_BASE_URL: providerBaseUrl(sim.url, 'openai'),
      OPENAI_COMPATIBLE_API_KEY2: 'sk-compatServerB02',
      OPENAI_COMPATIBLE_BASE_URL2: providerBaseUrl(sim.url, 'openai'),
    }),
    accounts: ['OPENAI_COMPATIBLE_API_KEY', 'OPENAI_COMPATIBLE_API_KEY2'],
    model: 'gpt-4o-mini',
    otherModel: 'gpt-4.1-mini',
    otherServedBy: 'same',
    reset: (at) => [at + 1_000, at + MINUTE + 2_000],
    spentOnSuccess: true,
  },
];

describe.each(CASES)('$provider through the engine', (c) => {
  it('rotates to the second owner before the client hears a 429; the block lasts as the dialect says; its scope is the provider’s', async () => {
    const model = `${c.provider}/${c.model}`;
    const h = await start({ keys: c.keys, providers: c.settings }, c.env, [model, `${c.provider}/${c.otherModel}`]);
    const [first, second] = c.accounts;
    expect(await ask(h.client, model)).toEqual({ status: 200, account: first, provider: c.provider });
    const at = Date.now();
    expect(await ask(h.client, model)).toEqual({ status: 200, account: second, provider: c.provider });
    const until = blockUntil(h, first, c.model);
    const [from, to] = c.reset(at);
    expect(until).not.toBeNull();
    expect(until!).toBeGreaterThanOrEqual(from);
    expect(until!).toBeLessThanOrEqual(to);
    if (c.spentOnSuccess) {
      expect(h.sim.stats().totals.byStatus[429] ?? 0).toBe(0);
      const own = blockUntil(h, second, c.model);
      expect(own).not.toBeNull();
      expect(own!).toBeGreaterThanOrEqual(from);
      expect(own!).toBeLessThanOrEqual(Date.now() + MINUTE + 2_000);
    } else expect(blockUntil(h, second, c.model)).toBeNull();
    // Scope: with the second owner out of the way, does the blocked owner still serve another model?
    await h.engine.updateAccount(second, { disabled: true });
    const other = await ask(h.client, `${c.provider}/${c.otherModel}`);
    if (c.otherServedBy === 'same') expect(other).toEqual({ status: 200, account: first, provider: c.provider });
    else expect(other.status).toBe(429);
  });
});

describe('capacity answers and garbled headers', () => {
  it('Cerebras queue_exceeded is the provider being busy: a short pause, never a long block', async () => {
    const h = await start({ keys: [key('cerebras', 'csk-capacityOrgA01', 'org-a'), key('cerebras', 'csk-capacityOrgB02', 'org-b')] }, () => ({ CEREBRAS_API_KEY: 'csk-capacityOrgA01', CEREBRAS_API_KEY2: 'csk-capacityOrgB02' }), ['cerebras/llama-3.3-70b']);
    h.sim.control.failProviderNext('cerebras', 'capacity', { count: 1 });
    const at = Date.now();
    const answer = await ask(h.client, 'cerebras/llama-3.3-70b');
    expect(answer).toMatchObject({ status: 200, provider: 'cerebras' });
    // The capacity answer did happen (and was absorbed); whatever it left is a short pause at most.
    expect(h.sim.stats().recent.filter((r) => r.status === 429)).toHaveLength(1);
    const until = blockUntil(h, 'CEREBRAS_API_KEY', 'llama-3.3-70b');
    if (until !== null) expect(until).toBeLessThanOrEqual(at + 30_000);
    expect(h.engine.snapshot().accounts.every((a) => a.status !== 'invalid')).toBe(true);
  });

  it('an OpenRouter upstream provider’s 429 throttles that model for everyone, not the account’s quota: short, and the account’s pool is untouched', async () => {
    const h = await start({ keys: [key('openrouter', 'sk-or-v1-capacityA1', 'acct-a'), key('openrouter', 'sk-or-v1-capacityB2', 'acct-b')] }, () => ({ OPENROUTER_API_KEY: 'sk-or-v1-capacityA1', OPENROUTER_API_KEY2: 'sk-or-v1-capacityB2' }), ['openrouter/google/gemma-4-31b-it:free']);
    h.sim.control.failProviderNext('openrouter', 'capacity', { count: 1 });
    const at = Date.now();
    const throttled = await ask(h.client, 'openrouter/meta-llama/llama-3.3-70b-instruct:free');
    // The throttle did happen (the simulator throttles the model for every key for a few seconds),
    // and the pool waited it out: whichever account's pause ended first served.
    expect(throttled.status).toBe(200);
    expect(h.sim.stats().recent.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(1);
    const until = blockUntil(h, 'OPENROUTER_API_KEY', 'meta-llama/llama-3.3-70b-instruct:free');
    if (until !== null) expect(until).toBeLessThanOrEqual(at + 30_000);
    // Another `:free` model is not in the throttle: neither account is blocked for it, not even
    // owner-wide, and it is served at once by the account the pool sticks to.
    for (const account of ['OPENROUTER_API_KEY', 'OPENROUTER_API_KEY2']) expect(blockUntil(h, account, 'google/gemma-4-31b-it:free')).toBeNull();
    expect(await ask(h.client, 'openrouter/google/gemma-4-31b-it:free')).toMatchObject({ status: 200, account: throttled.account });
  });

  it.each<{ provider: ProviderKey['provider']; keys: ProviderKey[]; env: Record<string, string>; accounts: [string, string]; model: string; window: string; bound: number }>([
    { provider: 'groq', keys: [key('groq', 'gsk_absurdOrgA01', 'org-a'), key('groq', 'gsk_absurdOrgB02', 'org-b')], env: { GROQ_API_KEY: 'gsk_absurdOrgA01', GROQ_API_KEY2: 'gsk_absurdOrgB02' }, accounts: ['GROQ_API_KEY', 'GROQ_API_KEY2'], model: 'llama-3.3-70b-versatile', window: 'day', bound: 25 * 3600_000 },
    { provider: 'openai', keys: [key('openai', 'sk-proj-absurdA01', 'proj-a'), key('openai', 'sk-proj-absurdB02', 'proj-b')], env: { OPENAI_API_KEY: 'sk-proj-absurdA01', OPENAI_API_KEY2: 'sk-proj-absurdB02' }, accounts: ['OPENAI_API_KEY', 'OPENAI_API_KEY2'], model: 'gpt-4o-mini', window: 'day', bound: 25 * 3600_000 },
    { provider: 'nvidia', keys: [key('nvidia', 'nvapi-absurdA00001', 'acct-a'), key('nvidia', 'nvapi-absurdB00002', 'acct-b')], env: { NVIDIA_API_KEY: 'nvapi-absurdA00001', NVIDIA_API_KEY2: 'nvapi-absurdB00002' }, accounts: ['NVIDIA_API_KEY', 'NVIDIA_API_KEY2'], model: 'meta/llama-3.3-70b-instruct', window: 'minute', bound: 2 * MINUTE },
  ])('$provider: an absurd reset header on its $window limit blocks no longer than that window allows, and the other owner serves', async (c) => {
    const h = await start({ keys: c.keys }, () => c.env, [`${c.provider}/${c.model}`]);
    h.sim.control.failProviderNext(c.provider, 'absurd-reset', { count: 1 });
    const at = Date.now();
    expect(await ask(h.client, `${c.provider}/${c.model}`)).toMatchObject({ status: 200, account: c.accounts[1] });
    const until = blockUntil(h, c.accounts[0], c.model);
    expect(until).not.toBeNull();
    expect(until!).toBeLessThanOrEqual(at + c.bound + 1_000);
  });
});

describe('Gemini’s daily quota', () => {
  it('PerDay blocks until the next midnight America/Los_Angeles, whatever retryDelay says', async () => {
    const h = await start(
      { keys: [key('gemini', 'AIzaPerDayProjA1', 'p-a'), key('gemini', 'AIzaPerDayProjB2', 'p-b')], providers: { gemini: { modelLimits: { 'gemini-2.5-flash': { rpm: 100, rpd: 1 } } } } },
      () => ({ GEMINI_API_KEY: 'AIzaPerDayProjA1', GEMINI_API_KEY2: 'AIzaPerDayProjB2' }),
      ['gemini/gemini-2.5-flash'],
    );
    await ask(h.client, 'gemini/gemini-2.5-flash');
    const at = Date.now();
    expect(await ask(h.client, 'gemini/gemini-2.5-flash')).toMatchObject({ status: 200, account: 'GEMINI_API_KEY2' });
    const until = blockUntil(h, 'GEMINI_API_KEY', 'gemini-2.5-flash');
    expect(Math.abs(until! - nextPacificMidnight(at))).toBeLessThanOrEqual(1_000);
  });
});
