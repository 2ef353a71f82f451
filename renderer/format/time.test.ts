import { describe, expect, it } from 'vitest';
import { formatClock, formatCountdown, formatResetTime, formatTimestamp } from './time';

describe('formatCountdown', () => {
  it('shows h:mm:ss of the time left', () => {
    expect(formatCountdown(82_294_000, 0)).toBe('22:51:34');
    expect(formatCountdown(65_000, 0)).toBe('0:01:05');
    expect(formatCountdown(3_600_000, 0)).toBe('1:00:00');
  });

  it('rounds a partial second up, so 0:00:00 only shows once the time has come', () => {
    expect(formatCountdown(1_500, 1_000)).toBe('0:00:01');
    expect(formatCountdown(1_000, 1_000)).toBe('0:00:00');
  });

  it('never goes negative', () => {
    expect(formatCountdown(1_000, 90_000)).toBe('0:00:00');
  });
});

describe('local times', () => {
  const at = new Date(2026, 10, 26, 13, 28, 28).getTime();

  it('formats the local wall clock and date', () => {
    expect(formatClock(at)).toBe('13:28:28');
    expect(formatTimestamp(at)).toBe('2026-11-26 13:28:28');
  });

  it('adds the date to a reset time only when it is on another day', () => {
    expect(formatResetTime(at, new Date(2026, 10, 26, 9, 0, 0).getTime())).toBe('13:28:28');
    expect(formatResetTime(at, new Date(2026, 10, 25, 23, 0, 0).getTime())).toBe('2026-11-26 13:28:28');
  });
});
