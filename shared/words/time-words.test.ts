import { describe, expect, it } from 'vitest';
import { formatAgo, formatClock, formatCountdown, formatDuration, formatIn, formatTimestamp, formatUntil } from './time-words';

describe('formatDuration', () => {
  it('says durations at a useful grain, rounding up', () => {
    expect(formatDuration(-5)).toBe('0 s');
    expect(formatDuration(41_200)).toBe('42 s');
    expect(formatDuration(245_000)).toBe('4 min 5 s');
    expect(formatDuration(5_631_000)).toBe('1 h 34 min');
    expect(formatDuration(52 * 3600_000)).toBe('2 d 4 h');
  });

  it.each([
    [1, '1 min'],
    [59_000, '1 min'],
    [61_000, '2 min'],
    [(6 * 60 + 24) * 60_000 + 10_000, '6 h 25 min'],
    [2 * 3_600_000, '2 h'],
    [(24 * 60 + 90) * 60_000, '1 d 1 h'],
    [48 * 3_600_000, '2 d'],
  ])('minute grain: %i ms → %s', (ms, words) => expect(formatDuration(ms, 'minute')).toBe(words));
});

describe('formatCountdown', () => {
  it('says a day-long countdown as the CLI does, "23 h 51 min", never h:mm:ss', () => {
    expect(formatCountdown(Date.UTC(2026, 0, 2, 0, 0), Date.UTC(2026, 0, 1, 0, 9, 30))).toBe('23 h 51 min');
    expect(formatCountdown(82_294_000, 0)).toBe('22 h 52 min');
    expect(formatCountdown(65_000, 0)).toBe('1 min 5 s');
    expect(formatCountdown(65_000, 0, 'minute')).toBe('2 min');
  });

  it('rounds a partial second up and says "now" once the time has come, never negative', () => {
    expect(formatCountdown(1_500, 1_000)).toBe('1 s');
    expect(formatCountdown(1_000, 1_000)).toBe('now');
    expect(formatCountdown(1_000, 90_000)).toBe('now');
  });
});

describe('formatIn and formatAgo', () => {
  it('reads relative times', () => {
    expect(formatIn(3_900_000, 0)).toBe('in 1 h 5 min');
    expect(formatIn(0, 5)).toBe('now');
    expect(formatAgo(0, 7_380_999)).toBe('2 h 3 min ago');
    expect(formatAgo(0, 500)).toBe('just now');
  });
});

describe('formatClock', () => {
  const now = Date.UTC(2026, 10, 26, 7, 37);

  it('same day: the time; another day: date and time', () => {
    expect(formatClock(Date.UTC(2026, 10, 26, 13, 28, 28), now, { timeZone: 'UTC' })).toBe('13:28:28');
    expect(formatClock(Date.UTC(2026, 10, 27, 0, 5, 1), now, { timeZone: 'UTC' })).toBe('2026-11-27 00:05:01');
    expect(formatTimestamp(Date.UTC(2026, 10, 26, 13, 28, 28), 'UTC')).toBe('2026-11-26 13:28:28');
  });

  it('minute grain rounds up and names another day by its weekday (the tray)', () => {
    const tray = { grain: 'minute', otherDay: 'weekday', timeZone: 'UTC' } as const;
    expect(formatClock(Date.UTC(2026, 10, 26, 14, 2), now, tray)).toBe('14:02');
    expect(formatClock(Date.UTC(2026, 10, 27, 0, 5), now, tray)).toBe('Fri 00:05');
    expect(formatClock(Date.UTC(2026, 10, 26, 14, 1, 30), now, tray)).toBe('14:02');
  });

  it('uses the local zone by default', () => {
    const at = new Date(2026, 10, 26, 13, 28, 28).getTime();
    expect(formatClock(at, new Date(2026, 10, 26, 9, 0, 0).getTime())).toBe('13:28:28');
    expect(formatClock(at, new Date(2026, 10, 25, 23, 0, 0).getTime())).toBe('2026-11-26 13:28:28');
  });

  it('formatUntil joins clock and countdown', () => {
    expect(formatUntil(now + 3_900_000, now, 'UTC')).toBe('until 08:42:00 (in 1 h 5 min)');
  });
});
