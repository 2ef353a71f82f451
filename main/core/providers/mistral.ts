import { openAiLike } from './base';
import bundled from './catalogs/mistral.json';
import { without } from './http';
import { nextUtcMonthStart } from './parse/calendar';
import { messageOf, parseBody } from './parse/json';
import { resetAtFromNumber } from './parse/reset-number';
import { headerDelay, plainNumber } from './parse/retry-after';
import { readRemainingHeaders } from './remaining';
import { limitSignal } from './signal';
import type { LimitSignal, Operation } from './types';

/** Mistral's strict schema answers 422 `extra_forbidden` to these (providers.md §5.5). */
export const MISTRAL_UNSUPPORTED = ['stream_options', 'top_k', 'min_p', 'logit_bias', 'logprobs', 'top_logprobs'] as const;

function prepareBody(op: Operation, body: Record<string, unknown>): Record<string, unknown> {
  if (op !== 'chat') return 'stream_options' in body ? without(body, ['stream_options']) : body;
  if (body.seed === undefined && !MISTRAL_UNSUPPORTED.some((field) => field in body)) return body;
  const out = without(body, [...MISTRAL_UNSUPPORTED, 'seed']);
  if (body.seed !== undefined && out.random_seed === undefined) out.random_seed = body.seed;
  return out;
}

const MONTH = 'x-ratelimitbysize-remaining-month';
const MINUTE = 'x-ratelimitbysize-remaining-minute';

/**
 * The 429 body (`rate_limited`, code "1300") does not say which window: the headers do. The
 * monthly budget gone waits for the month (00:00 UTC on the 1st: UNCONFIRMED); otherwise it is the
 * per-second or per-minute limit, a short pause. "Service tier capacity exceeded" is capacity.
 */
function readLimit(status: number, headers: Record<string, string>, bodyText: string, now: number): LimitSignal | null {
  const message = messageOf(parseBody(bodyText)) ?? bodyText;
  if (/service tier capacity exceeded/i.test(message)) {
    const header = headerDelay(headers, now);
    return limitSignal({ scope: 'capacity', window: { period: null, unit: null }, now, delayMs: header?.ms ?? 5000, source: header?.source ?? 'default', message });
  }
  if (status !== 429) return null;
  if (plainNumber(headers[MONTH]) === 0) {
    return limitSignal({ scope: 'owner', window: { period: 'month', unit: 'tokens' }, now, resetAt: nextUtcMonthStart(now), source: 'calendar', message });
  }
  const minute = plainNumber(headers[MINUTE]) === 0;
  const window = minute ? ({ period: 'minute', unit: 'tokens' } as const) : ({ period: null, unit: null } as const);
  const base = { scope: 'owner', window, now, message, boundBy: 'minute' } as const;
  const header = headerDelay(headers, now);
  if (header) return limitSignal({ ...base, delayMs: header.ms, source: header.source });
  // ratelimitbysize-reset is the token minute's: it says when the 429 ends only when that minute is
  // the limit met. With tokens left this minute, the limit met is the per-second one (a second).
  const tokensLeft = (plainNumber(headers[MINUTE]) ?? 0) > 0;
  const resetAt = tokensLeft ? null : resetAtFromNumber(headers['ratelimitbysize-reset'], 'delta-s', now);
  if (resetAt !== null) return limitSignal({ ...base, resetAt, source: 'reset-header' });
  return limitSignal({ ...base, delayMs: minute ? 60_000 : 1000, source: 'default' });
}

export const mistral = openAiLike({
  id: 'mistral',
  name: 'Mistral',
  env: { key: 'MISTRAL_API_KEY', baseUrl: 'MISTRAL_BASE_URL' },
  defaultBaseUrl: 'https://api.mistral.ai/v1',
  keyPatterns: [],
  about: { keysUrl: 'https://console.mistral.ai/api-keys', offers: 'The free Experiment plan per organisation: 1 request a second, 500K tokens a minute, 1B tokens a month.' },
  bundled,
  prepareBody,
  readLimit,
  readRemaining: (headers, now) =>
    readRemainingHeaders(headers, now, [
      {
        window: { period: 'minute', unit: 'tokens' },
        scope: 'owner',
        refill: 'window',
        limit: 'x-ratelimitbysize-limit-minute',
        remaining: MINUTE,
        reset: 'ratelimitbysize-reset',
        resetFormat: 'seconds',
      },
      { window: { period: 'month', unit: 'tokens' }, scope: 'owner', refill: 'window', limit: 'x-ratelimitbysize-limit-month', remaining: MONTH },
    ]),
});
