import type { Plan } from '../../shared/domain';
import { limitsFor } from '../../main/core/limits/table';
import { DEFAULT_CATALOG } from '../../main/simulator';
import type { CatalogModel, InferenceKind } from '../../main/core/upstream/types';

/** One GitHub account of a scenario: a distinct login (limits are per user). */
export interface BenchAccount {
  key: string;
  token: string;
  login: string;
  plan: Plan;
}

/** Demand for one model. */
export interface ModelDemand {
  model: CatalogModel;
  kind: InferenceKind;
  /** Upstream time to answer a served request, drawn uniformly per call (ms). */
  latencyMs: [number, number];
}

export interface BurstSpec {
  /** Mean time between bursts (exponential gaps), seconds. */
  meanGapSeconds: number;
  /** Requests per burst, uniform in [min, max]. */
  size: [number, number];
  /** A burst's requests arrive uniformly within this many seconds. */
  spreadSeconds: number;
}

export interface Scenario {
  name: string;
  seed: number;
  accounts: BenchAccount[];
  models: ModelDemand[];
  /**
   * Base Poisson demand per model, as a multiple of the model's daily cap summed over the
   * accounts allowed to use it (> 1: demand above capacity). Bursts come on top.
   */
  demandFactor: number;
  bursts: BurstSpec;
  /** Length of the arrival period, seconds (one day). */
  durationSeconds: number;
}

export const DAY_SECONDS = 86_400;

function catalogModel(id: string): CatalogModel {
  const entry = DEFAULT_CATALOG.find((m) => m.id === id);
  if (!entry) throw new Error(`bench: ${id} is not in the bundled catalog`);
  const name = typeof entry.name === 'string' ? entry.name : id;
  const publisher = typeof entry.publisher === 'string' ? entry.publisher : id.split('/')[0]!;
  return { id: entry.id, name, publisher, ...(entry.rate_limit_tier ? { rate_limit_tier: entry.rate_limit_tier } : {}) };
}

const chat = (id: string, latencyMs: [number, number]): ModelDemand => ({ model: catalogModel(id), kind: 'chat', latencyMs });
const embeddings = (id: string): ModelDemand => ({ model: catalogModel(id), kind: 'embeddings', latencyMs: [100, 400] });

/** Fake tokens (never real), distinct per account so masks differ. */
function accounts(plans: Plan[]): BenchAccount[] {
  return plans.map((plan, i) => {
    const n = i + 1;
    const tag = String(n).padStart(2, '0');
    return { key: n === 1 ? 'GITHUB_TOKEN' : `GITHUB_TOKEN${n}`, token: `gho_bench${tag}${'x'.repeat(24)}${tag}`, login: `bench-user-${tag}`, plan };
  });
}

/** The daily cap of a model summed over the accounts whose plan allows it. */
export function dayCap(model: CatalogModel, list: readonly BenchAccount[]): number {
  return list.reduce((sum, a) => sum + (limitsFor(model, a.plan)?.perDay ?? 0), 0);
}

const bursts: BurstSpec = { meanGapSeconds: 1_800, size: [20, 60], spreadSeconds: 15 };

/** 2, 5 and 10 accounts; low, high, embeddings and a custom tier in each; demand above capacity. */
export function defaultScenarios(): Scenario[] {
  return [
    {
      name: '2 accounts, free',
      seed: 2,
      accounts: accounts(['free', 'free']),
      models: [
        chat('openai/gpt-4o-mini', [500, 2_500]),
        chat('openai/gpt-4.1', [1_000, 4_000]),
        embeddings('openai/text-embedding-3-small'),
        chat('deepseek/deepseek-r1', [5_000, 15_000]),
      ],
      demandFactor: 3,
      bursts,
      durationSeconds: DAY_SECONDS,
    },
    {
      name: '5 accounts, mixed plans',
      seed: 5,
      accounts: accounts(['free', 'pro', 'free', 'business', 'enterprise']),
      models: [
        chat('openai/gpt-4.1-mini', [500, 2_500]),
        chat('openai/gpt-4o', [1_000, 4_000]),
        embeddings('openai/text-embedding-3-large'),
        chat('openai/o4-mini', [4_000, 12_000]),
      ],
      demandFactor: 2,
      bursts,
      durationSeconds: DAY_SECONDS,
    },
    {
      name: '10 accounts, free',
      seed: 10,
      accounts: accounts(['free', 'free', 'free', 'free', 'free', 'free', 'free', 'free', 'free', 'free']),
      models: [
        chat('openai/gpt-4o-mini', [500, 2_500]),
        chat('openai/gpt-4.1', [1_000, 4_000]),
        embeddings('openai/text-embedding-3-small'),
        chat('xai/grok-3-mini', [3_000, 10_000]),
      ],
      demandFactor: 1.5,
      bursts,
      durationSeconds: DAY_SECONDS,
    },
  ];
}
