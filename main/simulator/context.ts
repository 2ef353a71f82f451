import { ModelIndex } from './catalog';
import { FaultInjector } from './faults';
import { CONCRETE_VARIANTS, type ConcreteRateLimitVariant, type RateLimitVariant, type SimulatorOptions } from './options';
import { ProviderRuntime } from './providers/runtime';
import { QuotaModel } from './quota';
import { StatsRecorder } from './stats';
import { UserDirectory } from './users';

/** Settings a running simulator may change (through `control`). */
export interface LiveSettings {
  latencyMs: number;
  chunks: number;
  chunkDelayMs: number;
  ping: boolean;
  rateLimitVariant: RateLimitVariant;
  embeddingDims: number;
  githubRetired: boolean;
}

/** Everything a request handler needs, created once per simulator and passed in. */
export interface SimContext {
  readonly users: UserDirectory;
  readonly models: ModelIndex;
  readonly quota: QuotaModel;
  /** Every provider but GitHub: keys, owners' counters, settings, faults. */
  readonly providers: ProviderRuntime;
  readonly faults: FaultInjector;
  readonly stats: StatsRecorder;
  readonly now: () => number;
  readonly userPerMinute: number | undefined;
  readonly settings: LiveSettings;
  /** The shape of the next quota 429 ('mixed' cycles). */
  nextVariant(): ConcreteRateLimitVariant;
  nextId(prefix: string): string;
  /** The big fake x-ratelimit-* headers upstream puts on 200s, plus x-request-id. */
  okHeaders(requestId: string): Record<string, string>;
}

export function createContext(options: SimulatorOptions): SimContext {
  const now = options.now ?? Date.now;
  let mixed = 0;
  let ids = 0;
  let served = 0;
  return {
    users: new UserDirectory(options.users),
    models: new ModelIndex(options.catalog),
    quota: new QuotaModel({
      now,
      limits: options.limits,
      scale: options.scale,
      userPerMinute: options.userPerMinute,
      tokensPerMinute: options.tokensPerMinute,
    }),
    providers: new ProviderRuntime(now, options.keys, options.providers),
    faults: new FaultInjector(options.faults),
    stats: new StatsRecorder(now, options.logSize),
    now,
    userPerMinute: options.userPerMinute,
    settings: {
      latencyMs: options.latencyMs ?? 0,
      chunks: Math.max(1, options.stream?.chunks ?? 5),
      chunkDelayMs: options.stream?.chunkDelayMs ?? 0,
      ping: options.stream?.ping ?? false,
      rateLimitVariant: options.rateLimitVariant ?? 'full',
      embeddingDims: options.embeddingDims ?? 8,
      githubRetired: options.githubRetired ?? false,
    },
    nextVariant() {
      const v = this.settings.rateLimitVariant;
      if (v !== 'mixed') return v;
      return CONCRETE_VARIANTS[mixed++ % CONCRETE_VARIANTS.length] ?? 'full';
    },
    nextId(prefix) {
      ids += 1;
      return `${prefix}-sim${ids.toString(36).padStart(6, '0')}`;
    },
    okHeaders(requestId) {
      served += 1;
      return {
        'x-ratelimit-limit-requests': '20000',
        'x-ratelimit-remaining-requests': String(19_999 - (served % 20_000)),
        'x-ratelimit-limit-tokens': '2000000',
        'x-ratelimit-remaining-tokens': String(1_999_000 - ((served * 1000) % 1_999_000)),
        'x-ratelimit-renewalperiod-requests': '60',
        'x-ratelimit-renewalperiod-tokens': '60',
        'x-ratelimit-reset-requests': '60',
        'x-ratelimit-reset-tokens': '60',
        'x-ratelimit-abusepenalty-active': 'false',
        'x-request-id': requestId,
      };
    },
  };
}
