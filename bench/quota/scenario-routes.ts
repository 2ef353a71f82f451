import type { ProviderScenario } from './provider-scenario';
import { providerEngine, retryOn429, roundRobin, type ProviderStrategyDef } from './provider-strategies';
import { DAY_SECONDS } from './scenarios';

/**
 * Routes (issue 12): demand for `llama-3.3-70b`, a route over Groq, Cerebras and OpenRouter (one
 * owner each), larger than any one provider allows over the day but within their sum. The engine
 * serves the route; the same engine with each provider alone is what a person without routes
 * gets; the baselines spread over every (key, target).
 */

export const ROUTE = 'llama-3.3-70b';

export function routesScenario(): ProviderScenario {
  return {
    name: `route ${ROUTE} over Groq, Cerebras, OpenRouter`,
    seed: 12,
    accounts: [
      { id: 'GROQ_API_KEY', provider: 'groq', key: 'gsk_benchRoute000000000000000000000000000000000000Rt', owner: 'org_bench_route' },
      { id: 'CEREBRAS_API_KEY', provider: 'cerebras', key: 'csk-benchroute00000000000000000000000000000000000rt', owner: 'org_bench_route_cb' },
      { id: 'OPENROUTER_API_KEY', provider: 'openrouter', key: 'sk-or-v1-benchroute000000000000000000000000000000000000000000000000rt', owner: 'bench-route-account', creditsPurchased: true },
    ],
    settings: { cerebras: { limits: { rpd: 1000 } } },
    demands: [
      {
        name: ROUTE,
        targets: [
          { provider: 'groq', model: 'llama-3.3-70b-versatile' },
          { provider: 'cerebras', model: 'llama-3.3-70b' },
          { provider: 'openrouter', model: 'meta-llama/llama-3.3-70b-instruct:free' },
        ],
        perDay: 4000,
        latencyMs: [300, 2000],
      },
    ],
    routes: [{ name: ROUTE, targets: ['groq/llama-3.3-70b-versatile', 'cerebras/llama-3.3-70b', 'openrouter/meta-llama/llama-3.3-70b-instruct:free'] }],
    bursts: { meanGapSeconds: 3_600, size: [10, 30], spreadSeconds: 15 },
    durationSeconds: DAY_SECONDS,
  };
}

export const ROUTE_STRATEGIES: ProviderStrategyDef[] = [providerEngine(), providerEngine('groq'), providerEngine('cerebras'), providerEngine('openrouter'), roundRobin, retryOn429];
