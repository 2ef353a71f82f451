import type { Plan } from '../../shared/domain';
import type { ProviderSettings } from './providers/runtime';
import type { ProviderKey, SimProviderId } from './providers/types';
import type { LimitsOverride, QuotaOptions } from './quota';
import type { SimulatorState } from './state';

/** A GitHub account the simulator knows. Its token is never logged or returned. */
export interface SimUser {
  token: string;
  login: string;
  /** Default 'free'. */
  plan?: Plan;
  /** Model ids answered with a bare 403 (prefixed or bare names, case-insensitive). */
  forbiddenModels?: string[];
  /** GitHub's numeric user id; default derived from the login. */
  id?: number;
  avatarUrl?: string;
}

/** How quota 429s are shaped. 'mixed' cycles through the other four, one 429 after another. */
export type RateLimitVariant = 'full' | 'retry-after' | 'timeremaining' | 'body' | 'mixed';
export type ConcreteRateLimitVariant = Exclude<RateLimitVariant, 'mixed'>;
export const CONCRETE_VARIANTS: readonly ConcreteRateLimitVariant[] = ['full', 'retry-after', 'timeremaining', 'body'];

export interface StreamOptions {
  /** Content chunks per streamed reply (fewer when max_tokens allows fewer words). Default 5. */
  chunks?: number;
  /** Pause between content chunks. Default 0. */
  chunkDelayMs?: number;
  /** Send a `: ping` comment line after the prelude. Default false. */
  ping?: boolean;
}

/** Random fault injection on inference requests: each rate is a probability per request. */
export interface RandomFaultOptions {
  rate429?: number;
  rate5xx?: number;
  rateReset?: number;
  rateHang?: number;
  /** Streams (and JSON replies) delayed by `slowDelayMs` per chunk. */
  rateSlow?: number;
  slowDelayMs?: number;
  /** Largest wait an injected 429 announces (concurrency ones say 0). Default 60. */
  maxWaitSeconds?: number;
  /** PRNG seed; same seed + same request order = same faults. Default 1. */
  seed?: number;
}

export interface CatalogEntry {
  id: string;
  rate_limit_tier?: string;
  [field: string]: unknown;
}

export interface SimulatorOptions {
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  users?: SimUser[];
  /** Epoch ms; drives quota windows and `created`. Default Date.now. Delays always use real timers. */
  now?: () => number;
  /** Quota overrides, see QuotaOptions. */
  limits?: LimitsOverride;
  scale?: number;
  userPerMinute?: number;
  tokensPerMinute?: QuotaOptions['tokensPerMinute'];
  /** Delay before response headers of inference requests. Default 0. */
  latencyMs?: number;
  stream?: StreamOptions;
  /** Default 'full'. */
  rateLimitVariant?: RateLimitVariant;
  faults?: RandomFaultOptions;
  /** Default 8. */
  embeddingDims?: number;
  /** Default: the bundled snapshot (main/core/limits/catalog-snapshot.json). */
  catalog?: CatalogEntry[];
  /** Entries kept in stats().recent. Default 200. */
  logSize?: number;
  /**
   * GitHub Models retired (as since 2026-07-30): inference and the catalog answer 410 with the
   * captured body, GET /user still answers 200. Default false.
   */
  githubRetired?: boolean;
  /** Keys of the other providers, each with the owner whose quota it counts into. */
  keys?: ProviderKey[];
  /** Per-provider limits, models and fault rates over each provider's defaults. */
  providers?: Partial<Record<SimProviderId, ProviderSettings>>;
  /** Counters saved by `control.saveState()` (e.g. by the demo before a restart). */
  state?: SimulatorState;
}
