import { describe, expect, it } from 'vitest';
import { formatClock, formatCountdown } from './time-words';

describe('formatCountdown', () => {
  it.each([
    [0, 'now'],
    [1, '1 min'],
    [59_000, '1 min'],
    [60_000, '1 min'],
    [61_000, '2 min'],
    [(6 * 60 + 24) * 60_000 + 10_000, '6 h 25 min'],
    [2 * 3_600_000, '2 h'],
    [(24 * 60 + 90) * 60_000, '1 d 1 h'],
    [48 * 3_600_000, '2 d'],
  ])('%i ms → %s', (ms, words) => expect(formatCountdown(ms)).toBe(words));
});

describe('formatClock', () => {
  const now = Date.UTC(2026, 10, 26, 7, 37);
  it('same day: time only; another day: weekday and time', () => {
    expect(formatClock(Date.UTC(2026, 10, 26, 14, 2), now, 'UTC')).toBe('14:02');
    expect(formatClock(Date.UTC(2026, 10, 27, 0, 5), now, 'UTC')).toBe('Fri 00:05');
    expect(formatClock(Date.UTC(2026, 10, 26, 14, 1, 30), now, 'UTC')).toBe('14:02');
  });
});
