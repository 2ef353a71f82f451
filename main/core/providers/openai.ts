import { openAiLike } from './base';
import bundled from './catalogs/openai.json';
import { organizationFromMessage, readOpenAiStyleLimit, type OpenAiStyleOptions } from './openai-limits';
import { readRemainingHeaders, xRateLimit, type RemainingSpec } from './remaining';
import { KEY_PATTERNS } from './scrub';

/** OpenAI's reset headers cover whichever window of their unit is in force (`1s`, `6m0s`). */
export const OPENAI_LIMITS: OpenAiStyleOptions = { resetHeaders: { requests: null, tokens: null }, proseFirst: false, longestWindow: 'day' };

export const OPENAI_REMAINING: RemainingSpec[] = [
  xRateLimit('requests', { period: null, unit: 'requests' }, 'go'),
  xRateLimit('tokens', { period: null, unit: 'tokens' }, 'go'),
];

export const openai = openAiLike({
  id: 'openai',
  name: 'OpenAI',
  env: { key: 'OPENAI_API_KEY', baseUrl: 'OPENAI_BASE_URL' },
  defaultBaseUrl: 'https://api.openai.com/v1',
  keyPatterns: KEY_PATTERNS.openai,
  about: { keysUrl: 'https://platform.openai.com/api-keys', offers: 'Paid API keys; limits per organisation, project and model that rise with spend.' },
  bundled,
  readLimit: (status, headers, bodyText, now) => readOpenAiStyleLimit(status, headers, bodyText, now, OPENAI_LIMITS),
  readRemaining: (headers, now) => readRemainingHeaders(headers, now, OPENAI_REMAINING),
  ownerFromAnswer: (_status, _headers, bodyText) => organizationFromMessage(bodyText),
});
