import type { Strategy } from '../../../shared/domain';
import type { AccountState } from './account-state';
import type { Forecast } from './forecast';

export interface Candidate {
  account: AccountState;
  /** Position in the preference order. */
  index: number;
  forecast: Forecast;
}

export interface ChoiceState {
  /** The pool's current account (the old `current_token`). */
  current: string | null;
  /** Index of the account round robin used last. */
  lastIndex: number;
}

const byIndex = (a: Candidate, b: Candidate) => a.index - b.index;

/**
 * Picks among accounts the forecast says have quota now.
 * sticky: stay on the current account while it can serve, else the first in preference order.
 * round-robin: the next account after the one used last.
 * most-quota: most forecast requests left today, then this minute, then preference.
 */
export function pickReady(strategy: Strategy, ready: readonly Candidate[], state: ChoiceState): Candidate | undefined {
  const sorted = [...ready].sort(byIndex);
  switch (strategy) {
    case 'sticky':
      return sorted.find((c) => c.account.key === state.current) ?? sorted[0];
    case 'round-robin':
      return sorted.find((c) => c.index > state.lastIndex) ?? sorted[0];
    case 'most-quota': {
      const left = (c: Candidate) =>
        c.forecast.kind === 'ready' ? [c.forecast.dayLeft, c.forecast.minuteLeft] : [-Infinity, -Infinity];
      return sorted.reduce<Candidate | undefined>((best, c) => {
        if (!best) return c;
        const [d1, m1] = left(best);
        const [d2, m2] = left(c);
        return d2! > d1! || (d2 === d1 && m2! > m1!) ? c : best;
      }, undefined);
    }
  }
}

/** How soon the forecast expects an account to have quota again (lower is likelier). */
function readiness(forecast: Forecast): number {
  if (forecast.kind === 'ready') return -Infinity;
  if (forecast.kind === 'paced') return forecast.until ?? 0;
  return forecast.until ?? Infinity;
}

/**
 * When the forecast says every account is spent, upstream still decides: the likeliest account
 * is the one whose counted window ends soonest (accounts whose plan shows no access come last),
 * the current account first among equals.
 */
export function pickLikeliest(candidates: readonly Candidate[], state: ChoiceState): Candidate | undefined {
  return [...candidates].sort((a, b) => {
    const r = readiness(a.forecast) - readiness(b.forecast);
    if (r !== 0 && !Number.isNaN(r)) return r;
    const cur = Number(b.account.key === state.current) - Number(a.account.key === state.current);
    return cur !== 0 ? cur : a.index - b.index;
  })[0];
}
