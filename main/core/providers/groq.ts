import { openAiLike } from './base';
import bundled from './catalogs/groq.json';
import { isRecord } from './parse/json';
import { headerDelay } from './parse/retry-after';
import { organizationFromMessage, readOpenAiStyleLimit } from './openai-limits';
import { readRemainingHeaders, xRateLimit } from './remaining';
import { KEY_PATTERNS } from './scrub';
import { limitSignal } from './signal';
import { without } from './http';

/** Fields Groq answers 400 to (console.groq.com/docs/openai). */
export const GROQ_UNSUPPORTED = ['logprobs', 'logit_bias', 'top_logprobs'] as const;

/** Drops what Groq rejects: the unsupported fields, and `name` on messages. */
function prepareBody(op: string, body: Record<string, unknown>): Record<string, unknown> {
  if (op !== 'chat') return body;
  const named = Array.isArray(body.messages) && body.messages.some((message) => isRecord(message) && 'name' in message);
  if (!named && !GROQ_UNSUPPORTED.some((field) => field in body)) return body;
  const out = without(body, GROQ_UNSUPPORTED);
  if (Array.isArray(out.messages)) {
    out.messages = out.messages.map((message) => (isRecord(message) && 'name' in message ? without(message, ['name']) : message));
  }
  return out;
}

/** A flex-tier 498 `capacity_exceeded` is Groq's capacity, not the account's quota. */
const FLEX_CAPACITY = 498;

export const groq = openAiLike({
  id: 'groq',
  name: 'Groq',
  env: { key: 'GROQ_API_KEY', baseUrl: 'GROQ_BASE_URL' },
  defaultBaseUrl: 'https://api.groq.com/openai/v1',
  keyPatterns: KEY_PATTERNS.groq,
  about: { keysUrl: 'https://console.groq.com/keys', offers: 'A free tier per organisation and model (e.g. 30 requests a minute, 1,000 a day on 70B models).' },
  bundled,
  prepareBody,
  readLimit(status, headers, bodyText, now) {
    if (status === FLEX_CAPACITY) {
      const delay = headerDelay(headers, now);
      return limitSignal({ scope: 'capacity', window: { period: null, unit: null }, now, delayMs: delay?.ms ?? 5000, source: delay?.source ?? 'default', message: bodyText });
    }
    // RPD refills continuously; the reset headers cover RPD (requests) and TPM (tokens) only.
    return readOpenAiStyleLimit(status, headers, bodyText, now, { resetHeaders: { requests: 'day', tokens: 'minute' }, proseFirst: true, longestWindow: 'day' });
  },
  readRemaining: (headers, now) =>
    readRemainingHeaders(headers, now, [
      xRateLimit('requests', { period: 'day', unit: 'requests' }, 'go'),
      xRateLimit('tokens', { period: 'minute', unit: 'tokens' }, 'go'),
    ]),
  ownerFromAnswer: (_status, _headers, bodyText) => organizationFromMessage(bodyText),
});
