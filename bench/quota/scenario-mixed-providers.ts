import type { ProviderScenario } from './provider-scenario';
import { providerEngine, retryOn429, roundRobin, type ProviderStrategyDef } from './provider-strategies';
import { DAY_SECONDS } from './scenarios';

/**
 * A mixed-provider day (issue 11, item 7): two Groq organisations (and a second key of the
 * first, a spare that adds no quota), a Gemini project, a Cerebras organisation and an OpenRouter
 * account, each answered in its own dialect with its own reset rules by the simulator's provider
 * logic (provider-upstream.ts):
 * - Groq: per (organisation, model) RPM 30 / RPD 1000 / TPM / TPD buckets refilling
 *   continuously, x-ratelimit-* headers with Go durations, `retry-after` on 429;
 * - Gemini: per (project, model) RPM over a minute and an RPD (250 here) that resets at midnight
 *   America/Los_Angeles, 429s as a JSON array with QuotaFailure and a short RetryInfo;
 * - Cerebras: per (organisation, model) RPD (1000 here) and TPM 64k with input +
 *   max_completion_tokens reserved, float-second reset headers, flat error bodies;
 * - OpenRouter: one `:free` pool per account over every free model (20 a minute, 1000 a day
 *   with credits bought), ending 00:00 UTC, reset in epoch ms inside the 429's metadata.
 * Demand is about 1.5x what each provider's owners allow over the day, plus bursts.
 */

const KEYS = {
  groqWork: 'gsk_benchWork0000000000000000000000000000000000000Wk',
  groqHome: 'gsk_benchHome0000000000000000000000000000000000000Hm',
  groqWork2: 'gsk_benchWork2000000000000000000000000000000000000W2',
  gemini: 'AIzaSyBench00000000000000000000000000Gm',
  cerebras: 'csk-bench000000000000000000000000000000000000000cb',
  openrouter: 'sk-or-v1-bench00000000000000000000000000000000000000000000000000000or',
};

export function mixedProvidersScenario(): ProviderScenario {
  return {
    name: 'mixed providers: 2 Groq orgs (+1 spare key), Gemini, Cerebras, OpenRouter',
    seed: 11,
    accounts: [
      { id: 'GROQ_API_KEY', provider: 'groq', key: KEYS.groqWork, owner: 'org_bench_work' },
      { id: 'GROQ_API_KEY2', provider: 'groq', key: KEYS.groqHome, owner: 'org_bench_home' },
      { id: 'GROQ_API_KEY3', provider: 'groq', key: KEYS.groqWork2, owner: 'org_bench_work' },
      { id: 'GEMINI_API_KEY', provider: 'gemini', key: KEYS.gemini, owner: 'bench-project', quotaGroup: 'bench-project' },
      { id: 'CEREBRAS_API_KEY', provider: 'cerebras', key: KEYS.cerebras, owner: 'org_bench_cerebras' },
      { id: 'OPENROUTER_API_KEY', provider: 'openrouter', key: KEYS.openrouter, owner: 'bench-account', creditsPurchased: true },
    ],
    settings: {
      gemini: { modelLimits: { 'gemini-2.5-flash': { rpm: 10, rpd: 250 } } },
      cerebras: { limits: { rpd: 1000 } },
    },
    demands: [
      { name: 'groq/llama-3.3-70b-versatile', targets: [{ provider: 'groq', model: 'llama-3.3-70b-versatile' }], perDay: 6000, latencyMs: [300, 1500] },
      { name: 'gemini/gemini-2.5-flash', targets: [{ provider: 'gemini', model: 'gemini-2.5-flash' }], perDay: 750, latencyMs: [800, 3000] },
      { name: 'cerebras/llama-3.3-70b', targets: [{ provider: 'cerebras', model: 'llama-3.3-70b' }], perDay: 3000, latencyMs: [200, 800] },
      { name: 'openrouter/meta-llama/llama-3.3-70b-instruct:free', targets: [{ provider: 'openrouter', model: 'meta-llama/llama-3.3-70b-instruct:free' }], perDay: 750, latencyMs: [1000, 4000] },
      { name: 'openrouter/google/gemma-4-31b-it:free', targets: [{ provider: 'openrouter', model: 'google/gemma-4-31b-it:free' }], perDay: 750, latencyMs: [1000, 4000] },
    ],
    routes: [],
    bursts: { meanGapSeconds: 1_800, size: [20, 60], spreadSeconds: 15 },
    durationSeconds: DAY_SECONDS,
  };
}

export const MIXED_STRATEGIES: ProviderStrategyDef[] = [providerEngine(), roundRobin, retryOn429];
