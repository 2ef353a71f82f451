import type { CooldownScope, LimitType } from '../../../shared/domain';
import type { RateLimitInfo } from '../upstream/types';
import { emptyEntry, laterOf, type CooldownRecord, type Subject } from './ledger';

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

export interface RateLimitEffect {
  scope: CooldownScope;
  /** When the account can be used again for this model (the cooldown now in force). */
  until: number;
  /** True when this 429 started or extended the block (false: an existing later block stands). */
  changed: boolean;
  record: CooldownRecord;
}

/**
 * Applies a 429 to a subject's ledger. A 429 for model A never blocks model B unless its type
 * is user-wide; an existing later cooldown is never shortened.
 */
export function applyRateLimit(
  subject: Subject,
  model: string,
  info: RateLimitInfo,
  account: string,
  now: number,
): RateLimitEffect {
  const scope = scopeOf(info.limitType);
  const seconds = Number.isFinite(info.resetSeconds) ? Math.max(0, info.resetSeconds) : 0;
  if (scope === 'concurrency') {
    const pauseMs =
      info.source === 'default'
        ? CONCURRENCY_PAUSE_MS
        : Math.min(CONCURRENCY_PAUSE_MAX_MS, Math.max(CONCURRENCY_PAUSE_MS, seconds * 1000));
    const record: CooldownRecord = { until: now + pauseMs, limitType: info.limitType, source: info.source, scope, account };
    const kept = laterOf(subject.pause, record) ?? record;
    const changed = kept === record;
    subject.pause = kept;
    // Upstream refused this request while the others in flight were accepted.
    const value = Math.max(1, subject.inFlight - 1);
    subject.cap = { value: subject.cap ? Math.min(subject.cap.value, value) : value, until: now + CAP_RECOVERY_MS };
    return { scope, until: kept.until, changed, record: kept };
  }
  const record: CooldownRecord = {
    until: now + Math.max(MIN_COOLDOWN_MS, Math.round(seconds * 1000)),
    limitType: info.limitType,
    source: info.source,
    scope,
    account,
  };
  if (scope === 'user') {
    const kept = laterOf(subject.userCooldown, record) ?? record;
    subject.userCooldown = kept;
    return { scope, until: kept.until, changed: kept === record, record: kept };
  }
  let entry = subject.models.get(model);
  if (!entry) {
    entry = emptyEntry();
    subject.models.set(model, entry);
  }
  const kept = laterOf(entry.cooldown, record) ?? record;
  entry.cooldown = kept;
  return { scope, until: kept.until, changed: kept === record, record: kept };
}
