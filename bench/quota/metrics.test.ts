import { describe, expect, it } from 'vitest';
import { mean, percentile, windowStats } from './metrics';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 10)).toBe(1);
    expect(percentile([], 95)).toBe(0);
  });
});

describe('mean', () => {
  it('averages, and is 0 for nothing', () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(mean([])).toBe(0);
  });
});

describe('windowStats', () => {
  it('counts windows and those with more than one 429', () => {
    const stats = windowStats(new Map([['a', 1], ['b', 3], ['c', 2], ['d', 1]]));
    expect(stats).toMatchObject({ windows: 4, maxPerWindow: 3, windowsOverOne: 2 });
    expect(stats.worst).toEqual([{ window: 'b', count: 3 }, { window: 'c', count: 2 }]);
  });
});
