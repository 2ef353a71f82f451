import { describe, expect, it } from 'vitest';
import { nextPacificMidnight, nextUtcMidnight } from '../../main/simulator/providers/calendar';
import type { MeterSpec } from '../../main/simulator/providers/types';
import { calendarPeriods, meterCapacity, ownerCapacity } from './provider-capacity';

const START = Date.UTC(2025, 0, 1);
const DAY = 86_400_000;
const spec = (name: string, limit: number, clock: MeterSpec['clock'], scope: MeterSpec['scope'] = 'model', unit: MeterSpec['unit'] = 'requests'): MeterSpec => ({ name, unit, limit, clock, scope });

describe('provider capacity over a day', () => {
  it('a continuously refilling bucket gives a full bucket plus what refills (Groq, Cerebras)', () => {
    expect(meterCapacity(spec('rpd', 1000, { kind: 'bucket', seconds: 86_400 }), START, DAY, 1)).toBe(2000);
    expect(meterCapacity(spec('rpm', 30, { kind: 'bucket', seconds: 60 }), START, 600_000, 1)).toBe(330);
    expect(meterCapacity(spec('tpd', 100_000, { kind: 'bucket', seconds: 86_400 }, 'model', 'tokens'), START, DAY, 40)).toBe(5000);
  });

  it('a window that opens at the first request allows one full window per window length', () => {
    expect(meterCapacity(spec('rpm', 10, { kind: 'window', seconds: 60 }), START, 150_000, 1)).toBe(30);
  });

  it('a UTC day from 00:00 UTC is two Gemini days (midnight Los Angeles is 08:00 UTC) and one OpenRouter day', () => {
    expect(calendarPeriods(nextPacificMidnight, START, START + DAY)).toBe(2);
    expect(calendarPeriods(nextUtcMidnight, START, START + DAY)).toBe(1);
    expect(meterCapacity(spec('rpd', 250, { kind: 'calendar', next: nextPacificMidnight }), START, DAY, 1)).toBe(500);
    // From 08:00 UTC a day is exactly one Pacific day.
    expect(calendarPeriods(nextPacificMidnight, START + 8 * 3_600_000, START + 8 * 3_600_000 + DAY)).toBe(1);
  });

  it("an owner-wide pool (OpenRouter's :free) bounds the models it covers together; per-model meters add up", () => {
    const pool = spec('free-models-per-day', 1000, { kind: 'calendar', next: nextUtcMidnight }, 'owner');
    const perMin = spec('free-models-per-min', 20, { kind: 'window', seconds: 60 }, 'owner');
    const free = ownerCapacity([{ model: 'a:free', meters: [{ spec: perMin, amount: 1 }, { spec: pool, amount: 1 }] }, { model: 'b:free', meters: [{ spec: perMin, amount: 1 }, { spec: pool, amount: 1 }] }], START, DAY);
    expect(free.total).toBe(1000);
    const rpd = spec('rpd', 1000, { kind: 'bucket', seconds: 86_400 });
    const groq = ownerCapacity([{ model: 'x', meters: [{ spec: rpd, amount: 1 }] }, { model: 'y', meters: [{ spec: rpd, amount: 1 }] }], START, DAY);
    expect(groq).toEqual({ total: 4000, perModel: { x: 2000, y: 2000 } });
  });

  it('the tightest meter decides, tokens counted per request', () => {
    const rpd = spec('rpd', 1000, { kind: 'bucket', seconds: 86_400 });
    const tpd = spec('tpd', 10_000, { kind: 'bucket', seconds: 86_400 }, 'model', 'tokens');
    expect(ownerCapacity([{ model: 'x', meters: [{ spec: rpd, amount: 1 }, { spec: tpd, amount: 50 }] }], START, DAY).total).toBe(400);
  });
});
