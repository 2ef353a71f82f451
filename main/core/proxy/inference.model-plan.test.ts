import { describe, expect, it } from 'vitest';
import { systemClock } from '../clock';
import { ProxyError } from '../errors';
import { createModelCatalog } from '../limits/model-id';
import { buildRouteTable, RoutePlanner, RouteTraffic } from '../routes';
import { planModel, planModelListed } from './inference';
import type { ProviderRouting } from './deps';

const github = createModelCatalog([{ id: 'openai/gpt-4o-mini', name: 'GPT-4o mini', publisher: 'OpenAI' }]);
const groqModels = [
  { id: 'llama-3.3-70b-versatile', upstreamId: 'llama-3.3-70b-versatile', operations: ['chat' as const] },
  { id: 'gpt-4o-mini', upstreamId: 'gpt-4o-mini', operations: ['chat' as const] },
];

function routing(github: { serves: boolean; accounts: boolean }): ProviderRouting {
  const table = buildRouteTable({ catalogs: [{ provider: 'groq', models: groqModels }], families: [] });
  return { table: () => table, planner: new RoutePlanner(systemClock), traffic: new RouteTraffic(), clock: systemClock, githubServes: () => github.serves, githubAccounts: () => github.accounts, bareIdFallback: () => true };
}

const planOf = (name: string, r: ProviderRouting | null) => planModel(name, github, r);

describe('planModel', () => {
  it('without other providers resolves on GitHub Models as before, with its 404 wording', () => {
    expect(planOf('gpt-4o-mini', null)).toMatchObject({ kind: 'github', model: { id: 'openai/gpt-4o-mini' } });
    expect(() => planOf('gpt-5-nope', null)).toThrow(/does not exist on GitHub Models/);
  });

  it('an explicit {provider}/{model} goes to that provider even when GitHub serves a model of that name', () => {
    expect(planOf('groq/gpt-4o-mini', routing({ serves: true, accounts: true }))).toMatchObject({ kind: 'providers', plan: { kind: 'explicit', targets: [{ provider: 'groq', model: 'gpt-4o-mini' }] } });
  });

  it('a bare id stays on GitHub Models while it serves, and moves to other providers once it is retired', () => {
    expect(planOf('gpt-4o-mini', routing({ serves: true, accounts: true })).kind).toBe('github');
    expect(planOf('gpt-4o-mini', routing({ serves: false, accounts: true }))).toMatchObject({ kind: 'providers', plan: { targets: [{ provider: 'groq' }] } });
  });

  it('a model only GitHub lists: retired GitHub accounts answer for it (503 provider_retired); without any, a 404 from the providers', () => {
    const onlyGithub = createModelCatalog([{ id: 'openai/o3-mini', name: 'o3-mini', publisher: 'OpenAI' }]);
    expect(planModel('o3-mini', onlyGithub, routing({ serves: false, accounts: true })).kind).toBe('github');
    let error: unknown = null;
    try {
      planModel('o3-mini', onlyGithub, routing({ serves: false, accounts: false }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProxyError);
    expect((error as ProxyError).status).toBe(404);
  });
});

describe('planModelListed (right after start)', () => {
  const bundled = [{ id: 'llama-3.3-70b-versatile', upstreamId: 'llama-3.3-70b-versatile', operations: ['chat' as const] }];
  function starting() {
    let table = buildRouteTable({ catalogs: [{ provider: 'groq', models: bundled }], families: [] });
    let settle!: () => void;
    let listing: Promise<void> | null = new Promise<void>((resolve) => (settle = resolve));
    const r: ProviderRouting = { ...routing({ serves: false, accounts: false }), table: () => table, firstListing: () => listing };
    const arrive = () => {
      table = buildRouteTable({ catalogs: [{ provider: 'groq', models: groqModels }], families: [] });
      listing = null;
      settle();
    };
    return { r, arrive };
  }

  it('an id only the live listing has waits for it instead of answering 404', async () => {
    const { r, arrive } = starting();
    const planned = planModelListed('groq/gpt-4o-mini', () => github, () => r);
    setTimeout(arrive, 20);
    await expect(planned).resolves.toMatchObject({ kind: 'providers', plan: { targets: [{ provider: 'groq', model: 'gpt-4o-mini' }] } });
  });

  it('an id the live listing lacks is still a 404 once it is in; after the first listing nothing waits', async () => {
    const { r, arrive } = starting();
    const planned = planModelListed('groq/no-such-model', () => github, () => r);
    setTimeout(arrive, 20);
    await expect(planned).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
    await expect(planModelListed('groq/no-such-model', () => github, () => r)).rejects.toMatchObject({ status: 404 });
  });
});
