import { describe, expect, it } from 'vitest';
import { providerArrivals, scenarioCapacity, simKeys } from './provider-scenario';
import { ProviderQuotaUpstream } from './provider-upstream';
import { START } from './run-strategy';
import { mixedProvidersScenario } from './scenario-mixed-providers';
import { routesScenario } from './scenario-routes';
import { SimClock } from './sim-clock';

const upstreamFor = (s: ReturnType<typeof mixedProvidersScenario>) =>
  new ProviderQuotaUpstream({ clock: new SimClock(START), keys: simKeys(s), settings: s.settings, latencyMs: () => 1000, refusalLatencyMs: 50 });

describe('provider scenarios', () => {
  it('counts capacity per owner: a second key of a Groq organisation adds none; Gemini gets two Pacific days; OpenRouter one pool', () => {
    const s = mixedProvidersScenario();
    const cap = scenarioCapacity(s, upstreamFor(s), s.demands.map(() => 1_000_000), START);
    expect(cap.owners).toEqual([
      { owner: 'groq:org_bench_work', keys: ['GROQ_API_KEY', 'GROQ_API_KEY3'], capacity: 2000 },
      { owner: 'groq:org_bench_home', keys: ['GROQ_API_KEY2'], capacity: 2000 },
      { owner: 'gemini:bench-project', keys: ['GEMINI_API_KEY'], capacity: 500 },
      { owner: 'cerebras:org_bench_cerebras', keys: ['CEREBRAS_API_KEY'], capacity: 2000 },
      { owner: 'openrouter:bench-account', keys: ['OPENROUTER_API_KEY'], capacity: 1000 },
    ]);
    expect(cap.total).toBe(7500);
  });

  it('bounds capacity by what each demand offered', () => {
    const s = routesScenario();
    const cap = scenarioCapacity(s, upstreamFor(s), [3000], START);
    expect(cap.owners.map((o) => o.capacity)).toEqual([2000, 2000, 1000]);
    expect(cap.total).toBe(3000);
  });

  it("the routes day asks more than any one provider allows, and less than their sum", () => {
    const s = routesScenario();
    const offered = providerArrivals(s).length;
    const cap = scenarioCapacity(s, upstreamFor(s), [offered], START);
    expect(offered).toBeGreaterThan(Math.max(...cap.owners.map((o) => o.capacity)));
    expect(offered).toBeLessThan(cap.owners.reduce((n, o) => n + o.capacity, 0));
  });

  it('arrivals are deterministic per seed and sorted', () => {
    const s = routesScenario();
    const a = providerArrivals(s);
    expect(providerArrivals(s)).toEqual(a);
    expect(a.every((x, i) => i === 0 || a[i - 1]!.atMs <= x.atMs)).toBe(true);
  });
});
