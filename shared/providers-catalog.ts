// The providers as Settings → Add account shows them (the renderer may not import main/). Kept in
// step with the descriptors in main/core/providers/ by main/core/runtime/check-account.test.ts.

export const PROVIDER_IDS = [
  'github',
  'groq',
  'gemini',
  'cerebras',
  'openrouter',
  'mistral',
  'cloudflare',
  'openai',
  'azure',
  'nvidia',
  'openai-compatible',
] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** What an account of a provider needs beside its key. */
export type ProviderCredentialField = 'accountId' | 'endpoint' | 'baseUrl';

export interface ProviderInfo {
  id: ProviderId;
  name: string;
  /** Where a person gets a key ('' when there is no one place). */
  keysUrl: string;
  /** What the provider offers, in one sentence. */
  offers: string;
  /** The field this provider needs beside the key, if any. */
  needs?: ProviderCredentialField;
  /** Set when the provider no longer serves. */
  retired?: { since: string };
}

export const PROVIDER_INFO: Readonly<Record<ProviderId, ProviderInfo>> = {
  github: {
    id: 'github',
    name: 'GitHub Models',
    keysUrl: 'https://github.com/settings/tokens',
    offers: 'Retired on 2026-07-30: GitHub Models no longer serves requests. One free account per person (GitHub terms).',
    retired: { since: '2026-07-30' },
  },
  groq: {
    id: 'groq',
    name: 'Groq',
    keysUrl: 'https://console.groq.com/keys',
    offers: 'A free tier per organisation and model (e.g. 30 requests a minute, 1,000 a day on 70B models).',
  },
  gemini: {
    id: 'gemini',
    name: 'Google Gemini',
    keysUrl: 'https://aistudio.google.com/apikey',
    offers: 'A free tier per Google Cloud project and model; daily quotas reset at midnight Pacific time.',
  },
  cerebras: {
    id: 'cerebras',
    name: 'Cerebras',
    keysUrl: 'https://cloud.cerebras.ai',
    offers: 'A free tier per organisation and model, counted per minute, hour and day.',
  },
  openrouter: {
    id: 'openrouter',
    name: 'OpenRouter',
    keysUrl: 'https://openrouter.ai/settings/keys',
    offers: 'Many models; `:free` ones share one pool per account (20 a minute, 50 or 1,000 a day).',
  },
  mistral: {
    id: 'mistral',
    name: 'Mistral',
    keysUrl: 'https://console.mistral.ai/api-keys',
    offers: 'The free Experiment plan per organisation: 1 request a second, 500K tokens a minute, 1B tokens a month.',
  },
  cloudflare: {
    id: 'cloudflare',
    name: 'Cloudflare Workers AI',
    keysUrl: 'https://dash.cloudflare.com/profile/api-tokens',
    offers: '10,000 free neurons a day per account, reset at 00:00 UTC; needs the account id beside the token.',
    needs: 'accountId',
  },
  openai: {
    id: 'openai',
    name: 'OpenAI',
    keysUrl: 'https://platform.openai.com/api-keys',
    offers: 'Paid API keys; limits per organisation, project and model that rise with spend.',
  },
  azure: {
    id: 'azure',
    name: 'Azure OpenAI (Microsoft Foundry)',
    keysUrl: 'https://ai.azure.com',
    offers: "Paid; limits per deployment (the model name is your deployment's name). GitHub Models' successor.",
    needs: 'endpoint',
  },
  nvidia: {
    id: 'nvidia',
    name: 'NVIDIA NIM',
    keysUrl: 'https://build.nvidia.com/settings/api-keys',
    offers: 'Free access to many open models, about 40 requests a minute per account (unpublished).',
  },
  'openai-compatible': {
    id: 'openai-compatible',
    name: 'OpenAI-compatible endpoint',
    keysUrl: '',
    offers: 'Any server with an OpenAI-compatible API (a base URL and a key): a local model server, a gateway, another provider.',
    needs: 'baseUrl',
  },
};

/** Every provider in PROVIDER_IDS order. */
export const PROVIDER_LIST: readonly ProviderInfo[] = PROVIDER_IDS.map((id) => PROVIDER_INFO[id]);

/** How Settings names the field a provider needs. */
export const CREDENTIAL_LABELS: Record<ProviderCredentialField, string> = {
  accountId: 'Account id',
  endpoint: 'Endpoint',
  baseUrl: 'Base URL',
};
