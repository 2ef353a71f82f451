import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_IDS as SHARED_IDS, PROVIDER_INFO } from '../../../shared/providers-catalog';
import { EXTRA_CREDENTIAL } from '../config/provider-env';
import { allProviders } from '../providers/index';
import { startSimulator, type Simulator } from '../../simulator/index';
import { providerBaseUrl } from '../../simulator/providers/registry';
import { createProviderUpstream } from '../upstream/provider-upstream';
import { checkAccount } from './check-account';

const upstream = createProviderUpstream({ timeouts: { connectMs: 5_000, firstByteMs: 10_000, idleMs: 10_000 } });
let sim: Simulator;
let baseUrls: Record<string, string>;

beforeAll(async () => {
  sim = await startSimulator({
    keys: [
      { provider: 'groq', key: 'gsk_good_key_123', owner: 'org_a' },
      { provider: 'openrouter', key: 'sk-or-good-456', owner: 'or_acct', label: 'laptop key' },
      { provider: 'cloudflare', key: 'cf_good_789', owner: 'cf-acct', accountId: 'cf-acct' },
    ],
  });
  baseUrls = { groq: providerBaseUrl(sim.url, 'groq'), openrouter: providerBaseUrl(sim.url, 'openrouter'), cloudflare: providerBaseUrl(sim.url, 'cloudflare') };
});
afterAll(async () => {
  await upstream.close();
  await sim.close();
});

describe('checkAccount', () => {
  it('a good key: what it serves, in words', async () => {
    const result = await checkAccount({ provider: 'groq', token: 'gsk_good_key_123' }, upstream, { baseUrls });
    expect(result.ok).toBe(true);
    expect(result.models!.length).toBeGreaterThan(0);
    expect(result.message).toMatch(/^Groq accepted the key: it serves \d+ chat models/);
    expect(result.owner).toBeUndefined();
  });

  it('names the owner where the provider has an identity (OpenRouter GET /key)', async () => {
    const result = await checkAccount({ provider: 'openrouter', token: 'sk-or-good-456' }, upstream, { baseUrls });
    expect(result.ok).toBe(true);
    expect(result.owner).toMatchObject({ via: 'identity' });
    expect(result.message).toContain(`The key belongs to ${result.owner!.label}.`);
  });

  it('a declared quota group is the owner', async () => {
    const result = await checkAccount({ provider: 'groq', token: 'gsk_good_key_123', quotaGroup: 'work' }, upstream, { baseUrls });
    expect(result.owner).toEqual({ id: 'work', label: 'work', via: 'quota_group' });
  });

  it('a wrong key is refused in plain words without echoing it', async () => {
    const result = await checkAccount({ provider: 'groq', token: 'gsk_wrong_key_000' }, upstream, { baseUrls });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Groq refused the key \(401\)/);
    expect(result.message).not.toContain('gsk_wrong_key_000');
    expect(result.models).toBeUndefined();
  });

  it('Cloudflare with its account id lists models; without it, says what is missing', async () => {
    expect((await checkAccount({ provider: 'cloudflare', token: 'cf_good_789', accountId: 'cf-acct' }, upstream, { baseUrls })).ok).toBe(true);
    const missing = await checkAccount({ provider: 'cloudflare', token: 'cf_good_789' }, upstream, { baseUrls });
    expect(missing).toEqual({ ok: false, message: expect.stringContaining('needs its account id') });
  });

  it('an unreachable provider is said so', async () => {
    const result = await checkAccount({ provider: 'groq', token: 'gsk_x', baseUrl: 'http://127.0.0.1:1/v1' }, upstream);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Could not reach Groq/);
  });

  it('GitHub Models is retired: refused with the retirement message, nothing sent', async () => {
    const calls: string[] = [];
    const spy = { listModels: async () => (calls.push('list'), []), identify: async () => null };
    const result = await checkAccount({ provider: 'github', token: 'ghp_x' }, spy);
    expect(result.ok).toBe(false);
    expect(result.message).toContain('retired');
    expect(calls).toEqual([]);
  });
});

describe('the providers list Settings shows (shared/providers-catalog.ts)', () => {
  it('agrees with the descriptors: ids, names, where keys come from, what they offer, what they need, retired', () => {
    expect(SHARED_IDS).toEqual(allProviders().map((p) => p.id));
    for (const provider of allProviders()) {
      const info = PROVIDER_INFO[provider.id];
      expect({ name: info.name, keysUrl: info.keysUrl, offers: info.offers, needs: info.needs, retired: info.retired?.since }).toEqual({
        name: provider.name,
        keysUrl: provider.about.keysUrl,
        offers: provider.about.offers,
        needs: EXTRA_CREDENTIAL[provider.id],
        retired: provider.retired?.since,
      });
    }
  });
});
