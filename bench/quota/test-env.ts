import { QuotaModel, type LimitsOverride } from '../../main/simulator';
import { QuotaUpstream } from './quota-upstream';
import { requestBody, START } from './run-strategy';
import type { BenchAccount, ModelDemand } from './scenarios';
import { SimClock } from './sim-clock';
import type { ClientRequest, StrategyEnv } from './strategy';

/** A small world for tests of the bench's pieces: accounts, a quota model, the fake upstream. */

export const MINI: ModelDemand = {
  model: { id: 'openai/gpt-4o-mini', name: 'GPT-4o mini', publisher: 'OpenAI', rate_limit_tier: 'low' },
  kind: 'chat',
  latencyMs: [1000, 1000],
};
export const GPT41: ModelDemand = {
  model: { id: 'openai/gpt-4.1', name: 'GPT-4.1', publisher: 'OpenAI', rate_limit_tier: 'high' },
  kind: 'chat',
  latencyMs: [1000, 1000],
};
export const O4MINI: ModelDemand = {
  model: { id: 'openai/o4-mini', name: 'o4-mini', publisher: 'OpenAI', rate_limit_tier: 'custom' },
  kind: 'chat',
  latencyMs: [1000, 1000],
};

export const ALICE: BenchAccount = { key: 'GITHUB_TOKEN', token: 'gho_testAliceTokenAAAAAAAAAA01', login: 'alice', plan: 'free' };
export const BOB: BenchAccount = { key: 'GITHUB_TOKEN2', token: 'gho_testBobTokenBBBBBBBBBBBB02', login: 'bob', plan: 'free' };

export interface TestWorld {
  env: StrategyEnv;
  clock: SimClock;
  quota: QuotaModel;
  upstream: QuotaUpstream;
  /** A fresh client request (ids count up). */
  request(demand?: ModelDemand): ClientRequest;
}

export function makeWorld(options: { accounts?: BenchAccount[]; limits?: LimitsOverride; latencyMs?: number } = {}): TestWorld {
  const clock = new SimClock(START);
  const quota = new QuotaModel({ now: () => clock.now(), ...(options.limits ? { limits: options.limits } : {}) });
  const accounts = options.accounts ?? [ALICE, BOB];
  const upstream = new QuotaUpstream({
    clock,
    quota,
    accounts,
    models: [MINI.model, GPT41.model, O4MINI.model],
    latencyMs: () => options.latencyMs ?? 1000,
    refusalLatencyMs: 50,
  });
  let next = 0;
  return {
    env: { clock, upstream, accounts, quota, maxWaitMs: 20_000, seed: 1 },
    clock,
    quota,
    upstream,
    request(demand = MINI) {
      const id = next++;
      return { id, model: demand.model, kind: demand.kind, body: requestBody({ id, atMs: 0, model: 0, burst: false }, demand.model, demand.kind) };
    },
  };
}
