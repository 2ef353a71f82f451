import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providerFor } from '../providers/index';
import { PROVIDER_IDS, type ProviderId } from '../providers/types';
import { SIM_PROVIDERS, startSimulator, type Simulator, type SimProviderId } from '../../simulator/index';
import { providerBaseUrl } from '../../simulator/providers/registry';
import { createProviderUpstream, ProviderHttpError, type UpstreamAccount } from './provider-upstream';

const upstream = createProviderUpstream({ timeouts: { connectMs: 5_000, firstByteMs: 10_000, idleMs: 10_000 } });
let sim: Simulator;
let clock = Date.UTC(2026, 8, 1, 12, 0, 0);
const now = () => clock;
// Every test starts in a fresh minute (Mistral allows one request a second).
beforeEach(() => {
  clock += 61_000;
});

/** Each provider's account on the simulator; openai-compatible points at the simulator's OpenAI dialect. */
function accountOf(provider: ProviderId, key = `${provider}-key-1`): UpstreamAccount {
  switch (provider) {
    case 'github':
      return { provider, key, baseUrl: sim.url, apiBaseUrl: sim.url };
    case 'cloudflare':
      return { provider, key, baseUrl: providerBaseUrl(sim.url, 'cloudflare'), accountId: 'cf-acct' };
    case 'azure':
      return { provider, key, baseUrl: '', endpoint: providerBaseUrl(sim.url, 'azure').replace(/\/openai\/v1$/, '') };
    case 'openai-compatible':
      return { provider, key: 'openai-key-1', baseUrl: providerBaseUrl(sim.url, 'openai') };
    default:
      return { provider, key, baseUrl: providerBaseUrl(sim.url, provider) };
  }
}

/** Whose quota each simulator key counts into. */
const OWNERS: Record<SimProviderId, string> = {
  groq: 'org_a',
  gemini: 'proj_a',
  cerebras: 'org_c',
  openrouter: 'or_acct',
  mistral: 'mistral_org',
  cloudflare: 'cf-acct',
  openai: 'proj_o',
  azure: 'res_a',
  nvidia: 'nv_a',
};

beforeAll(async () => {
  sim = await startSimulator({
    now,
    users: [{ token: 'github-key-1', login: 'alice' }],
    keys: SIM_PROVIDERS.map((provider) => ({ provider, key: `${provider}-key-1`, owner: OWNERS[provider], ...(provider === 'cloudflare' ? { accountId: 'cf-acct' } : {}) })),
  });
});
afterAll(async () => {
  await upstream.close();
  await sim.close();
});

/** A chat model of the provider's list (OpenRouter: a `:free` one, the ones its quota counts). */
async function chatModel(provider: ProviderId): Promise<string> {
  const models = await upstream.listModels(accountOf(provider));
  const chat = models.find((m) => m.operations.includes('chat') && (provider !== 'openrouter' || m.id.endsWith(':free')));
  if (!chat) throw new Error(`${provider} lists no chat model`);
  return chat.upstreamId;
}

async function text(reply: { body: NodeJS.ReadableStream }): Promise<string> {
  let out = '';
  for await (const chunk of reply.body) out += chunk.toString();
  return out;
}

const ALL = PROVIDER_IDS.filter((id) => id !== 'github');

