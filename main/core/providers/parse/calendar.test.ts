import { describe, expect, it } from 'vitest';
import { nextMidnightIn, nextPacificMidnight, nextUtcMidnight, nextUtcMonthStart } from './calendar';

describe('calendar resets', () => {
  it('next midnight Pacific in summer time (UTC-7) and winter time (UTC-8)', () => {
    expect(nextPacificMidnight(Date.UTC(2026, 6, 15, 20, 0))).toBe(Date.UTC(2026, 6, 16, 7, 0));
    expect(nextPacificMidnight(Date.UTC(2026, 0, 15, 20, 0))).toBe(Date.UTC(2026, 0, 16, 8, 0));
  });

  it('just before and just after midnight Pacific', () => {
    expect(nextPacificMidnight(Date.UTC(2026, 6, 16, 6, 59, 59))).toBe(Date.UTC(2026, 6, 16, 7, 0));
    expect(nextPacificMidnight(Date.UTC(2026, 6, 16, 7, 0))).toBe(Date.UTC(2026, 6, 17, 7, 0));
  });

  it('is DST-correct on the days the clocks change (2026-03-08 forward, 2026-11-01 back)', () => {
    // 21:00 PST on Mar 7: the next midnight is still PST; the one after is PDT (a 23 h day).
    expect(nextPacificMidnight(Date.UTC(2026, 2, 8, 5, 0))).toBe(Date.UTC(2026, 2, 8, 8, 0));
    expect(nextPacificMidnight(Date.UTC(2026, 2, 8, 10, 0))).toBe(Date.UTC(2026, 2, 9, 7, 0));
    // Oct 31 PDT: the next midnight is PDT; Nov 1 after the change, PST (a 25 h day).
    expect(nextPacificMidnight(Date.UTC(2026, 9, 31, 12, 0))).toBe(Date.UTC(2026, 10, 1, 7, 0));
    expect(nextPacificMidnight(Date.UTC(2026, 10, 1, 12, 0))).toBe(Date.UTC(2026, 10, 2, 8, 0));
  });

  it('works for other zones (Tokyo has no DST)', () => {
    expect(nextMidnightIn('Asia/Tokyo', Date.UTC(2026, 6, 15, 20, 0))).toBe(Date.UTC(2026, 6, 16, 15, 0));
  });

  it('UTC midnight and month start', () => {
    expect(nextUtcMidnight(Date.UTC(2026, 8, 1, 23, 59, 59))).toBe(Date.UTC(2026, 8, 2));
    expect(nextUtcMidnight(Date.UTC(2026, 8, 2))).toBe(Date.UTC(2026, 8, 3));
    expect(nextUtcMonthStart(Date.UTC(2026, 11, 31, 12))).toBe(Date.UTC(2027, 0, 1));
  });
});
