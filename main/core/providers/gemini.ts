import { openAiLike } from './base';
import { normalizeId, parseOpenAiModelList } from './catalog';
import bundled from './catalogs/gemini.json';
import { nextPacificMidnight } from './parse/calendar';
import { proseDelayMs } from './parse/duration';
import { isPerModel, quotaWindow, readGoogleError, type QuotaViolation } from './parse/google-quota';
import { parseBody } from './parse/json';
import { headerDelay } from './parse/retry-after';
import { KEY_PATTERNS } from './scrub';
import { DEFAULT_DELAY_MS, limitSignal } from './signal';
import { translateError } from './translate-error';
import type { LimitSignal, Operation } from './types';

/** `models/gemini-2.5-flash` → `gemini-2.5-flash`. */
export function stripModelsPrefix(id: string): string {
  return id.trim().replace(/^models\//i, '');
}

/** Fields Gemini's compat endpoint takes; anything else is a 400 "Unknown name" (providers.md §2.6). */
const ACCEPTED: Record<Operation, ReadonlySet<string>> = {
  chat: new Set([
    'model', 'messages', 'stream', 'stream_options', 'temperature', 'top_p', 'n', 'stop', 'max_tokens', 'max_completion_tokens',
    'tools', 'tool_choice', 'response_format', 'reasoning_effort', 'seed', 'presence_penalty', 'frequency_penalty',
  ]),
  embeddings: new Set(['model', 'input', 'encoding_format', 'dimensions']),
};

function prepareBody(op: Operation, body: Record<string, unknown>): Record<string, unknown> {
  if (Object.keys(body).every((field) => ACCEPTED[op].has(field))) return body;
  return Object.fromEntries(Object.entries(body).filter(([field]) => ACCEPTED[op].has(field)));
}

/** One violation's signal: a PerDay quota lasts until midnight Pacific, whatever retryDelay says. */
function violationSignal(violation: QuotaViolation, message: string, retryDelayMs: number | null, headers: Record<string, string>, now: number): LimitSignal {
  const window = quotaWindow(violation);
  const scope = isPerModel(violation) ? 'model' : 'owner';
  // Gemini counts per minute or per day: a quota whose id names neither is bounded by a day.
  const base = { scope, window, now, message, boundBy: 'day', ...(violation.value !== null ? { limit: violation.value } : {}) } as const;
  if (violation.value === 0) return limitSignal({ ...base, resetAt: null, source: 'body', extra: { noQuota: true } });
  if (window.period === 'day') return limitSignal({ ...base, resetAt: nextPacificMidnight(now), source: 'calendar' });
  // RetryInfo is truncated to whole seconds ("41s" vs "41.710991998s"): the prose is more exact.
  const prose = proseDelayMs(message);
  const header = headerDelay(headers, now);
  if (prose !== null) return limitSignal({ ...base, delayMs: prose, source: 'prose' });
  if (retryDelayMs !== null) return limitSignal({ ...base, delayMs: retryDelayMs, source: 'body' });
  if (header) return limitSignal({ ...base, delayMs: header.ms, source: header.source });
  return limitSignal({ ...base, delayMs: DEFAULT_DELAY_MS[window.period ?? 'minute'], source: 'default' });
}

/** The answer's longest block: one body can name a requests and a tokens violation at once. */
function readLimit(status: number, headers: Record<string, string>, bodyText: string, now: number): LimitSignal | null {
  if (status !== 429) return null;
  const google = readGoogleError(parseBody(bodyText));
  const message = google?.message || bodyText;
  const violations = google?.violations ?? [];
  const zero = /limit: 0\b/.test(message) && violations.length === 0;
  if (violations.length === 0) {
    const fallback: QuotaViolation = { quotaId: 'PerModel', quotaMetric: '', model: null, value: zero ? 0 : null };
    return violationSignal(fallback, message, google?.retryDelayMs ?? null, headers, now);
  }
  const signals = violations.map((violation) => violationSignal(violation, message, google?.retryDelayMs ?? null, headers, now));
  return signals.find((signal) => signal.noQuota) ?? signals.reduce((longest, signal) => ((signal.resetAt ?? 0) > (longest.resetAt ?? 0) ? signal : longest));
}

export const gemini = openAiLike({
  id: 'gemini',
  name: 'Google Gemini',
  env: { key: 'GEMINI_API_KEY', baseUrl: 'GEMINI_BASE_URL' },
  defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
  keyPatterns: KEY_PATTERNS.gemini,
  about: { keysUrl: 'https://aistudio.google.com/apikey', offers: 'A free tier per Google Cloud project and model; daily quotas reset at midnight Pacific time.' },
  bundled,
  prepareBody,
  normalizeModelId: (id) => normalizeId(stripModelsPrefix(id)),
  parseCatalog: (json) => parseOpenAiModelList(json, stripModelsPrefix),
  readLimit,
  translateError(status, headers, bodyText) {
    const error = translateError(status, headers, bodyText);
    const google = readGoogleError(parseBody(bodyText));
    // A bad key is a 400 at Google; the client (and the pool) should see it as what it is.
    if (google?.reason === 'API_KEY_INVALID' || /API key not valid/i.test(error.message)) {
      return { ...error, status: 401, type: 'authentication_error', code: 'invalid_api_key' };
    }
    return error;
  },
});
