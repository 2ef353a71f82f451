import type { ProviderId, ProviderModel } from '../../providers/types';
import type { ProviderCatalog } from '../types';

/** A chat model as a provider's catalog lists it; `caps` as the catalog states them. */
export function model(id: string, caps?: ProviderModel['capabilities']): ProviderModel {
  return { id, upstreamId: id, operations: ['chat'], ...(caps ? { capabilities: caps } : {}) };
}

export function catalog(provider: ProviderId, ...models: Array<string | ProviderModel>): ProviderCatalog {
  return { provider, models: models.map((m) => (typeof m === 'string' ? model(m) : m)) };
}

/** Groq, Cerebras, OpenRouter and NVIDIA with their Llama 3.3 70B ids (issue 12), and a few more. */
export const FOUR_PROVIDERS: ProviderCatalog[] = [
  catalog('groq', model('llama-3.3-70b-versatile', { tools: true }), 'llama-3.1-8b-instant', 'openai/gpt-oss-120b'),
  catalog('cerebras', 'llama-3.3-70b', 'gpt-oss-120b'),
  catalog('openrouter', model('meta-llama/llama-3.3-70b-instruct:free', { tools: false }), 'google/gemma-4-31b-it:free'),
  catalog('nvidia', model('meta/llama-3.3-70b-instruct', { vision: false })),
];
