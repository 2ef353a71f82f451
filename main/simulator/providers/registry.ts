import { azure } from './azure';
import { cerebras } from './cerebras';
import { cloudflare } from './cloudflare';
import type { Dialect } from './dialect';
import { gemini } from './gemini';
import { groq } from './groq';
import { mistral } from './mistral';
import { nvidia } from './nvidia';
import { openai } from './openai';
import { openrouter } from './openrouter';
import type { SimProviderId } from './types';

/** Every provider the simulator speaks besides GitHub, each below its own path prefix. */
export const DIALECTS: Readonly<Record<SimProviderId, Dialect>> = { groq, gemini, cerebras, openrouter, mistral, cloudflare, openai, azure, nvidia };

/** The dialect whose prefix `path` starts with, and the path below it; null for GitHub's paths. */
export function dialectFor(path: string): { dialect: Dialect; rest: string } | null {
  for (const dialect of Object.values(DIALECTS)) {
    if (path === dialect.prefix || path.startsWith(`${dialect.prefix}/`)) return { dialect, rest: path.slice(dialect.prefix.length) || '/' };
  }
  return null;
}

/**
 * The base URL of `provider` on a simulator at `simulatorUrl`, as the provider's base URL
 * variable takes it (Cloudflare: the `…/client/v4` part; the account path follows).
 */
export function providerBaseUrl(simulatorUrl: string, provider: SimProviderId | 'github'): string {
  return provider === 'github' ? simulatorUrl : `${simulatorUrl}${DIALECTS[provider].prefix}`;
}

/** Each provider's base URL variable (DESIGN.md), and the value that points it at the simulator. */
const BASE_URL_VARIABLES: Record<SimProviderId, string> = {
  groq: 'GROQ_BASE_URL',
  gemini: 'GEMINI_BASE_URL',
  cerebras: 'CEREBRAS_BASE_URL',
  openrouter: 'OPENROUTER_BASE_URL',
  mistral: 'MISTRAL_BASE_URL',
  cloudflare: 'CLOUDFLARE_BASE_URL',
  openai: 'OPENAI_BASE_URL',
  azure: 'AZURE_OPENAI_ENDPOINT',
  nvidia: 'NVIDIA_BASE_URL',
};

/**
 * The environment that points every provider at a simulator: its base URL variables (Azure's is
 * the endpoint, `/openai/v1` follows) and GitHub's two.
 */
export function simulatorBaseUrlEnv(simulatorUrl: string): Record<string, string> {
  const env: Record<string, string> = { GITHUB_MODELS_BASE_URL: simulatorUrl, GITHUB_API_BASE_URL: simulatorUrl };
  for (const [provider, variable] of Object.entries(BASE_URL_VARIABLES) as Array<[SimProviderId, string]>) {
    const base = providerBaseUrl(simulatorUrl, provider);
    env[variable] = provider === 'azure' ? base.replace(/\/openai\/v1$/, '') : base;
  }
  return env;
}
