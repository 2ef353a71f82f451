import { openAiLike } from './base';
import bundled from './catalogs/openrouter.json';
import { bearer, getJson, joinUrl } from './http';
import { nextUtcMidnight } from './parse/calendar';
import { errorObject, isRecord, messageOf, parseBody, str } from './parse/json';
import { resetAtFromNumber } from './parse/reset-number';
import { headerDelay, plainNumber } from './parse/retry-after';
import { KEY_PATTERNS } from './scrub';
import { limitSignal } from './signal';
import type { LimitSignal } from './types';

const FREE_POOL = /free-models-per-(min|day)/i;
const NO_WINDOW = { period: null, unit: null } as const;

/** `error.metadata.headers` with lower-cased names (OpenRouter echoes its rate-limit headers there). */
function metadataHeaders(metadata: Record<string, unknown> | null): Record<string, string> {
  const raw = isRecord(metadata?.headers) ? metadata.headers : {};
  return Object.fromEntries(Object.entries(raw).flatMap(([name, value]) => (str(value) === null ? [] : [[name.toLowerCase(), str(value)!]])));
}

/** An upstream provider throttling a model for everyone: not this account's quota. */
function upstreamSignal(metadata: Record<string, unknown> | null, headers: Record<string, string>, message: string, now: number): LimitSignal {
  const raw = metadata?.raw;
  const words = `${message}${typeof raw === 'string' ? `: ${raw}` : ''}`;
  const seconds = typeof metadata?.retry_after_seconds_raw === 'number' ? metadata.retry_after_seconds_raw : typeof metadata?.retry_after_seconds === 'number' ? metadata.retry_after_seconds : null;
  const base = { scope: 'capacity', window: NO_WINDOW, now, message: words } as const;
  if (seconds !== null && seconds >= 0) return limitSignal({ ...base, delayMs: seconds * 1000, source: 'body' });
  const header = headerDelay({ ...metadataHeaders(metadata), ...headers }, now);
  return limitSignal({ ...base, delayMs: header?.ms ?? 15_000, source: header?.source ?? 'default' });
}

/** The account-wide `:free` pool: `free-models-per-min` (20 RPM) or `free-models-per-day` (50 or 1000). */
function freePoolSignal(which: string, metadata: Record<string, unknown> | null, headers: Record<string, string>, message: string, now: number): LimitSignal {
  const period = which.toLowerCase() === 'day' ? 'day' : 'minute';
  const echoed = metadataHeaders(metadata);
  const limit = plainNumber(echoed['x-ratelimit-limit'] ?? headers['x-ratelimit-limit']);
  const base = { scope: 'owner', window: { period, unit: 'requests' }, now, message, extra: { modelPool: 'free' }, ...(limit !== null ? { limit } : {}) } as const;
  const resetAt = resetAtFromNumber(echoed['x-ratelimit-reset'] ?? headers['x-ratelimit-reset'], 'epoch-ms', now);
  if (resetAt !== null) return limitSignal({ ...base, resetAt, source: 'reset-header' });
  const header = headerDelay(headers, now);
  if (header) return limitSignal({ ...base, delayMs: header.ms, source: header.source });
  // The daily count is per UTC day (providers.md §3.2).
  return period === 'day' ? limitSignal({ ...base, resetAt: nextUtcMidnight(now), source: 'calendar' }) : limitSignal({ ...base, delayMs: 60_000, source: 'default' });
}

/** 402: in-flight budget (temporary), a request too big for the credits left, or credits gone. */
function paymentSignal(metadata: Record<string, unknown> | null, headers: Record<string, string>, message: string, now: number): LimitSignal {
  if (str(metadata?.reason) === 'in_flight_budget_exhausted') {
    const header = headerDelay(headers, now);
    return limitSignal({ scope: 'concurrency', window: NO_WINDOW, now, delayMs: header?.ms ?? 5000, source: header?.source ?? 'default', message });
  }
  if (/fewer max_tokens|can only afford/i.test(message)) return limitSignal({ scope: 'request', window: NO_WINDOW, now, resetAt: null, source: 'body', message });
  return limitSignal({ scope: 'credits', window: NO_WINDOW, now, resetAt: null, source: 'body', message });
}

function readLimit(status: number, headers: Record<string, string>, bodyText: string, now: number): LimitSignal | null {
  if (status !== 429 && status !== 402) return null;
  const json = parseBody(bodyText);
  const error = errorObject(json);
  const metadata = isRecord(error?.metadata) ? error.metadata : null;
  const message = messageOf(json) ?? bodyText;
  if (status === 402) return paymentSignal(metadata, headers, message, now);
  if (str(metadata?.provider_name) !== null || /provider returned error/i.test(message)) return upstreamSignal(metadata, headers, message, now);
  const free = FREE_POOL.exec(message);
  if (free) return freePoolSignal(free[1]!, metadata, headers, message, now);
  const header = headerDelay(headers, now);
  return limitSignal({ scope: 'owner', window: NO_WINDOW, now, delayMs: header?.ms ?? 60_000, source: header?.source ?? 'default', message, boundBy: 'day' });
}

/** `GET {base}/key`: the account behind the key (`creator_user_id`), and its label. */
function readIdentity(json: unknown): { ownerId: string; label: string } | null {
  const data = isRecord(json) && isRecord(json.data) ? json.data : null;
  const owner = str(data?.creator_user_id);
  return owner ? { ownerId: owner, label: str(data?.label) ?? owner } : null;
}

export const openrouter = openAiLike({
  id: 'openrouter',
  name: 'OpenRouter',
  env: { key: 'OPENROUTER_API_KEY', baseUrl: 'OPENROUTER_BASE_URL' },
  defaultBaseUrl: 'https://openrouter.ai/api/v1',
  keyPatterns: KEY_PATTERNS.openrouter,
  about: { keysUrl: 'https://openrouter.ai/settings/keys', offers: 'Many models; `:free` ones share one pool per account (20 a minute, 50 or 1,000 a day).' },
  bundled,
  auth: (creds) => ({ ...bearer(creds.key), 'x-title': 'Switchyard' }),
  readLimit,
  identityRequest: (creds) => getJson(joinUrl(creds.baseUrl, 'key'), bearer(creds.key)),
  readIdentity,
});
