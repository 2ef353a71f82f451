import { describe, expect, it } from 'vitest';
import { nextPacificMidnight, nextUtcMidnight, nextUtcMonth } from './calendar';
import { ceilSeconds, floatSeconds, goDuration } from './durations';

describe('calendar boundaries', () => {
  it('midnight Pacific: 07:00 UTC in summer (PDT), 08:00 UTC in winter (PST)', () => {
    expect(nextPacificMidnight(Date.UTC(2026, 8, 1, 12, 0))).toBe(Date.UTC(2026, 8, 2, 7, 0));
    expect(nextPacificMidnight(Date.UTC(2026, 0, 15, 3, 0))).toBe(Date.UTC(2026, 0, 15, 8, 0));
    expect(nextPacificMidnight(Date.UTC(2026, 8, 2, 7, 0))).toBe(Date.UTC(2026, 8, 3, 7, 0));
  });

  it('midnight Pacific across the clock changes (23- and 25-hour days)', () => {
    // 2026-03-08 (spring forward): the day after starts 07:00 UTC.
    expect(nextPacificMidnight(Date.UTC(2026, 2, 8, 9, 0))).toBe(Date.UTC(2026, 2, 9, 7, 0));
    // 2026-11-01 (fall back): the day after starts 08:00 UTC.
    expect(nextPacificMidnight(Date.UTC(2026, 10, 1, 8, 0))).toBe(Date.UTC(2026, 10, 2, 8, 0));
  });

  it('UTC midnight and the first of next month', () => {
    expect(nextUtcMidnight(Date.UTC(2026, 8, 1, 23, 59, 59))).toBe(Date.UTC(2026, 8, 2));
    expect(nextUtcMidnight(Date.UTC(2026, 8, 2))).toBe(Date.UTC(2026, 8, 3));
    expect(nextUtcMonth(Date.UTC(2026, 11, 31, 12))).toBe(Date.UTC(2027, 0, 1));
  });
});

describe('duration spellings', () => {
  it("Go's style as Groq and OpenAI send it", () => {
    expect(goDuration(179_560)).toBe('2m59.56s');
    expect(goDuration(7660)).toBe('7.66s');
    expect(goDuration(644)).toBe('644ms');
    expect(goDuration(360_000)).toBe('6m0s');
    expect(goDuration(578_016)).toBe('9m38.016s');
    expect(goDuration(3_723_000)).toBe('1h2m3s');
  });

  it('float and whole seconds', () => {
    expect(floatSeconds(33_011_382.867)).toBe('33011.382867');
    expect(floatSeconds(30_200)).toBe('30.2');
    expect(ceilSeconds(1001)).toBe(2);
    expect(ceilSeconds(0)).toBe(1);
  });
});
