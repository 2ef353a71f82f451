import { describe, expect, it } from 'vitest';
import { dayCap, defaultScenarios } from './scenarios';
import { arrivals, offeredPerModel } from './workload';

describe('arrivals', () => {
  const scenario = defaultScenarios()[0]!;

  it('is the same for the same seed and differs for another', () => {
    expect(arrivals(scenario)).toEqual(arrivals(scenario));
    expect(arrivals({ ...scenario, seed: scenario.seed + 1 })).not.toEqual(arrivals(scenario));
  });

  it('is sorted within the day, ids in arrival order', () => {
    const list = arrivals(scenario);
    list.forEach((a, i) => {
      expect(a.id).toBe(i);
      if (i > 0) expect(a.atMs).toBeGreaterThanOrEqual(list[i - 1]!.atMs);
      expect(a.atMs).toBeGreaterThanOrEqual(0);
      expect(a.atMs).toBeLessThan(scenario.durationSeconds * 1000);
    });
  });

  it('offers every model its base demand (factor x daily cap) within Poisson noise, plus bursts', () => {
    const list = arrivals(scenario);
    const base = arrivals({ ...scenario, bursts: { ...scenario.bursts, meanGapSeconds: 1e12 } });
    expect(base.every((a) => !a.burst)).toBe(true);
    offeredPerModel(scenario, base).forEach((n, i) => {
      const expected = scenario.demandFactor * dayCap(scenario.models[i]!.model, scenario.accounts);
      // A Poisson count: standard deviation sqrt(expected); 4 of them is far out.
      expect(Math.abs(n - expected)).toBeLessThan(4 * Math.sqrt(expected));
    });
    const bursts = list.filter((a) => a.burst);
    // ~48 bursts a day of 20-60 requests each.
    expect(bursts.length).toBeGreaterThan(48 * 20 * 0.5);
    expect(bursts.length).toBeLessThan(48 * 60 * 1.5);
  });

  it('puts demand above capacity for every model of every scenario', () => {
    for (const s of defaultScenarios()) {
      const offered = offeredPerModel(s, arrivals(s));
      s.models.forEach((m, i) => expect(offered[i]!).toBeGreaterThan(dayCap(m.model, s.accounts)));
    }
  });
});
