import type { EventBody } from '../../../shared/events';
import type { AccountTotals } from '../../../shared/snapshot';
import type { Clock } from '../clock';
import type { TierInput } from '../limits/table';
import type { ProviderId } from '../providers/types';
import type { AccountState } from './account-state';

/** A model seen in a request: its catalog facts and its provider (absent in state saved before providers). */
export type SeenModel = TierInput & { provider?: ProviderId };
import { MemoryQuotaStore } from './memory-quota-store';
import { silentLogger, type PoolDeps, type PoolLogger, type PoolObservation } from './pool-deps';
import type { QuotaStore } from './quota-store';
import { ModelThrottle } from './throttle';
import { RetiredProviders } from './retirement';
import { Traffic } from './traffic';
import { Waker } from './wait';

/** Marks restored from a saved ledger, waiting for the account (same key and token) to appear. */
export interface SavedMarks {
  fingerprint: string;
  invalid: string | null;
  forbidden: string[];
  failures: number;
}

/** Where the pool's happenings go: events, metrics observations, and the views' change listeners. */
export class PoolSignals {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly deps: Pick<PoolDeps, 'emit' | 'observe'>,
    private readonly logger: PoolLogger,
  ) {}

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Tells views that state changed. A failing listener never breaks the pool. */
  notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (err) {
        this.logger.error({ tag: 'pool', err: String(err) }, 'onChange listener failed');
      }
    }
  }

  emit(event: EventBody): void {
    try {
      this.deps.emit(event);
    } catch (err) {
      this.logger.error({ tag: 'pool', kind: event.kind, err: String(err) }, 'event listener failed');
    }
  }

  observe(observation: PoolObservation): void {
    try {
      this.deps.observe?.(observation);
    } catch (err) {
      this.logger.error({ tag: 'pool', err: String(err) }, 'observer failed');
    }
  }
}

/** The accounts in their order of preference, and what the pool remembers about them. */
export class AccountList {
  accounts: AccountState[] = [];
  /** The account that served last (the sticky strategy's choice) and its index. */
  current: string | null = null;
  lastIndex = -1;
  /** Moves on whenever an account's owner (login) changes in place; indexes by owner are rebuilt then. */
  ownerEpoch = 0;
  readonly totals = new Map<string, AccountTotals>();
  /** Logins by token fingerprint, so a restart knows them even when /user is unreachable. */
  readonly loginCache = new Map<string, { login: string; avatarUrl: string | null }>();
  readonly savedMarks = new Map<string, SavedMarks>();
  /** duplicate-login already reported, as `login|keys`. */
  readonly duplicatesReported = new Set<string>();

  totalsOf(key: string): AccountTotals {
    let totals = this.totals.get(key);
    if (!totals) {
      totals = { served: 0, rateLimited: 0, errors: 0 };
      this.totals.set(key, totals);
    }
    return totals;
  }
}

/** Requests in flight upstream and waiting (for pacing, a reset or the throttle), reported to metrics. */
export class Occupancy {
  /** Requests waiting for pacing or a reset (the throttle counts its own). */
  waiting = 0;
  inFlight = 0;

  constructor(
    private readonly signals: PoolSignals,
    private readonly throttled: () => number,
  ) {}

  get queued(): number {
    return this.waiting + this.throttled();
  }

  report(): void {
    this.signals.observe({ type: 'queue', queued: this.queued, inFlight: this.inFlight });
  }
}

/** The pool's parts, each an object with its own state; wired once by createPool. */
export interface PoolParts {
  readonly deps: PoolDeps;
  readonly clock: Clock;
  readonly logger: PoolLogger;
  readonly quota: QuotaStore;
  readonly book: AccountList;
  readonly signals: PoolSignals;
  readonly occupancy: Occupancy;
  readonly traffic: Traffic;
  readonly waker: Waker;
  readonly throttle: ModelThrottle;
  readonly retired: RetiredProviders;
  /** Catalog facts (id, tier) of models seen, for forecasts in views, and the provider they were asked of. */
  readonly models: Map<string, SeenModel>;
  /** Models in an exhaustion episode (model-exhausted already emitted), with the earliest reset. */
  readonly exhausted: Map<string, number | null>;
  /** `subject\nmodel` of probes in flight (see probes.ts). */
  readonly probes: Set<string>;
  readonly sweeper: SweepState;
}

/** The pending sweep timer, and whether the pool is closed (no more sweeps, no more requests). */
export interface SweepState {
  timer: { at: number; cancel: AbortController } | null;
  closed: boolean;
  /**
   * Before this time nothing the store knows expires, and the last walk is recent (sweep.ts,
   * sweepIfDue): a request's step need not walk every owner's entries. -Infinity: walk now.
   */
  quietUntil: number;
  /** How many times the store was asked for its next expiry: only the latest answer sets quietUntil. */
  asks: number;
}

export function createParts(deps: PoolDeps): PoolParts {
  const logger = deps.logger ?? silentLogger;
  const signals = new PoolSignals(deps, logger);
  const occupancy: Occupancy = new Occupancy(signals, () => throttle.waiting);
  const throttle: ModelThrottle = new ModelThrottle(deps.clock, logger, () => occupancy.report());
  return {
    deps,
    clock: deps.clock,
    logger,
    quota: deps.quota ?? new MemoryQuotaStore(),
    book: new AccountList(),
    signals,
    occupancy,
    traffic: new Traffic(),
    waker: new Waker(deps.clock),
    throttle,
    retired: new RetiredProviders(),
    models: new Map(),
    exhausted: new Map(),
    probes: new Set(),
    sweeper: { timer: null, closed: false, quietUntil: Number.NEGATIVE_INFINITY, asks: 0 },
  };
}
