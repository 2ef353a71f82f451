import { MAX_COOLDOWN_MS, type LimitPeriod, type LimitScope } from '../types';

/**
 * The longest a limit of each window can block. A day is 25 h (a local day is that long when the
 * clocks go back); a month 31 days.
 */
export const WINDOW_MS: Record<LimitPeriod, number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 25 * 3_600_000,
  month: 31 * 86_400_000,
};

/** Capacity and concurrency answers are the provider's business: a short pause, never a long block. */
export const SHORT_PAUSE_MAX_MS = 2 * 60_000;

export interface Bounded {
  resetAt: number;
  clamped: boolean;
}

/** The most a stated reset may lie ahead of `now` for a limit of this period and scope. */
export function maxBlockMs(period: LimitPeriod | null, scope: LimitScope): number {
  const window = period ? WINDOW_MS[period] : MAX_COOLDOWN_MS;
  const short = scope === 'capacity' || scope === 'concurrency' ? SHORT_PAUSE_MAX_MS : MAX_COOLDOWN_MS;
  return Math.min(window, short, MAX_COOLDOWN_MS);
}

/**
 * A reset no earlier than `now` and no later than its window allows; `clamped` when it had to be
 * cut down (a garbled header, a per-minute limit claiming two days).
 */
export function boundReset(now: number, resetAt: number, period: LimitPeriod | null, scope: LimitScope): Bounded {
  const latest = now + maxBlockMs(period, scope);
  if (!Number.isFinite(resetAt)) return { resetAt: latest, clamped: true };
  if (resetAt > latest) return { resetAt: latest, clamped: true };
  return { resetAt: Math.max(now, Math.ceil(resetAt)), clamped: false };
}
