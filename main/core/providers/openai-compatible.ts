import { openAiLike } from './base';
import bundled from './catalogs/openai-compatible.json';
import { OPENAI_LIMITS, OPENAI_REMAINING } from './openai';
import { readOpenAiStyleLimit } from './openai-limits';
import { readRemainingHeaders } from './remaining';

/** Any endpoint that speaks OpenAI's dialect (a base URL and a key); read as OpenAI is read. */
export const openaiCompatible = openAiLike({
  id: 'openai-compatible',
  name: 'OpenAI-compatible endpoint',
  env: { key: 'OPENAI_COMPATIBLE_API_KEY', extra: 'OPENAI_COMPATIBLE_BASE_URL' },
  defaultBaseUrl: '',
  keyPatterns: [],
  about: { keysUrl: '', offers: 'Any server with an OpenAI-compatible API (a base URL and a key): a local model server, a gateway, another provider.' },
  bundled,
  readLimit: (status, headers, bodyText, now) => readOpenAiStyleLimit(status, headers, bodyText, now, OPENAI_LIMITS),
  readRemaining: (headers, now) => readRemainingHeaders(headers, now, OPENAI_REMAINING),
});
