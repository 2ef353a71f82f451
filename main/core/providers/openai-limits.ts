import { proseDelayMs, parseGoDuration } from './parse/duration';
import { errorObject, messageOf, parseBody, str } from './parse/json';
import { headerDelay } from './parse/retry-after';
import { DEFAULT_DELAY_MS, limitSignal } from './signal';
import type { LimitPeriod, LimitSignal, LimitUnit, LimitWindow, ResetSource } from './types';

/** "on tokens per day (TPD)", "on requests per min (RPM)". */
const PROSE_WINDOW = /on (requests|tokens) per (minute|min|hour|day)\s*\((RPM|RPH|RPD|TPM|TPH|TPD)\)/i;
const PROSE_NUMBERS = /Limit (\d+)(?:, Used (\d+))?, Requested (\d+)/i;
const ORGANIZATION = /in organization `?([A-Za-z0-9_-]+)`?/;
const PERIODS: Record<string, LimitPeriod> = { minute: 'minute', min: 'minute', hour: 'hour', day: 'day' };
const CREDIT_CODES = new Set(['insufficient_quota', 'credit_balance_exhausted']);

/** The window a Groq/OpenAI message names, else the unit its `error.type` names. */
export function windowFromProse(message: string, type: string | null): LimitWindow {
  const match = PROSE_WINDOW.exec(message);
  if (match) return { period: PERIODS[match[2]!.toLowerCase()]!, unit: match[1]!.toLowerCase() as LimitUnit };
  return { period: null, unit: type === 'requests' || type === 'tokens' ? type : null };
}

/** The organization a Groq or OpenAI message names (`in organization \`org_…\``). */
export function organizationFromMessage(text: string): string | null {
  return ORGANIZATION.exec(text)?.[1] ?? null;
}

export interface OpenAiStyleOptions {
  /**
   * The window each reset header covers (Groq: requests = RPD, tokens = TPM); null when the
   * header covers whatever window of its unit is in force (OpenAI).
   */
  resetHeaders: { requests: LimitPeriod | null; tokens: LimitPeriod | null };
  /**
   * Groq: the message's "try again in" is for the violated window; trust it before retry-after.
   * Otherwise retry-after(-ms) first. Either way the prose beats the reset headers, which may
   * describe another window of the same unit (OpenAI's `1s` requests reset under an RPD limit).
   */
  proseFirst: boolean;
  /** The longest window the provider counts over: bounds a reset whose window is not named. */
  longestWindow: LimitPeriod;
}

function resetHeaderDelay(headers: Record<string, string>, window: LimitWindow, options: OpenAiStyleOptions): number | null {
  if (!window.unit || window.unit === 'neurons') return null;
  const covers = options.resetHeaders[window.unit];
  if (covers !== null && covers !== window.period) return null;
  return parseGoDuration(headers[`x-ratelimit-reset-${window.unit}`]);
}

/**
 * Groq's and OpenAI's answers: 429 (window and model in the prose), 413 or "Request too large"
 * (the request's fault), `insufficient_quota` (credits gone, a person must act).
 */
export function readOpenAiStyleLimit(
  status: number,
  headers: Record<string, string>,
  bodyText: string,
  now: number,
  options: OpenAiStyleOptions,
): LimitSignal | null {
  if (status !== 429 && status !== 413 && status !== 402) return null;
  const json = parseBody(bodyText);
  const error = errorObject(json);
  const message = messageOf(json) ?? bodyText;
  const code = str(error?.code);
  const type = str(error?.type);
  const window = windowFromProse(message, type);
  const numbers = PROSE_NUMBERS.exec(message);
  const limit = numbers ? Number(numbers[1]) : undefined;
  const base = { window, now, message, ...(limit !== undefined ? { limit } : {}) };

  if (status === 402 || CREDIT_CODES.has(code ?? '') || CREDIT_CODES.has(type ?? '')) {
    return limitSignal({ ...base, scope: 'credits', resetAt: null, source: 'body' });
  }
  const tooLarge = /request too large/i.test(message) || (numbers !== null && numbers[2] === undefined && Number(numbers[3]) > Number(numbers[1]));
  if (status === 413 || tooLarge) return limitSignal({ ...base, scope: 'request', resetAt: null, source: 'body' });

  const prose = proseDelayMs(message);
  const fromHeaders = headerDelay(headers, now);
  const reset = resetHeaderDelay(headers, window, options);
  const order: Array<[number | null | undefined, ResetSource]> = options.proseFirst
    ? [[prose, 'prose'], [fromHeaders?.ms, fromHeaders?.source ?? 'retry-after'], [reset, 'reset-header']]
    : [[fromHeaders?.ms, fromHeaders?.source ?? 'retry-after'], [prose, 'prose'], [reset, 'reset-header']];
  const [delayMs, source] = order.find(([ms]) => ms !== null && ms !== undefined) ?? [DEFAULT_DELAY_MS[window.period ?? 'minute'], 'default'];
  return limitSignal({ ...base, scope: 'model', delayMs, source, boundBy: window.period ?? options.longestWindow });
}
