import type { MeterSpec } from '../../main/simulator/providers/types';

/**
 * How many requests one meter admits over a period, counted as the provider counts it:
 * - a window that opens at the first request (OpenAI-style per minute): at most one full window
 *   per window length started inside the period;
 * - a bucket that refills continuously (Groq, Cerebras): a full bucket at the start, plus what
 *   refills during the period (limit / window length, per unit of time);
 * - a calendar counter (Gemini: midnight America/Los_Angeles; OpenRouter's `:free` day: 00:00
 *   UTC): the limit once per calendar period the period touches.
 * `amount` is what one request spends on the meter (1 for requests, its tokens for tokens).
 */
export function meterCapacity(spec: MeterSpec, startMs: number, durationMs: number, amount: number): number {
  if (amount <= 0) return Number.POSITIVE_INFINITY;
  const end = startMs + durationMs;
  let units: number;
  if (spec.clock.kind === 'window') units = Math.ceil(durationMs / (spec.clock.seconds * 1000)) * spec.limit;
  else if (spec.clock.kind === 'bucket') units = spec.limit + (spec.limit * durationMs) / (spec.clock.seconds * 1000);
  else units = calendarPeriods(spec.clock.next, startMs, end) * spec.limit;
  return Math.floor(units / amount);
}

/** Calendar periods that [start, end) touches: the one open at `start`, and one per boundary before `end`. */
export function calendarPeriods(next: (now: number) => number, start: number, end: number): number {
  let n = 1;
  for (let t = next(start); t < end; t = next(t)) n++;
  return n;
}

/** One model an owner serves, with its meters and what one request spends on each. */
export interface OwnerModel {
  model: string;
  meters: Array<{ spec: MeterSpec; amount: number }>;
}

/**
 * An owner's capacity over the period for the models asked of it: per model the tightest of its
 * per-model meters, summed over the models, then bounded by the owner-wide meters (OpenRouter's
 * `:free` pool counts every free model of the account once).
 */
export function ownerCapacity(models: readonly OwnerModel[], startMs: number, durationMs: number): { total: number; perModel: Record<string, number> } {
  const perModel: Record<string, number> = {};
  const shared = new Map<string, number>();
  let sum = 0;
  for (const m of models) {
    let own = Number.POSITIVE_INFINITY;
    for (const { spec, amount } of m.meters) {
      const cap = meterCapacity(spec, startMs, durationMs, amount);
      if (spec.scope === 'owner') shared.set(spec.name, Math.min(shared.get(spec.name) ?? Number.POSITIVE_INFINITY, cap));
      else own = Math.min(own, cap);
    }
    perModel[m.model] = own;
    sum += own;
  }
  const pool = Math.min(...shared.values());
  return { total: Math.min(sum, pool), perModel };
}
