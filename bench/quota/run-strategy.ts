import { QuotaModel } from '../../main/simulator';
import { hashString, mulberry32 } from '../../main/simulator/prng';
import type { CatalogModel } from '../../main/core/upstream/types';
import { mean, percentile, windowStats, type WindowStats } from './metrics';
import { QuotaUpstream } from './quota-upstream';
import { dayCap, type BenchAccount, type Scenario } from './scenarios';
import { SimClock } from './sim-clock';
import type { ClientAnswer, ClientRequest, StrategyDef } from './strategy';
import { offeredPerModel, type Arrival } from './workload';

/** Virtual start of every run: midnight UTC, 1 January 2025. */
export const START = Date.UTC(2025, 0, 1, 0, 0, 0);
/** How long upstream takes to answer a 429 or 403. */
export const REFUSAL_LATENCY_MS = 50;
/** The engine's default bounded wait (settings.maxWaitMs), also the ideal scheduler's. */
export const MAX_WAIT_MS = 20_000;

export interface ModelResult {
  model: string;
  offered: number;
  /** min(offered, daily cap summed over the accounts allowed to use it). */
  capacity: number;
  served: number;
}

export interface StrategyResult {
  strategy: string;
  label: string;
  offered: number;
  served: number;
  capacity: number;
  servedOfCapacity: number;
  /** Client 429s, and those answered while some account still had room in the model's minute and day windows. */
  client429: number;
  client429WithQuota: number;
  /** …and also a free concurrency slot at that moment. */
  client429WithSlot: number;
  /** Other answers that were not 200, by status. */
  otherErrors: Record<string, number>;
  /** Requests without an answer when the simulation ran dry (should be 0). */
  unanswered: number;
  upstreamCalls: number;
  upstream429: number;
  upstream429ByType: Record<string, number>;
  upstream403: number;
  windows: WindowStats;
  /** Added wait of served requests: arrival to answer, minus the one upstream call that served it. */
  waitMeanMs: number;
  waitP95Ms: number;
  waitMaxMs: number;
  /** How long refused requests waited before their 429. */
  refusalWaitMeanMs: number;
  perModel: ModelResult[];
  /** The first few client 429s answered while quota remained: when, model, and the accounts' windows then. */
  quotaLeftExamples: string[];
  virtualEndSeconds: number;
  timersFired: number;
  runtimeMs: number;
}

export function requestBody(arrival: Arrival, model: CatalogModel, kind: ClientRequest['kind']): Uint8Array {
  const payload =
    kind === 'embeddings'
      ? { model: model.id, input: 'the quick brown fox', user: `req-${arrival.id}` }
      : { model: model.id, messages: [{ role: 'user', content: 'Say ok.' }], user: `req-${arrival.id}` };
  return Buffer.from(JSON.stringify(payload));
}

/** Whether some account could still take `model` by the quota model's windows (and, with `slot`, concurrency). */
function roomLeft(quota: QuotaModel, accounts: readonly BenchAccount[], model: CatalogModel, slot: boolean): boolean {
  return accounts.some((a) => {
    const limits = quota.limitsOf(model, a.plan);
    if (!limits) return false;
    const u = quota.usage(a.login, model.id);
    return u.day.count < limits.perDay && u.minute.count < limits.perMinute && (!slot || u.inFlight < limits.concurrent);
  });
}

function describeWindows(quota: QuotaModel, accounts: readonly BenchAccount[], model: CatalogModel, now: number): string {
  return accounts
    .map((a) => {
      const limits = quota.limitsOf(model, a.plan);
      if (!limits) return `${a.login}: no access`;
      const u = quota.usage(a.login, model.id);
      return `${a.login}: day ${u.day.count}/${limits.perDay}, min ${u.minute.count}/${limits.perMinute}, busy ${u.inFlight}/${limits.concurrent}`;
    })
    .join('; ')
    .concat(` @${((now - START) / 1000).toFixed(1)}s`);
}

