import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { providerFor } from '../providers/index';
import { startSimulator, type Simulator } from '../../simulator/index';
import { providerBaseUrl } from '../../simulator/providers/registry';
import { createProviderUpstream, type ProviderUpstream, type UpstreamAccount } from '../upstream/provider-upstream';
import { createProviderCatalogs, type ProviderCatalogs } from './provider-catalogs';

const upstream = createProviderUpstream({ timeouts: { connectMs: 5_000, firstByteMs: 10_000, idleMs: 10_000 } });
let sim: Simulator;
let catalogs: ProviderCatalogs | null = null;

beforeAll(async () => {
  sim = await startSimulator({
    keys: [
      { provider: 'groq', key: 'gsk_one', owner: 'org_a' },
      { provider: 'gemini', key: 'gem_one', owner: 'proj_a' },
    ],
    providers: { groq: { models: [{ id: 'only-this-model' }, { id: 'and-this-one' }] } },
  });
});
afterEach(() => {
  catalogs?.close();
  catalogs = null;
});
afterAll(async () => {
  await upstream.close();
  await sim.close();
});

const groq = (key = 'gsk_one'): UpstreamAccount => ({ provider: 'groq', key, baseUrl: providerBaseUrl(sim.url, 'groq') });
const gemini = (): UpstreamAccount => ({ provider: 'gemini', key: 'gem_one', baseUrl: providerBaseUrl(sim.url, 'gemini') });
const ids = (models: readonly { id: string }[] | undefined) => (models ?? []).map((m) => m.id);

/** An upstream whose models list can be made to fail. */
function flaky(): { upstream: Pick<ProviderUpstream, 'listModels'>; failing: { on: boolean }; calls: string[] } {
  const failing = { on: false };
  const calls: string[] = [];
  return {
    failing,
    calls,
    upstream: {
      listModels: (account, signal) => {
        calls.push(account.key);
        return failing.on ? Promise.reject(new Error('connection refused')) : upstream.listModels(account, signal);
      },
    },
  };
}

describe('provider catalogs', () => {
  it('holds the live list of each provider that has an account, fetched from the simulator', async () => {
    catalogs = createProviderCatalogs({ upstream, accounts: () => [groq(), gemini()] });
    await catalogs.ready;
    const by = catalogs.byProvider();
    expect(Object.keys(by).sort()).toEqual(['gemini', 'groq']);
    expect(ids(by.groq)).toEqual(['only-this-model', 'and-this-one']);
    expect(ids(by.gemini).length).toBeGreaterThan(0);
    expect(ids(by.gemini).some((id) => id.startsWith('models/'))).toBe(false);
    expect(catalogs.status('groq')).toMatchObject({ source: 'live', lastError: null });
    expect(catalogs.list().map((c) => c.provider)).toEqual(['groq', 'gemini']);
    expect(catalogs.status('openai')).toBeNull();
  });

  it('falls back to the bundled catalog when the upstream fails, and says why', async () => {
    const bad = flaky();
    bad.failing.on = true;
    catalogs = createProviderCatalogs({ upstream: bad.upstream, accounts: () => [groq()] });
    await catalogs.ready;
    const bundled = ids(providerFor('groq').bundledCatalog());
    expect(bundled.length).toBeGreaterThan(0);
    expect(ids(catalogs.byProvider().groq)).toEqual(bundled);
    expect(catalogs.status('groq')).toMatchObject({ source: 'bundled', lastError: 'connection refused' });
  });

  it('falls back to bundled when the key is refused by the simulator', async () => {
    catalogs = createProviderCatalogs({ upstream, accounts: () => [groq('gsk_unknown')] });
    await catalogs.ready;
    expect(catalogs.status('groq')!.source).toBe('bundled');
    expect(catalogs.status('groq')!.lastError).not.toContain('gsk_unknown');
  });

  it('tries the next account of the provider when the first cannot list', async () => {
    catalogs = createProviderCatalogs({ upstream, accounts: () => [groq('gsk_unknown'), groq('gsk_one')] });
    await catalogs.ready;
    expect(ids(catalogs.byProvider().groq)).toEqual(['only-this-model', 'and-this-one']);
  });

  it('keeps the last good list when a refresh fails, and notifies only on change', async () => {
    const bad = flaky();
    catalogs = createProviderCatalogs({ upstream: bad.upstream, accounts: () => [groq()] });
    let changes = 0;
    catalogs.onChange(() => changes++);
    await catalogs.ready;
    expect(changes).toBe(1);
    bad.failing.on = true;
    await catalogs.refresh();
    expect(ids(catalogs.byProvider().groq)).toEqual(['only-this-model', 'and-this-one']);
    expect(catalogs.status('groq')).toMatchObject({ source: 'live', lastError: 'connection refused' });
    bad.failing.on = false;
    await catalogs.refresh();
    expect(changes).toBe(1);
    sim.control.configureProvider('groq', { models: [{ id: 'only-this-model' }] });
    try {
      await catalogs.refresh();
      expect(changes).toBe(2);
      expect(ids(catalogs.byProvider().groq)).toEqual(['only-this-model']);
    } finally {
      sim.control.configureProvider('groq', { models: [{ id: 'only-this-model' }, { id: 'and-this-one' }] });
    }
  });

  it('follows the accounts: a new provider is fetched, one without accounts is dropped', async () => {
    let accounts: UpstreamAccount[] = [groq()];
    catalogs = createProviderCatalogs({ upstream, accounts: () => accounts });
    await catalogs.ready;
    let changes = 0;
    catalogs.onChange(() => changes++);
    accounts = [gemini()];
    await catalogs.accountsChanged();
    expect(Object.keys(catalogs.byProvider())).toEqual(['gemini']);
    expect(catalogs.status('gemini')!.source).toBe('live');
    expect(changes).toBe(1);
  });
});
