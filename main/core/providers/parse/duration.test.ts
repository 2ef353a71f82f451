import { describe, expect, it } from 'vitest';
import { parseGoDuration, proseDelayMs } from './duration';

describe('parseGoDuration', () => {
  it.each([
    ['2m59.56s', 179_560],
    ['7.66s', 7660],
    ['6m0s', 360_000],
    ['1s', 1000],
    ['644ms', 644],
    ['9m38.016s', 578_016],
    ['28m48s', 1_728_000],
    ['1.984999999s', 1984.999999],
    ['2h1m3s', 7_263_000],
    ['1500us', 1.5],
    ['2µs', 0.002],
    ['500ns', 0.0005],
    ['41s', 41_000],
  ])('reads %s over every unit', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 6);
  });

  it.each(['', '12', 'abc', '5 minutes', '1s garbage', 'm5', '-3s', '3d'])('refuses %j', (text) => {
    expect(parseGoDuration(text)).toBeNull();
  });
});

describe('proseDelayMs', () => {
  it.each([
    ['Please try again in 9m38.016s. Need more tokens?', 578_016],
    ['Please try again in 2s. Need more tokens?', 2000],
    ['Please try again in 644ms. Visit …', 644],
    ['Please retry in 41.710991998s.', 41_710.991998],
    ['Please retry after 45 seconds.', 45_000],
    ['Rate limit is exceeded. Try again in 2 seconds.', 2000],
    ['try again in 3 minutes', 180_000],
  ])('reads %j', (text, ms) => {
    expect(proseDelayMs(text)).toBeCloseTo(ms, 3);
  });

  it('does not stop at the first unit (freellmapi read 9m38.016s as 9 minutes)', () => {
    expect(proseDelayMs('Please try again in 9m38.016s.')).not.toBe(9 * 60_000);
  });

  it('is null without a stated delay', () => {
    expect(proseDelayMs('Rate limit exceeded')).toBeNull();
  });
});
