import { mulberry32 } from '../../main/simulator/prng';
import { dayCap, type ModelDemand, type Scenario } from './scenarios';

/** One client request: when it arrives (ms after the start) and for which model. */
export interface Arrival {
  id: number;
  atMs: number;
  /** Index into scenario.models. */
  model: number;
  burst: boolean;
}

const exponential = (random: () => number, mean: number) => -Math.log(1 - random()) * mean;
const uniformInt = (random: () => number, [min, max]: [number, number]) => min + Math.floor(random() * (max - min + 1));

/** Base Poisson rate of a model in requests per second. */
export function baseRate(scenario: Scenario, demand: ModelDemand): number {
  return (scenario.demandFactor * dayCap(demand.model, scenario.accounts)) / scenario.durationSeconds;
}

/**
 * The scenario's arrivals, sorted by time, ids in that order. Deterministic for a seed: every
 * strategy sees exactly the same demand. Per model a Poisson process at its base rate; on top,
 * bursts (Poisson in time) of many requests for one model (picked in proportion to its base rate)
 * arriving within a few seconds.
 */
export function arrivals(scenario: Scenario): Arrival[] {
  const random = mulberry32(scenario.seed);
  const endMs = scenario.durationSeconds * 1000;
  const raw: Array<Omit<Arrival, 'id'>> = [];
  const rates = scenario.models.map((m) => baseRate(scenario, m));

  rates.forEach((rate, model) => {
    if (!(rate > 0)) return;
    for (let t = exponential(random, 1000 / rate); t < endMs; t += exponential(random, 1000 / rate)) {
      raw.push({ atMs: Math.floor(t), model, burst: false });
    }
  });

  const total = rates.reduce((a, b) => a + b, 0);
  const { meanGapSeconds, size, spreadSeconds } = scenario.bursts;
  for (let t = exponential(random, meanGapSeconds * 1000); t < endMs; t += exponential(random, meanGapSeconds * 1000)) {
    let pick = random() * total;
    let model = 0;
    while (model < rates.length - 1 && pick >= rates[model]!) pick -= rates[model++]!;
    const n = uniformInt(random, size);
    for (let i = 0; i < n; i++) {
      const at = Math.floor(t + random() * spreadSeconds * 1000);
      if (at < endMs) raw.push({ atMs: at, model, burst: true });
    }
  }

  raw.sort((a, b) => a.atMs - b.atMs || a.model - b.model);
  return raw.map((a, id) => ({ id, ...a }));
}

/** Requests offered per model index. */
export function offeredPerModel(scenario: Scenario, list: readonly Arrival[]): number[] {
  const counts = scenario.models.map(() => 0);
  for (const a of list) counts[a.model]!++;
  return counts;
}
