import { openAiLike } from './base';
import bundled from './catalogs/cerebras.json';
import { without } from './http';
import { errorObject, messageOf, parseBody, str } from './parse/json';
import { resetAtFromNumber } from './parse/reset-number';
import { headerDelay } from './parse/retry-after';
import { readRemainingHeaders, xRateLimit } from './remaining';
import { KEY_PATTERNS } from './scrub';
import { DEFAULT_DELAY_MS, limitSignal } from './signal';
import type { LimitPeriod, LimitSignal, LimitUnit, Operation } from './types';

/**
 * Cerebras reserves input + `max_completion_tokens` against the token limit up front, so a
 * request without one could spend a whole minute's tokens: this is what it gets instead.
 */
export const CEREBRAS_DEFAULT_MAX_COMPLETION_TOKENS = 4096;
/** Rejected with a 400 per ReqLLM (UNCONFIRMED whether still so; providers.md §4.5 says strip them). */
export const CEREBRAS_UNSUPPORTED = ['frequency_penalty', 'logit_bias', 'presence_penalty', 'parallel_tool_calls', 'service_tier'] as const;

function prepareBody(op: Operation, body: Record<string, unknown>): Record<string, unknown> {
  if (op !== 'chat') return body;
  const capped = body.max_completion_tokens !== undefined || body.max_tokens !== undefined;
  if (capped && !CEREBRAS_UNSUPPORTED.some((field) => field in body)) return body;
  const out = without(body, CEREBRAS_UNSUPPORTED);
  if (out.max_completion_tokens === undefined && out.max_tokens === undefined) out.max_completion_tokens = CEREBRAS_DEFAULT_MAX_COMPLETION_TOKENS;
  return out;
}

const UNITS: Record<string, LimitUnit> = { request_quota_exceeded: 'requests', token_quota_exceeded: 'tokens' };
const PERIOD = /per (minute|hour|day)/i;

/** The reset header of the violated window, when Cerebras sends one (day requests, minute tokens). */
function resetHeader(headers: Record<string, string>, unit: LimitUnit | null, period: LimitPeriod | null, now: number): number | null {
  const name = unit === 'requests' && period === 'day' ? 'x-ratelimit-reset-requests-day' : unit === 'tokens' && period === 'minute' ? 'x-ratelimit-reset-tokens-minute' : null;
  return name ? resetAtFromNumber(headers[name], 'delta-s', now) : null;
}

/** Top-level (unwrapped) bodies: `request_quota_exceeded`, `token_quota_exceeded`, `queue_exceeded`. */
function readLimit(status: number, headers: Record<string, string>, bodyText: string, now: number): LimitSignal | null {
  if (status !== 429 && status !== 402) return null;
  const json = parseBody(bodyText);
  const error = errorObject(json);
  const message = messageOf(json) ?? bodyText;
  const code = str(error?.code);
  const header = headerDelay(headers, now);
  if (status === 402) return limitSignal({ scope: 'credits', window: { period: null, unit: null }, now, resetAt: null, source: 'body', message });
  if (code === 'queue_exceeded' || str(error?.param) === 'queue' || /high (traffic|demand)/i.test(message)) {
    return limitSignal({ scope: 'capacity', window: { period: null, unit: null }, now, delayMs: header?.ms ?? 5000, source: header?.source ?? 'default', message });
  }
  const unit = UNITS[code ?? ''] ?? null;
  const period = (PERIOD.exec(message)?.[1]?.toLowerCase() ?? null) as LimitPeriod | null;
  const window = { period, unit };
  const base = { scope: 'model', window, now, message, boundBy: period ?? 'day' } as const;
  if (header) return limitSignal({ ...base, delayMs: header.ms, source: header.source });
  const resetAt = resetHeader(headers, unit, period, now);
  if (resetAt !== null) return limitSignal({ ...base, resetAt, source: 'reset-header' });
  return limitSignal({ ...base, delayMs: DEFAULT_DELAY_MS[period ?? 'minute'], source: 'default' });
}

export const cerebras = openAiLike({
  id: 'cerebras',
  name: 'Cerebras',
  env: { key: 'CEREBRAS_API_KEY', baseUrl: 'CEREBRAS_BASE_URL' },
  defaultBaseUrl: 'https://api.cerebras.ai/v1',
  keyPatterns: KEY_PATTERNS.cerebras,
  about: { keysUrl: 'https://cloud.cerebras.ai', offers: 'A free tier per organisation and model, counted per minute, hour and day.' },
  bundled,
  prepareBody,
  readLimit,
  readRemaining: (headers, now) =>
    readRemainingHeaders(headers, now, [
      xRateLimit('requests-day', { period: 'day', unit: 'requests' }, 'seconds'),
      xRateLimit('tokens-minute', { period: 'minute', unit: 'tokens' }, 'seconds'),
    ]),
});
