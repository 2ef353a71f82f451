import { describe, expect, it } from 'vitest';
import { resetAtFromNumber } from './reset-number';

const now = Date.UTC(2026, 8, 1, 12, 0, 0);

describe('resetAtFromNumber', () => {
  it('reads each declared kind', () => {
    expect(resetAtFromNumber(String(now + 5000), 'epoch-ms', now)).toBe(now + 5000);
    expect(resetAtFromNumber(String(now / 1000 + 60), 'epoch-s', now)).toBe(now + 60_000);
    expect(resetAtFromNumber('33011.382867', 'delta-s', now)).toBeCloseTo(now + 33_011_382.867, 0);
  });

  it('guesses only as a fallback: >1e12 epoch ms, >1e9 epoch s, else delta seconds', () => {
    expect(resetAtFromNumber(String(now + 9000), 'guess', now)).toBe(now + 9000);
    expect(resetAtFromNumber(String(now / 1000 + 9), 'guess', now)).toBe(now + 9000);
    expect(resetAtFromNumber('30.2', 'guess', now)).toBeCloseTo(now + 30_200, 0);
  });

  it('a declared kind is not second-guessed: a small epoch-ms value is in the past, so now', () => {
    expect(resetAtFromNumber('30', 'epoch-ms', now)).toBe(now);
  });

  it('refuses garbage', () => {
    expect(resetAtFromNumber('<epoch ms>', 'epoch-ms', now)).toBeNull();
    expect(resetAtFromNumber(undefined, 'delta-s', now)).toBeNull();
    expect(resetAtFromNumber(-4, 'delta-s', now)).toBeNull();
  });
});
