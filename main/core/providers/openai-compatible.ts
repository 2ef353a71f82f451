import { openAiLike } from './base';
import bundled from './catalogs/openai-compatible.json';
import { OPENAI_LIMITS, OPENAI_REMAINING } from './openai';
import { readOpenAiStyleLimit } from './openai-limits';
import { resetAtFromNumber } from './parse/reset-number';
import { readRemainingHeaders } from './remaining';
import { limitSignal } from './signal';
import type { LimitSignal } from './types';

/**
 * Read as OpenAI is read; when nothing else states a reset, a bare `x-ratelimit-reset` (Together
 * sends seconds, OpenRouter epoch ms) is read with the magnitude heuristic, the fallback only.
 */
function readLimit(status: number, headers: Record<string, string>, bodyText: string, now: number): LimitSignal | null {
  const signal = readOpenAiStyleLimit(status, headers, bodyText, now, OPENAI_LIMITS);
  if (signal?.source !== 'default') return signal;
  const resetAt = resetAtFromNumber(headers['x-ratelimit-reset'], 'guess', now);
  if (resetAt === null) return signal;
  const { scope, window, message, limit } = signal;
  return limitSignal({ scope, window, now, resetAt, source: 'reset-header', message, boundBy: 'day', ...(limit !== undefined ? { limit } : {}) });
}

/** Any endpoint that speaks OpenAI's dialect (a base URL and a key); read as OpenAI is read. */
export const openaiCompatible = openAiLike({
  id: 'openai-compatible',
  name: 'OpenAI-compatible endpoint',
  env: { key: 'OPENAI_COMPATIBLE_API_KEY', extra: 'OPENAI_COMPATIBLE_BASE_URL' },
  defaultBaseUrl: '',
  keyPatterns: [],
  about: { keysUrl: '', offers: 'Any server with an OpenAI-compatible API (a base URL and a key): a local model server, a gateway, another provider.' },
  bundled,
  readLimit,
  readRemaining: (headers, now) => readRemainingHeaders(headers, now, OPENAI_REMAINING),
});
