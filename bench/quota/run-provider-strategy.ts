import { hashString, mulberry32 } from '../../main/simulator/prng';
import { mean, percentile, windowStats, type WindowStats } from './metrics';
import { clientBody, ownersOf, providerArrivals, scenarioCapacity, simKeys, type OwnerCapacity, type ProviderArrival, type ProviderDemand, type ProviderScenario } from './provider-scenario';
import type { ProviderStrategyDef } from './provider-strategies';
import { ProviderQuotaUpstream } from './provider-upstream';
import { MAX_WAIT_MS, REFUSAL_LATENCY_MS, START } from './run-strategy';
import { SimClock } from './sim-clock';
import type { ClientAnswer } from './strategy';

export interface ProviderDemandResult {
  demand: string;
  offered: number;
  served: number;
}

export interface ProviderStrategyResult {
  strategy: string;
  label: string;
  offered: number;
  served: number;
  capacity: number;
  servedOfOffered: number;
  servedOfCapacity: number;
  client429: number;
  /** Client 429s answered while some owner of one of the demand's targets could still take it. */
  client429WithQuota: number;
  otherErrors: Record<string, number>;
  unanswered: number;
  upstreamCalls: number;
  upstream429: number;
  upstream429ByMeter: Record<string, number>;
  /** Over (provider, owner, model or pool, meter, window). */
  windows: WindowStats;
  owners: Array<OwnerCapacity & { served: number }>;
  perDemand: ProviderDemandResult[];
  waitMeanMs: number;
  waitP95Ms: number;
  quotaLeftExamples: string[];
  virtualEndSeconds: number;
  /** The run hit its wall-clock budget: stopped at virtualEndSeconds, its unanswered requests never answered. */
  stalled: boolean;
  runtimeMs: number;
}

/** The wall time one strategy may take on one scenario before it is stopped and reported as stalled. */
export const DEFAULT_WALL_BUDGET_MS = 90_000;

/** Whether some owner of one of the demand's targets would admit the request now (read from the counters). */
function roomLeft(upstream: ProviderQuotaUpstream, scenario: ProviderScenario, demand: ProviderDemand, id: number): string | null {
  for (const target of demand.targets) {
    for (const owner of ownersOf(scenario, target.provider)) {
      const key = upstream.runtime.find(target.provider, owner.key)!;
      const c = upstream.charging(target.provider, key, upstream.built(target.provider, owner.key, clientBody(target.model, id)), 'chat');
      if (c && upstream.admits(c)) return `${target.provider}:${owner.owner} could take ${target.model}`;
    }
  }
  return null;
}

/** Runs one strategy over a provider scenario's day on a fresh upstream and virtual clock. */
export async function runProviderStrategy(scenario: ProviderScenario, list: readonly ProviderArrival[], def: ProviderStrategyDef, wallBudgetMs = DEFAULT_WALL_BUDGET_MS): Promise<ProviderStrategyResult> {
  const wallStart = performance.now();
  const clock = new SimClock(START);
  const upstream = new ProviderQuotaUpstream({
    clock,
    keys: simKeys(scenario),
    settings: structuredClone(scenario.settings),
    refusalLatencyMs: REFUSAL_LATENCY_MS,
    latencyMs: (provider, model, id, attempt) => {
      const demand = scenario.demands.find((d) => d.targets.some((t) => t.provider === provider && t.model === model));
      const [min, max] = demand?.latencyMs ?? [1000, 1000];
      return Math.round(min + mulberry32(hashString(`${scenario.seed}|${id}|${attempt}`))() * (max - min));
    },
  });
  const strategy = await def.create({ clock, upstream, scenario, maxWaitMs: MAX_WAIT_MS });
  const offered = scenario.demands.map(() => 0);
  for (const a of list) offered[a.demand]!++;
  const capacity = scenarioCapacity(scenario, upstream, offered, START);

  const servedPerDemand = scenario.demands.map(() => 0);
  const waits: number[] = [];
  const otherErrors: Record<string, number> = {};
  const examples: string[] = [];
  let answered = 0;
  let client429 = 0;
  let withQuota = 0;

  const record = (arrival: ProviderArrival, arrivedAt: number, answer: ClientAnswer) => {
    answered++;
    const demand = scenario.demands[arrival.demand]!;
    if (answer.status === 200) {
      servedPerDemand[arrival.demand]!++;
      waits.push(clock.now() - arrivedAt - (upstream.servedLatency.get(arrival.id) ?? 0));
      return;
    }
    if (answer.status !== 429) {
      otherErrors[answer.status] = (otherErrors[answer.status] ?? 0) + 1;
      return;
    }
    client429++;
    const room = roomLeft(upstream, scenario, demand, arrival.id);
    if (room) {
      withQuota++;
      if (examples.length < 5) examples.push(`${demand.name} @${((clock.now() - START) / 1000).toFixed(1)}s: ${room}`);
    }
  };

  for (const arrival of list) {
    const demand = scenario.demands[arrival.demand]!;
    const body = clientBody(demand.name, arrival.id);
    clock.at(START + arrival.atMs, () => {
      const arrivedAt = clock.now();
      strategy.handle({ id: arrival.id, demand, body }).then(
        (answer) => record(arrival, arrivedAt, answer),
        () => record(arrival, arrivedAt, { status: 500, retryAfterSeconds: null }),
      );
    });
  }
  // A run that needs more wall time than the budget is stopped where it is and reported as stalled.
  let stalled = false;
  const budget = setTimeout(() => {
    stalled = true;
    clock.stop();
  }, wallBudgetMs);
  const end = await clock.run();
  clearTimeout(budget);
  if (!stalled) await strategy.close();

  const served = servedPerDemand.reduce((a, b) => a + b, 0);
  const tally = upstream.tally;
  return {
    strategy: def.id,
    label: def.label,
    offered: list.length,
    served,
    capacity: capacity.total,
    servedOfOffered: list.length === 0 ? 1 : served / list.length,
    servedOfCapacity: capacity.total === 0 ? 1 : served / capacity.total,
    client429,
    client429WithQuota: withQuota,
    otherErrors,
    unanswered: list.length - answered,
    upstreamCalls: tally.calls,
    upstream429: tally.rateLimited,
    upstream429ByMeter: { ...tally.byMeter },
    windows: windowStats(tally.perWindow),
    owners: capacity.owners.map((o) => ({ ...o, served: tally.servedByOwner[o.owner] ?? 0 })),
    perDemand: scenario.demands.map((d, i) => ({ demand: d.name, offered: offered[i]!, served: servedPerDemand[i]! })),
    waitMeanMs: mean(waits),
    waitP95Ms: percentile(waits, 95),
    quotaLeftExamples: examples,
    virtualEndSeconds: (end - START) / 1000,
    stalled,
    runtimeMs: Math.round(performance.now() - wallStart),
  };
}

export { providerArrivals };
