import { LIMIT_TYPES, type LimitType } from '../../../shared/domain';
import type { RateLimitInfo } from './types';

/** No reset is believed beyond two days (daily limits reset within 86400 s). */
export const MAX_RESET_SECONDS = 2 * 86_400;

const TYPE_BY_LOWER = new Map<string, LimitType>(LIMIT_TYPES.map((type) => [type.toLowerCase(), type]));

function limitTypeFrom(value: string | undefined | null): LimitType | null {
  if (!value) return null;
  const type = TYPE_BY_LOWER.get(value.trim().toLowerCase());
  return type && type !== 'Unknown' ? type : null;
}

/** A plain non-negative number of seconds ("60", "5631", "0.5"); anything else is garbage. */
function secondsFrom(value: string | undefined | null): number | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  if (!/^\+?\d+(\.\d+)?$/.test(trimmed)) return null;
  const seconds = Number(trimmed);
  return Number.isFinite(seconds) ? seconds : null;
}

/** Retry-After: delta-seconds, or an HTTP date still in the future. */
function retryAfterSeconds(value: string | undefined, now: number): number | null {
  const seconds = secondsFrom(value);
  if (seconds !== null) return seconds;
  if (!value || !/[a-z]/i.test(value)) return null;
  const at = Date.parse(value);
  if (!Number.isFinite(at) || at < now) return null;
  return (at - now) / 1000;
}

const MESSAGE_TYPE = /exceeded for ([A-Za-z]+)/;
const MESSAGE_WAIT = /Please wait (\d+(?:\.\d+)?) seconds?/i;

const whole = (seconds: number) => Math.min(MAX_RESET_SECONDS, Math.ceil(seconds));

/**
 * What a 429 says about its limit. Limit type from `x-ratelimit-type`, else the message
 * ("... exceeded for {Type}."), else Unknown. Reset from `x-ratelimit-timeremaining`, else
 * `retry-after`, else "Please wait N seconds", else `defaultSeconds`; garbage values fall
 * through to the next source and huge ones are clamped to two days. Whole seconds, rounded up.
 */
export function parseRateLimit(
  headers: Record<string, string>,
  bodyText: string,
  defaultSeconds: number,
  now: number = Date.now(),
): RateLimitInfo {
  const limitType = limitTypeFrom(headers['x-ratelimit-type']) ?? limitTypeFrom(MESSAGE_TYPE.exec(bodyText)?.[1]) ?? 'Unknown';

  const remaining = secondsFrom(headers['x-ratelimit-timeremaining']);
  if (remaining !== null) return { limitType, resetSeconds: whole(remaining), source: 'x-ratelimit-timeremaining' };

  const retryAfter = retryAfterSeconds(headers['retry-after'], now);
  if (retryAfter !== null) return { limitType, resetSeconds: whole(retryAfter), source: 'retry-after' };

  const wait = secondsFrom(MESSAGE_WAIT.exec(bodyText)?.[1]);
  if (wait !== null) return { limitType, resetSeconds: whole(wait), source: 'message' };

  const fallback = Number.isFinite(defaultSeconds) && defaultSeconds >= 0 ? defaultSeconds : 60;
  return { limitType, resetSeconds: whole(fallback), source: 'default' };
}
