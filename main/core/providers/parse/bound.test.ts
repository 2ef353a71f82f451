import { describe, expect, it } from 'vitest';
import { MAX_COOLDOWN_MS } from '../types';
import { boundReset, SHORT_PAUSE_MAX_MS } from './bound';

const now = 1_800_000_000_000;

describe('boundReset', () => {
  it('keeps a reset within its window', () => {
    expect(boundReset(now, now + 30_000, 'minute', 'model')).toEqual({ resetAt: now + 30_000, clamped: false });
  });

  it('a per-minute limit cannot block for two days', () => {
    expect(boundReset(now, now + 2 * 86_400_000, 'minute', 'model')).toEqual({ resetAt: now + 60_000, clamped: true });
  });

  it('a day may be 25 h (the day the clocks go back), not more', () => {
    expect(boundReset(now, now + 25 * 3_600_000, 'day', 'model').clamped).toBe(false);
    expect(boundReset(now, now + 26 * 3_600_000, 'day', 'model')).toEqual({ resetAt: now + 25 * 3_600_000, clamped: true });
  });

  it('capacity and concurrency are short pauses whatever the window', () => {
    expect(boundReset(now, now + 3_600_000, null, 'capacity')).toEqual({ resetAt: now + SHORT_PAUSE_MAX_MS, clamped: true });
    expect(boundReset(now, now + 3_600_000, 'day', 'concurrency').resetAt).toBe(now + SHORT_PAUSE_MAX_MS);
  });

  it('an unknown window is clamped to MAX_COOLDOWN_MS; a past reset means now; NaN is clamped', () => {
    expect(boundReset(now, now + 10 * MAX_COOLDOWN_MS, null, 'owner')).toEqual({ resetAt: now + MAX_COOLDOWN_MS, clamped: true });
    expect(boundReset(now, now - 5000, 'minute', 'model')).toEqual({ resetAt: now, clamped: false });
    expect(boundReset(now, Number.NaN, 'minute', 'model')).toEqual({ resetAt: now + 60_000, clamped: true });
  });
});
