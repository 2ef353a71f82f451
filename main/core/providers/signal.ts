import { boundReset } from './parse/bound';
import { tidyMessage } from './scrub';
import type { LimitPeriod, LimitScope, LimitSignal, LimitWindow, ResetSource } from './types';

export interface SignalInput {
  scope: LimitScope;
  window: LimitWindow;
  now: number;
  /** A delay from now (ms) or an absolute reset (epoch ms); neither for "a person must act". */
  delayMs?: number | null;
  resetAt?: number | null;
  source: ResetSource;
  message: string;
  limit?: number;
  /** The window that bounds the reset when `window.period` is unknown but its kind is not. */
  boundBy?: LimitPeriod;
  extra?: Pick<LimitSignal, 'githubLimitType' | 'modelPool' | 'noQuota'>;
}

/** One limit signal, its reset bounded by its window (and MAX_COOLDOWN_MS), its message scrubbed. */
export function limitSignal(input: SignalInput): LimitSignal {
  const stated = input.resetAt ?? (input.delayMs === null || input.delayMs === undefined ? null : input.now + input.delayMs);
  const bounded = stated === null ? null : boundReset(input.now, stated, input.window.period ?? input.boundBy ?? null, input.scope);
  return {
    scope: input.scope,
    window: input.window,
    resetAt: bounded?.resetAt ?? null,
    source: input.source,
    clamped: bounded?.clamped ?? false,
    ...(input.limit !== undefined ? { limit: input.limit } : {}),
    message: tidyMessage(input.message),
    ...input.extra,
  };
}

/** A window's nominal length (a day of 24 h, a month of 31 days); WINDOW_MS in parse/bound.ts is the longest one may block. */
export const PERIOD_MS: Record<LimitPeriod, number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 24 * 3_600_000,
  month: 31 * 86_400_000,
};

/** Default pause when an answer names its window but no reset: the window's length (providers.md §0.1, 6). */
export const DEFAULT_DELAY_MS: Record<LimitPeriod, number> = PERIOD_MS;
