import { LIMIT_TYPES, type LimitType, type ResetSource as GitHubResetSource } from '../../../shared/domain';
import { scrubTokens } from '../mask';
import { boundReset } from '../providers/parse/bound';
import type { LimitScope, LimitSignal, LimitWindow, ResetSource } from '../providers/types';
import { parseRateLimit } from './rate-limit';
import type { RateLimitInfo } from './types';

/**
 * GitHub Models' 429 read into the provider seam's one shape (providers/types.ts). The pool is
 * driven by limit signals; this adapter stands where a provider descriptor's `readLimit` will.
 */

const SCOPE: Record<LimitType, LimitScope> = {
  UserByModelByDay: 'model',
  UserByModelByMinute: 'model',
  UserByModelByMinuteTokens: 'model',
  Unknown: 'model',
  UserByMinute: 'owner',
  UserByDay: 'owner',
  UserConcurrentRequests: 'concurrency',
};

const WINDOW: Record<LimitType, LimitWindow> = {
  UserByModelByDay: { period: 'day', unit: 'requests' },
  UserByModelByMinute: { period: 'minute', unit: 'requests' },
  UserByModelByMinuteTokens: { period: 'minute', unit: 'tokens' },
  UserByMinute: { period: 'minute', unit: 'requests' },
  UserByDay: { period: 'day', unit: 'requests' },
  UserConcurrentRequests: { period: null, unit: null },
  Unknown: { period: null, unit: null },
};

const TO_SIGNAL: Record<GitHubResetSource, ResetSource> = {
  'x-ratelimit-timeremaining': 'reset-header',
  'retry-after': 'retry-after',
  message: 'prose',
  default: 'default',
};

const FROM_SIGNAL: Record<ResetSource, GitHubResetSource> = {
  'reset-header': 'x-ratelimit-timeremaining',
  'retry-after': 'retry-after',
  'retry-after-ms': 'retry-after',
  body: 'message',
  prose: 'message',
  calendar: 'default',
  default: 'default',
};

const STATED = /Rate limit of (\d+) per/;

/** A GitHub Models 429 as a limit signal. */
export function githubLimitSignal(headers: Record<string, string>, bodyText: string, defaultSeconds: number, now: number): LimitSignal {
  const info = parseRateLimit(headers, bodyText, defaultSeconds, now);
  const stated = STATED.exec(bodyText);
  const scope = SCOPE[info.limitType];
  const window = WINDOW[info.limitType];
  // A limit blocks no longer than its own window allows (a per-minute limit cannot block for two
  // days, whatever a header says); a limit of no known window keeps the two-day cap of rate-limit.ts.
  const bounded = window.period || scope === 'concurrency' ? boundReset(now, now + info.resetSeconds * 1000, window.period, scope) : { resetAt: now + info.resetSeconds * 1000, clamped: false };
  return {
    scope,
    window,
    resetAt: bounded.resetAt,
    source: TO_SIGNAL[info.source],
    clamped: bounded.clamped,
    ...(stated ? { limit: Number(stated[1]) } : {}),
    message: scrubTokens(bodyText),
    githubLimitType: info.limitType,
  };
}

const isLimitType = (value: string | undefined): value is LimitType => (LIMIT_TYPES as readonly string[]).includes(value ?? '');

/**
 * The pool's limit type for a signal of another provider than GitHub: an owner-wide limit blocks
 * every model of the owner, a concurrency one is a pause, a model one says its window.
 */
export function limitTypeOfSignal(signal: LimitSignal): LimitType {
  if (isLimitType(signal.githubLimitType)) return signal.githubLimitType;
  // An owner-wide limit says its window: a day (or a month, counted as the longest window) is not a minute.
  if (signal.scope === 'owner') return signal.window.period === 'day' || signal.window.period === 'month' ? 'UserByDay' : 'UserByMinute';
  if (signal.scope === 'concurrency') return 'UserConcurrentRequests';
  if (signal.scope !== 'model') return 'Unknown';
  if (signal.window.period === 'day' || signal.window.period === 'month') return 'UserByModelByDay';
  if (signal.window.period === 'minute') return signal.window.unit === 'tokens' ? 'UserByModelByMinuteTokens' : 'UserByModelByMinute';
  return 'Unknown';
}

/** What the pool's GitHub rules read from a signal: the limit type, seconds to the reset and their source. */
export function rateLimitInfoOf(signal: LimitSignal, now: number): RateLimitInfo {
  return {
    limitType: limitTypeOfSignal(signal),
    resetSeconds: signal.resetAt === null ? 0 : Math.max(0, (signal.resetAt - now) / 1000),
    source: FROM_SIGNAL[signal.source],
  };
}
