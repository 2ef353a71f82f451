import { DEMO_USERS } from './demo';
import type { SimulatorOptions } from './options';
import { DIALECTS, simulatorBaseUrlEnv } from './providers/registry';
import type { ProviderSettings } from './providers/runtime';
import type { ProviderKey, SimProviderId } from './providers/types';

/**
 * The mixed demo for `switchyard serve --simulate`: two Groq organisations, a Gemini project, a
 * Cerebras organisation, an OpenRouter account and one GitHub account (retired, as GitHub Models
 * is), with limits small enough to watch rotation across providers within a minute. The keys are
 * fake and only the simulator accepts them.
 *
 * The demo's limits (per account; "a day" refills as each provider refills):
 * | account | provider | per minute | per day |
 * |---|---|---|---|
 * | GROQ_API_KEY (org_demo_work), GROQ_API_KEY2 (org_demo_home) | Groq | 3 requests a model | 30 a model, refilling continuously (one back every 48 min) |
 * | GEMINI_API_KEY (project demo-project) | Gemini | 2 requests a model | 20 a model, until midnight Pacific; Pro models 0 (free tier) |
 * | CEREBRAS_API_KEY (org_demo_cerebras) | Cerebras | 3 requests, 64,000 tokens reserved (input + max_completion_tokens) a model | 30 a model, refilling continuously |
 * | OPENROUTER_API_KEY (demo-account) | OpenRouter | 4 requests over every `:free` model together | 50 over every `:free` model, until 00:00 UTC |
 * | GITHUB_TOKEN (alice) | GitHub Models | retired: 410 on inference and the catalog | — |
 */

export type DemoProvider = SimProviderId | 'github';

export interface DemoPoolAccount {
  /** The account's id, as the environment would name it. */
  id: string;
  provider: DemoProvider;
  key: string;
  /** Who owns its quota at the provider (two Groq organisations: two quotas). */
  owner: string;
  /** The provider's base URL as a path on the simulator (GitHub: the root serves both of its hosts). */
  baseUrl: string;
}

export interface DemoPool {
  /** For startSimulator (or startPersistentSimulator). */
  options: SimulatorOptions;
  accounts: DemoPoolAccount[];
  /** Route names a client can send as `model`, each tried in order across providers. */
  routes: Record<string, string[]>;
}

export const DEMO_POOL_SETTINGS: Readonly<Partial<Record<SimProviderId, ProviderSettings>>> = {
  groq: { limits: { rpm: 3, rpd: 30, tpm: 12_000, tpd: null } },
  gemini: { modelLimits: { 'gemini-2.5-flash': { rpm: 2, rpd: 20 }, 'gemini-3.5-flash-lite': { rpm: 2, rpd: 20 } } },
  cerebras: { limits: { rpm: 3, rpd: 30, tpm: 64_000, tpd: null } },
  openrouter: { limits: { rpm: 4, rpd: 50 } },
};

const KEYS: readonly (ProviderKey & { id: string })[] = [
  { id: 'GROQ_API_KEY', provider: 'groq', key: 'gsk_demoWork00000000000000000000000000000000000000Wk', owner: 'org_demo_work' },
  { id: 'GROQ_API_KEY2', provider: 'groq', key: 'gsk_demoHome00000000000000000000000000000000000000Hm', owner: 'org_demo_home' },
  { id: 'GEMINI_API_KEY', provider: 'gemini', key: 'AIzaSyDemo000000000000000000000000000Gm', owner: 'demo-project' },
  { id: 'CEREBRAS_API_KEY', provider: 'cerebras', key: 'csk-demo0000000000000000000000000000000000000000cb', owner: 'org_demo_cerebras' },
  { id: 'OPENROUTER_API_KEY', provider: 'openrouter', key: 'sk-or-v1-demo000000000000000000000000000000000000000000000000000000or', owner: 'demo-account' },
];

export const DEMO_ROUTES: Readonly<Record<string, readonly string[]>> = {
  'llama-3.3-70b': ['groq/llama-3.3-70b-versatile', 'cerebras/llama-3.3-70b', 'openrouter/meta-llama/llama-3.3-70b-instruct:free'],
  'fast-chat': ['gemini/gemini-2.5-flash', 'groq/llama-3.1-8b-instant', 'openrouter/google/gemma-4-31b-it:free'],
};

/** The demo pool; `overrides` win (e.g. a port or a clock). */
export function demoPool(overrides: Partial<SimulatorOptions> = {}): DemoPool {
  const alice = DEMO_USERS[0]!;
  return {
    options: {
      users: [{ ...alice }],
      githubRetired: true,
      keys: KEYS.map(({ id: _id, ...key }) => key),
      providers: structuredClone(DEMO_POOL_SETTINGS) as SimulatorOptions['providers'],
      latencyMs: 120,
      stream: { chunks: 8, chunkDelayMs: 60 },
      ...overrides,
    },
    accounts: [
      ...KEYS.map((k) => ({ id: k.id, provider: k.provider, key: k.key, owner: k.owner, baseUrl: DIALECTS[k.provider].prefix })),
      { id: 'GITHUB_TOKEN', provider: 'github', key: alice.token, owner: alice.login, baseUrl: '' },
    ],
    routes: Object.fromEntries(Object.entries(DEMO_ROUTES).map(([name, targets]) => [name, [...targets]])),
  };
}

/**
 * The demo pool as environment variables, the way a person would set them (GROQ_API_KEY,
 * GROQ_API_KEY2, …, GITHUB_TOKEN) with every base URL variable pointed at the simulator.
 */
export function demoPoolEnv(pool: DemoPool, simulatorUrl: string): Record<string, string> {
  const env = simulatorBaseUrlEnv(simulatorUrl);
  for (const account of pool.accounts) env[account.id] = account.key;
  return env;
}
