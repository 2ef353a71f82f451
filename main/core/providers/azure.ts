import { openAiLike } from './base';
import bundled from './catalogs/azure.json';
import { joinUrl, USER_AGENT } from './http';
import { proseDelayMs } from './parse/duration';
import { messageOf, parseBody } from './parse/json';
import { headerDelay } from './parse/retry-after';
import { readRemainingHeaders, xRateLimit } from './remaining';
import { limitSignal } from './signal';
import type { LimitSignal, ProviderCredentials } from './types';

/** `{endpoint}/openai/v1`, the v1 API (no api-version). */
export function azureBaseUrl(endpoint: string): string {
  return joinUrl(endpoint, 'openai/v1');
}

function apiBase(creds: ProviderCredentials): string {
  if (creds.baseUrl) return creds.baseUrl;
  if (creds.endpoint) return azureBaseUrl(creds.endpoint);
  throw new Error('An Azure OpenAI account needs its endpoint (AZURE_OPENAI_ENDPOINT, or endpoint in the config file).');
}

/**
 * Azure's windows are 1–10 s or a minute, never a day: a per-deployment limit is bounded by a
 * minute whatever "retry after 86400 seconds" says. "High demand" is the region's capacity.
 */
function readLimit(status: number, headers: Record<string, string>, bodyText: string, now: number): LimitSignal | null {
  if (status !== 429) return null;
  const message = messageOf(parseBody(bodyText)) ?? bodyText;
  const header = headerDelay(headers, now);
  const prose = proseDelayMs(message);
  const [delayMs, source] = header ? [header.ms, header.source] : prose !== null ? [prose, 'prose' as const] : [null, 'default' as const];
  if (/high demand/i.test(message)) {
    return limitSignal({ scope: 'capacity', window: { period: null, unit: null }, now, delayMs: delayMs ?? 10_000, source, message });
  }
  const unit = /token rate limit/i.test(message) ? 'tokens' : /call rate limit|rate limit is exceeded|requests? rate limit/i.test(message) ? 'requests' : null;
  return limitSignal({ scope: 'model', window: { period: 'minute', unit }, now, delayMs: delayMs ?? 60_000, source, message });
}

export const azure = openAiLike({
  id: 'azure',
  name: 'Azure OpenAI (Microsoft Foundry)',
  env: { key: 'AZURE_OPENAI_API_KEY', extra: 'AZURE_OPENAI_ENDPOINT' },
  defaultBaseUrl: '',
  keyPatterns: [],
  about: { keysUrl: 'https://ai.azure.com', offers: "Paid; limits per deployment (the model name is your deployment's name). GitHub Models' successor." },
  bundled,
  apiBase,
  auth: (creds) => ({ 'api-key': creds.key, 'user-agent': USER_AGENT }),
  readLimit,
  readRemaining: (headers, now) =>
    readRemainingHeaders(headers, now, [
      xRateLimit('requests', { period: 'minute', unit: 'requests' }, undefined),
      xRateLimit('tokens', { period: 'minute', unit: 'tokens' }, undefined),
    ]),
});