/** Runs one strategy over one scenario's arrivals on a fresh quota model and virtual clock. */
export async function runStrategy(scenario: Scenario, list: readonly Arrival[], def: StrategyDef): Promise<StrategyResult> {
  const wallStart = performance.now();
  const clock = new SimClock(START);
  const quota = new QuotaModel({ now: () => clock.now() });
  const models = scenario.models.map((m) => m.model);
  const upstream = new QuotaUpstream({
    clock,
    quota,
    accounts: scenario.accounts,
    models,
    refusalLatencyMs: REFUSAL_LATENCY_MS,
    latencyMs: (modelId, id, attempt) => {
      const [min, max] = scenario.models.find((m) => m.model.id === modelId)?.latencyMs ?? [1000, 1000];
      return Math.round(min + mulberry32(hashString(`${scenario.seed}|${id}|${attempt}`))() * (max - min));
    },
  });
  const strategy = await def.create({ clock, upstream, accounts: scenario.accounts, quota, maxWaitMs: MAX_WAIT_MS, seed: scenario.seed });

  const servedWaits: number[] = [];
  const refusalWaits: number[] = [];
  const servedPerModel = models.map(() => 0);
  const otherErrors: Record<string, number> = {};
  const examples: string[] = [];
  let answered = 0;
  let client429 = 0;
  let withQuota = 0;
  let withSlot = 0;

  const record = (arrival: Arrival, arrivedAt: number, answer: ClientAnswer) => {
    answered++;
    const now = clock.now();
    const model = models[arrival.model]!;
    if (answer.status === 200) {
      servedPerModel[arrival.model]!++;
      servedWaits.push(now - arrivedAt - (upstream.servedLatency.get(arrival.id) ?? 0));
      return;
    }
    if (answer.status !== 429) {
      otherErrors[answer.status] = (otherErrors[answer.status] ?? 0) + 1;
      return;
    }
    client429++;
    refusalWaits.push(now - arrivedAt);
    if (roomLeft(quota, scenario.accounts, model, false)) {
      withQuota++;
      if (examples.length < 5) examples.push(`${model.id}: ${describeWindows(quota, scenario.accounts, model, now)}`);
    }
    if (roomLeft(quota, scenario.accounts, model, true)) withSlot++;
  };

  for (const arrival of list) {
    const demand = scenario.models[arrival.model]!;
    const request: ClientRequest = { id: arrival.id, model: demand.model, kind: demand.kind, body: requestBody(arrival, demand.model, demand.kind) };
    clock.at(START + arrival.atMs, () => {
      const arrivedAt = clock.now();
      strategy.handle(request).then(
        (answer) => record(arrival, arrivedAt, answer),
        () => record(arrival, arrivedAt, { status: 500, retryAfterSeconds: null }),
      );
    });
  }
  const end = await clock.run();
  await strategy.close();

  const offered = offeredPerModel(scenario, list);
  const perModel = models.map((m, i) => ({
    model: m.id,
    offered: offered[i]!,
    capacity: Math.min(offered[i]!, dayCap(m, scenario.accounts)),
    served: servedPerModel[i]!,
  }));
  const capacity = perModel.reduce((s, m) => s + m.capacity, 0);
  const served = perModel.reduce((s, m) => s + m.served, 0);
  const tally = upstream.tally;
  return {
    strategy: def.id,
    label: def.label,
    offered: list.length,
    served,
    capacity,
    servedOfCapacity: capacity === 0 ? 1 : served / capacity,
    client429,
    client429WithQuota: withQuota,
    client429WithSlot: withSlot,
    otherErrors,
    unanswered: list.length - answered,
    upstreamCalls: tally.calls,
    upstream429: tally.rateLimited,
    upstream429ByType: { ...tally.byLimitType },
    upstream403: tally.forbidden,
    windows: windowStats(tally.perWindow),
    waitMeanMs: mean(servedWaits),
    waitP95Ms: percentile(servedWaits, 95),
    waitMaxMs: servedWaits.reduce((m, w) => Math.max(m, w), 0),
    refusalWaitMeanMs: mean(refusalWaits),
    perModel,
    quotaLeftExamples: examples,
    virtualEndSeconds: (end - START) / 1000,
    timersFired: clock.fired,
    runtimeMs: Math.round(performance.now() - wallStart),
  };
}
