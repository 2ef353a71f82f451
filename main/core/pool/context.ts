import type { EventBody } from '../../../shared/events';
import type { AccountTotals } from '../../../shared/snapshot';
import type { Clock } from '../clock';
import type { ProviderId } from '../providers/types';
import type { Retirement } from '../upstream/retirement';
import type { TierInput } from '../limits/table';
import type { AccountState } from './accounts';
import { MemoryQuotaStore } from './memory-quota-store';
import { silentLogger, type PoolDeps, type PoolLogger, type PoolObservation } from './observations';
import type { QuotaStore } from './quota-store';
import { ModelThrottle } from './throttle';
import { Traffic } from './traffic';
import { Waker } from './wait';

/** Marks restored from a saved ledger, waiting for the account (same key and token) to appear. */
export interface SavedMarks {
  fingerprint: string;
  invalid: string | null;
  forbidden: string[];
  failures: number;
}

/**
 * All mutable state of one pool instance (never a module singleton). The pool's modules take
 * it as their first argument; createPool owns it.
 */
export interface PoolContext {
  readonly deps: PoolDeps;
  readonly clock: Clock;
  readonly logger: PoolLogger;
  accounts: AccountState[];
  readonly quota: QuotaStore;
  readonly totals: Map<string, AccountTotals>;
  readonly traffic: Traffic;
  readonly waker: Waker;
  readonly throttle: ModelThrottle;
  /** Logins by token fingerprint, so a restart knows them even when /user is unreachable. */
  readonly loginCache: Map<string, { login: string; avatarUrl: string | null }>;
  readonly savedMarks: Map<string, SavedMarks>;
  /** Providers that answered that they no longer serve (remembered across restarts). */
  readonly retired: Map<ProviderId, Retirement>;
  /** Catalog facts (id, tier) of models seen, for forecasts in views. */
  readonly models: Map<string, TierInput>;
  /** Models in an exhaustion episode (model-exhausted already emitted), with the earliest reset. */
  readonly exhausted: Map<string, number | null>;
  /** duplicate-login already reported, as `login|keys`. */
  readonly duplicatesReported: Set<string>;
  readonly listeners: Set<() => void>;
  current: string | null;
  lastIndex: number;
  /** `subject\nmodel` of probes in flight (see probes.ts). */
  readonly probes: Set<string>;
  /** Requests waiting for pacing or a reset (the throttle counts its own). */
  waiting: number;
  inFlight: number;
  sweepTimer: { at: number; cancel: AbortController } | null;
  closed: boolean;
}

export function createContext(deps: PoolDeps): PoolContext {
  const logger = deps.logger ?? silentLogger;
  const ctx: PoolContext = {
    deps,
    clock: deps.clock,
    logger,
    accounts: [],
    quota: deps.quota ?? new MemoryQuotaStore(),
    totals: new Map(),
    traffic: new Traffic(),
    waker: new Waker(deps.clock),
    throttle: new ModelThrottle(deps.clock, logger, () => observeQueue(ctx)),
    loginCache: new Map(),
    savedMarks: new Map(),
    retired: new Map(),
    models: new Map(),
    exhausted: new Map(),
    duplicatesReported: new Set(),
    listeners: new Set(),
    probes: new Set(),
    current: null,
    lastIndex: -1,
    waiting: 0,
    inFlight: 0,
    sweepTimer: null,
    closed: false,
  };
  return ctx;
}

/** Tells views that state changed. A failing listener never breaks the pool. */
export function notify(ctx: PoolContext): void {
  for (const listener of [...ctx.listeners]) {
    try {
      listener();
    } catch (err) {
      ctx.logger.error({ tag: 'pool', err: String(err) }, 'onChange listener failed');
    }
  }
}

/** Something that may let a waiting request go: re-plan every waiter. */
export function wake(ctx: PoolContext): void {
  ctx.waker.wakeAll();
}

export function emit(ctx: PoolContext, event: EventBody): void {
  try {
    ctx.deps.emit(event);
  } catch (err) {
    ctx.logger.error({ tag: 'pool', kind: event.kind, err: String(err) }, 'event listener failed');
  }
}

export function observe(ctx: PoolContext, observation: PoolObservation): void {
  try {
    ctx.deps.observe?.(observation);
  } catch (err) {
    ctx.logger.error({ tag: 'pool', err: String(err) }, 'observer failed');
  }
}

export function observeQueue(ctx: PoolContext): void {
  observe(ctx, { type: 'queue', queued: ctx.waiting + ctx.throttle.waiting, inFlight: ctx.inFlight });
}

export function totalsOf(ctx: PoolContext, key: string): AccountTotals {
  let totals = ctx.totals.get(key);
  if (!totals) {
    totals = { served: 0, rateLimited: 0, errors: 0 };
    ctx.totals.set(key, totals);
  }
  return totals;
}

export function loginOfKey(ctx: PoolContext, key: string): string | null {
  return ctx.accounts.find((a) => a.key === key)?.login ?? null;
}
