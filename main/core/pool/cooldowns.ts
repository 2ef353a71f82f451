import type { CooldownScope, LimitType } from '../../../shared/domain';
import type { RateLimitInfo } from '../upstream/types';
import type { CooldownRecord } from './quota-store';

/** UserConcurrentRequests: a short pause, not a long block. */
export const CONCURRENCY_PAUSE_MS = 1_000;
/** The longest pause a concurrency 429 can cause, whatever its headers say. */
export const CONCURRENCY_PAUSE_MAX_MS = 5_000;
/** A lowered in-flight cap is lifted this long after the last concurrency 429. */
export const CAP_RECOVERY_MS = 60_000;
/** No cooldown is shorter than this (a 429 that says "wait 0 seconds" still means not now). */
export const MIN_COOLDOWN_MS = 1_000;

/** Which state a limit type blocks (see reference/github-models-api.md). */
export function scopeOf(limitType: LimitType): CooldownScope {
  switch (limitType) {
    case 'UserByMinute':
    case 'UserByDay':
      return 'user';
    case 'UserConcurrentRequests':
      return 'concurrency';
    case 'UserByModelByDay':
    case 'UserByModelByMinute':
    case 'UserByModelByMinuteTokens':
    case 'Unknown':
      return 'model';
  }
}

/**
 * The block a 429 puts in force, with an absolute `until`: a concurrency 429 pauses briefly
 * (whatever its headers say), any other waits what upstream said (at least MIN_COOLDOWN_MS).
 */
export function cooldownRecord(info: RateLimitInfo, account: string, now: number): CooldownRecord {
  const scope = scopeOf(info.limitType);
  const seconds = Number.isFinite(info.resetSeconds) ? Math.max(0, info.resetSeconds) : 0;
  const ms =
    scope !== 'concurrency'
      ? Math.max(MIN_COOLDOWN_MS, Math.round(seconds * 1000))
      : info.source === 'default'
        ? CONCURRENCY_PAUSE_MS
        : Math.min(CONCURRENCY_PAUSE_MAX_MS, Math.max(CONCURRENCY_PAUSE_MS, seconds * 1000));
  return { until: now + ms, limitType: info.limitType, source: info.source, scope, account };
}