describe('provider upstream against the simulator', () => {
  it.each(ALL)('%s: the models list parses into chat models', async (provider) => {
    const models = await upstream.listModels(accountOf(provider));
    expect(models.length).toBeGreaterThan(0);
    expect(models.some((m) => m.operations.includes('chat'))).toBe(true);
    for (const m of models) expect(m.id).not.toMatch(/^models\//);
  });

  it.each(ALL)('%s: a chat reaches the provider path with its auth and an answer comes back', async (provider) => {
    const model = await chatModel(provider);
    const account = accountOf(provider);
    const reply = await upstream.send('chat', account, { model, messages: [{ role: 'user', content: 'hi' }] }, new AbortController().signal);
    const body = await text(reply);
    expect(reply.status).toBe(200);
    expect(JSON.parse(body).choices[0].message.content).toEqual(expect.any(String));
    // The provider's dialect on the simulator counted it for the key's owner: path and auth were right.
    const simProvider = provider === 'openai-compatible' ? 'openai' : provider;
    const used = sim.control.providerUsage(simProvider, OWNERS[simProvider], model.replace(/^models\//, ''));
    expect(used.some((meter) => meter.used > 0)).toBe(true);
  });

  it.each(ALL)('%s: a stream comes back as server-sent events', async (provider) => {
    const model = await chatModel(provider);
    const body = JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const reply = await upstream.send('chat', accountOf(provider), body, new AbortController().signal);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/text\/event-stream/);
    const events = await text(reply);
    expect(events).toContain('data: ');
    expect(events).toContain('"delta"');
  });

  it.each(ALL)('%s: a wrong key is refused, never echoed', async (provider) => {
    const account = { ...accountOf(provider), key: 'not-a-known-key-123' };
    const error = await upstream.listModels(account).catch((e: unknown) => e);
    // Some providers list models without checking the key; those that check refuse it.
    if (error instanceof ProviderHttpError) {
      expect([400, 401, 403]).toContain(error.status);
      expect(error.message).not.toContain('not-a-known-key-123');
    } else {
      expect(Array.isArray(error)).toBe(true);
    }
  });
});

/** What each provider's 429 carries as the simulator speaks it (headers, or the dialect in the body). */
const LIMIT_MARKS: Record<SimProviderId, { header?: string; body?: string }> = {
  groq: { header: 'x-ratelimit-reset-requests', body: 'organization `org_a`' },
  gemini: { body: 'RESOURCE_EXHAUSTED' },
  cerebras: { header: 'x-ratelimit-reset-tokens-minute', body: 'request_quota_exceeded' },
  openrouter: { body: 'X-RateLimit-Reset' },
  mistral: { header: 'ratelimitbysize-reset' },
  cloudflare: { header: 'retry-after', body: '"errors"' },
  openai: { header: 'retry-after-ms' },
  azure: { header: 'retry-after-ms' },
  nvidia: { body: '"title":"Too Many Requests"' },
};

describe('429s with the provider headers', () => {
  it.each(SIM_PROVIDERS)('%s: the 429 comes back and the descriptor reads it into a limit', async (provider) => {
    const model = await chatModel(provider);
    sim.control.configureProvider(provider, { limits: { rpm: 1, rps: 1 } });
    try {
      const account = accountOf(provider);
      const ask = () => upstream.send('chat', account, { model, messages: [{ role: 'user', content: 'hi' }] }, new AbortController().signal);
      let reply = await ask();
      for (let i = 0; i < 3 && reply.status !== 429; i++) {
        await text(reply);
        reply = await ask();
      }
      const body = await text(reply);
      expect(reply.status).toBe(429);
      const limit = providerFor(provider).readLimit(reply.status, reply.headers, body, now());
      expect(limit).not.toBeNull();
      expect(limit!.resetAt).toBeGreaterThan(now());
      const mark = LIMIT_MARKS[provider];
      if (mark.header) expect(reply.headers[mark.header]).toBeDefined();
      if (mark.body) expect(body).toContain(mark.body);
    } finally {
      sim.control.configureProvider(provider, { limits: { rpm: null, rps: null } });
    }
  });
});

describe('identity', () => {
  it('openrouter: GET /key names the account', async () => {
    const identity = await upstream.identify(accountOf('openrouter'));
    expect(identity).not.toBeNull();
    expect(identity!.ownerId).toEqual(expect.any(String));
    expect(identity!.ownerId.length).toBeGreaterThan(0);
  });

  it('github: GET /user names the login', async () => {
    expect(await upstream.identify(accountOf('github'))).toMatchObject({ ownerId: 'alice' });
  });

  it('groq has no identity request', async () => {
    expect(await upstream.identify(accountOf('groq'))).toBeNull();
  });
});

describe('github through the same sender', () => {
  it('a chat reaches /inference/chat/completions with the token', async () => {
    const reply = await upstream.send('chat', accountOf('github'), { model: 'openai/gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }, new AbortController().signal);
    const body = await text(reply);
    expect(reply.status).toBe(200);
    expect(JSON.parse(body).choices[0].message.content).toEqual(expect.any(String));
  });
});

describe('network errors', () => {
  it('a refused connection is an UpstreamNetworkError with the host, not the key', async () => {
    const account: UpstreamAccount = { provider: 'groq', key: 'groq-key-secret', baseUrl: 'http://127.0.0.1:1/openai/v1' };
    const error = await upstream.send('chat', account, { model: 'x', messages: [] }, new AbortController().signal).catch((e: unknown) => e as Error);
    expect((error as Error).name).toBe('UpstreamNetworkError');
    expect((error as Error).message).not.toContain('groq-key-secret');
  });
});
