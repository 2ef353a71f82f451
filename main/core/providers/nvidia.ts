import { openAiLike } from './base';
import bundled from './catalogs/nvidia.json';
import { isRecord, parseBody, str } from './parse/json';
import { headerDelay } from './parse/retry-after';
import { KEY_PATTERNS } from './scrub';
import { limitSignal } from './signal';
import type { LimitSignal } from './types';

/**
 * `{"status":429,"title":"Too Many Requests"}` with no headers: about 40 requests a minute per
 * account (unpublished), so a minute's pause on the account.
 */
function readLimit(status: number, headers: Record<string, string>, bodyText: string, now: number): LimitSignal | null {
  if (status !== 429) return null;
  const json = parseBody(bodyText);
  const message = (isRecord(json) ? (str(json.detail) ?? str(json.title)) : null) ?? bodyText;
  const header = headerDelay(headers, now);
  return limitSignal({ scope: 'owner', window: { period: 'minute', unit: 'requests' }, now, delayMs: header?.ms ?? 60_000, source: header?.source ?? 'default', message });
}

export const nvidia = openAiLike({
  id: 'nvidia',
  name: 'NVIDIA NIM',
  env: { key: 'NVIDIA_API_KEY', baseUrl: 'NVIDIA_BASE_URL' },
  defaultBaseUrl: 'https://integrate.api.nvidia.com/v1',
  keyPatterns: KEY_PATTERNS.nvidia,
  about: { keysUrl: 'https://build.nvidia.com/settings/api-keys', offers: 'Free access to many open models, about 40 requests a minute per account (unpublished).' },
  bundled,
  readLimit,
});
