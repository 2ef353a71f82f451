import { describe, expect, it } from 'vitest';
import type { TrafficBucket } from '../../shared/snapshot';
import { hourTicks, trafficSeries } from './traffic-series';

const MIN = 60_000;
const bucket = (start: number, account: string, served: number, rotated = 0, rateLimited = 0): TrafficBucket => ({ start, account, served, rotated, rateLimited });

describe('trafficSeries', () => {
  const now = 100 * 5 * MIN + 2 * MIN; // inside the slot starting at 500 min
  const traffic = (history: TrafficBucket[]) => ({ inFlight: 0, queued: 0, bucketMs: 5 * MIN, history });

  it('places buckets in fixed slots ending with the current one, per account, in account order', () => {
    const s = trafficSeries(
      traffic([bucket(500 * MIN, 'B', 2, 1, 0), bucket(495 * MIN, 'A', 4, 0, 1), bucket(500 * MIN, 'A', 1)]),
      ['A', 'B'],
      now,
      30 * MIN,
    );
    expect(s.slots).toBe(6);
    expect(s.windowStart).toBe(475 * MIN);
    expect(s.accounts.map((a) => a.account)).toEqual(['A', 'B']);
    const a = s.accounts[0]!;
    expect(a.bars[4]).toEqual({ start: 495 * MIN, served: 4, rotated: 0, rateLimited: 1 });
    expect(a.bars[5]).toEqual({ start: 500 * MIN, served: 1, rotated: 0, rateLimited: 0 });
    expect(a.totals).toEqual({ served: 5, rotated: 0, rateLimited: 1 });
    expect(s.max).toBe(5);
  });

  it('drops buckets older than the window, and accounts with nothing in it', () => {
    const s = trafficSeries(traffic([bucket(100 * MIN, 'A', 9), bucket(500 * MIN, 'C', 1)]), ['A'], now, 30 * MIN);
    expect(s.accounts.map((a) => a.account)).toEqual(['C']);
    expect(s.max).toBe(1);
  });
});

describe('hourTicks (the time axis)', () => {
  it('puts a tick at every full local hour inside the window, at its place along it', () => {
    const start = new Date(2026, 10, 26, 6, 10, 0).getTime();
    const ticks = hourTicks({ windowStart: start, bucketMs: 600_000, slots: 36 }); // 6 h
    expect(ticks.map((t) => new Date(t.at).getHours())).toEqual([7, 8, 9, 10, 11, 12]);
    expect(ticks[0]!.left).toBeCloseTo((50 / 360) * 100);
    expect(ticks.at(-1)!.left).toBeCloseTo((350 / 360) * 100);
  });

  it('includes the hour the window starts on', () => {
    const start = new Date(2026, 10, 26, 6, 0, 0).getTime();
    expect(hourTicks({ windowStart: start, bucketMs: 3_600_000, slots: 2 }).map((t) => t.left)).toEqual([0, 50, 100]);
  });
});
