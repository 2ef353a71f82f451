import { describe, expect, it } from 'vitest';
import { formatDuration } from './time-words';

describe('formatDuration', () => {
  it('says durations at a useful grain, rounding up', () => {
    expect(formatDuration(-5)).toBe('0 s');
    expect(formatDuration(400)).toBe('1 s');
    expect(formatDuration(41_200)).toBe('42 s');
    expect(formatDuration(245_000)).toBe('4 min 5 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(12 * 60_000 + 1)).toBe('13 min');
    expect(formatDuration(5_631_000)).toBe('1 h 34 min');
    expect(formatDuration(3_600_000)).toBe('1 h');
    expect(formatDuration(52 * 3600_000)).toBe('2 d 4 h');
    expect(formatDuration(48 * 3600_000)).toBe('2 d');
  });

  it('never shows seconds at minute grain', () => {
    expect(formatDuration(1, 'minute')).toBe('1 min');
    expect(formatDuration(245_000, 'minute')).toBe('5 min');
    expect(formatDuration((6 * 60 + 25) * 60_000, 'minute')).toBe('6 h 25 min');
  });
});
