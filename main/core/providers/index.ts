/**
 * The provider registry. A descriptor builds requests and reads answers; it never sends:
 *
 *   const provider = providerFor(account.provider);
 *   const request = provider.buildRequest('chat', account, body);   // account: ProviderCredentials
 *   // …send it with the shared client…
 *   const limit = provider.readLimit(status, headers, bodyText, clock.now());   // null: not a limit
 *   const hints = provider.readRemaining(headers, clock.now());                  // on success
 *   const clientError = provider.translateError(status, headers, bodyText);
 *
 * Accounts come from config/provider-env.ts and config/config-file.ts (both shaped as
 * ProviderCredentials); owners.ts says which of them share one quota.
 */
import { azure } from './azure';
import { cerebras } from './cerebras';
import { cloudflare } from './cloudflare';
import { gemini } from './gemini';
import { github } from './github';
import { groq } from './groq';
import { mistral } from './mistral';
import { nvidia } from './nvidia';
import { openai } from './openai';
import { openaiCompatible } from './openai-compatible';
import { openrouter } from './openrouter';
import { PROVIDER_IDS, type ProviderDescriptor, type ProviderId } from './types';

/** Every provider, by id. */
export const PROVIDERS: Readonly<Record<ProviderId, ProviderDescriptor>> = {
  github,
  groq,
  gemini,
  cerebras,
  openrouter,
  mistral,
  cloudflare,
  openai,
  azure,
  nvidia,
  'openai-compatible': openaiCompatible,
};

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

/** The descriptor of a provider id; throws on an unknown id (validate input with isProviderId first). */
export function providerFor(id: ProviderId): ProviderDescriptor {
  const descriptor = PROVIDERS[id];
  if (!descriptor) throw new Error(`Unknown provider '${String(id)}'; known: ${PROVIDER_IDS.join(', ')}.`);
  return descriptor;
}

/** Descriptors in PROVIDER_IDS order (for Settings → Add account, /v1/models). */
export function allProviders(): ProviderDescriptor[] {
  return PROVIDER_IDS.map((id) => PROVIDERS[id]);
}

export { MAX_COOLDOWN_MS, PROVIDER_IDS } from './types';
export type * from './types';
