import type { EventBody } from '../../../shared/events';
import type { Settings } from '../../../shared/settings';
import type { AccountTotals, TrafficBucket } from '../../../shared/snapshot';
import type { Clock } from '../clock';
import { ProxyError } from '../errors';
import type { TierInput } from '../limits/table';
import type { ProviderId } from '../providers/types';
import type { AccountState } from './account';
import { MemoryQuotaStore } from './memory-quota-store';
import { type PoolDeps, type PoolLogger, type PoolObservation, silentLogger } from './pool-deps';
import type { QuotaStore } from './quota-store';
import { RetiredProviders } from './retirement';

/*
 * The pool's parts, each an object with its own state, wired once by createParts: where its
 * happenings go (signals), its accounts in order, what is in flight and waiting (occupancy), the
 * per-model throttle, the waiters for "something changed", and the traffic history.
 */

/** A model seen in a request: its catalog facts and its provider (absent in state saved before providers). */
export type SeenModel = TierInput & { provider?: ProviderId };

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
  /** `subject\nmodel` of probes in flight (see choose.ts, startProbe). */
  readonly probes: Set<string>;
  readonly sweeper: SweepState;
}

/** The pending sweep timer, and whether the pool is closed (no more sweeps, no more requests). */
export interface SweepState {
  timer: { at: number; cancel: AbortController } | null;
  closed: boolean;
  /**
   * Before this time nothing the store knows expires, and the last walk is recent (health.ts,
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

interface Lane {
  /** The earliest time the next request to this model may go. */
  nextAt: number;
  waiting: number;
}

/**
 * The old system's ENABLE_MODEL_THROTTLING / MODEL_MIN_INTERVAL_MS: a FIFO per model that spaces
 * requests `minIntervalMs` apart. Slots are reserved synchronously (nextAt = max(now, nextAt) +
 * gap) before any await, so concurrent requests cannot slip through together.
 */
export class ModelThrottle {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly clock: Clock,
    private readonly logger: PoolLogger,
    private readonly onQueueChange: () => void = () => {},
  ) {}

  /** Requests waiting in any lane. */
  get waiting(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.waiting;
    return n;
  }

  /** Waits for this request's slot; resolves with the delay in ms. Throws a 429 ProxyError when full. */
  async acquire(model: string, settings: Settings['throttling'], signal: AbortSignal): Promise<number> {
    if (!settings.enabled || settings.minIntervalMs <= 0) return 0;
    if (signal.aborted) throw signal.reason;
    const now = this.clock.now();
    let lane = this.lanes.get(model);
    if (!lane || (lane.waiting === 0 && lane.nextAt <= now)) {
      lane = { nextAt: now, waiting: 0 };
      this.lanes.set(model, lane);
    }
    const slot = Math.max(now, lane.nextAt);
    const delay = slot - now;
    if (delay > 0 && lane.waiting >= settings.maxQueue) {
      throw new ProxyError(429, 'rate_limit_error', `Too many requests queued for ${model} (${lane.waiting} waiting); try again shortly.`, {
        code: 'throttle_queue_full',
        retryAfterSeconds: Math.max(1, Math.ceil(delay / 1000)),
      });
    }
    if (delay > settings.maxWaitMs) {
      throw new ProxyError(429, 'rate_limit_error', `The queue for ${model} would wait ${delay} ms, more than the ${settings.maxWaitMs} ms allowed.`, {
        code: 'throttle_queue_full',
        retryAfterSeconds: Math.max(1, Math.ceil(delay / 1000)),
      });
    }
    lane.nextAt = slot + settings.minIntervalMs;
    if (delay === 0) return 0;
    this.logger.info({ tag: 'throttle', model, delayMs: delay }, `[THROTTLE] Model ${model}: delay ${delay}ms`);
    const held = lane;
    held.waiting++;
    this.onQueueChange();
    try {
      await this.clock.sleep(delay, signal);
      return delay;
    } catch (err) {
      // An aborted waiter that holds the last slot gives it back.
      if (held.nextAt === slot + settings.minIntervalMs) held.nextAt = slot;
      throw err;
    } finally {
      held.waiting--;
      this.onQueueChange();
    }
  }
}

/**
 * Waiters for "something changed" (a slot freed, a probe answered, a reset, new accounts): each
 * waits for a time or a wake-up, whichever comes first, and stops at once when its request's
 * signal aborts. A waiter waits for one provider (and a model of it): what frees a slot or answers
 * a probe at one provider wakes only the requests waiting there, not every waiting request of
 * every model (with many waiting, waking them all made each probe's end re-plan them all).
 */
export class Waker {
  /** provider → model → waiters. */
  private readonly waiters = new Map<string, Map<string, Set<AbortController>>>();
  private count = 0;

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.count;
  }

  /** Resolves after `ms` or when woken (wakeAll, or a wake of its provider / its model); rejects with the signal's reason when it aborts. */
  async wait(ms: number, signal: AbortSignal, provider = '', model = ''): Promise<void> {
    if (signal.aborted) throw signal.reason;
    const wake = new AbortController();
    let byModel = this.waiters.get(provider);
    if (!byModel) this.waiters.set(provider, (byModel = new Map()));
    let set = byModel.get(model);
    if (!set) byModel.set(model, (set = new Set()));
    set.add(wake);
    this.count++;
    try {
      await this.clock.sleep(Math.max(0, ms), AbortSignal.any([signal, wake.signal]));
    } catch (err) {
      if (signal.aborted) throw signal.reason ?? err;
      if (!wake.signal.aborted) throw err;
    } finally {
      if (set.delete(wake)) this.count--;
      if (set.size === 0 && byModel.get(model) === set) byModel.delete(model);
      if (byModel.size === 0 && this.waiters.get(provider) === byModel) this.waiters.delete(provider);
    }
  }

  /** Wakes every waiter (accounts changed, a reset, a block expired, the pool closing). */
  wakeAll(): void {
    const all = [...this.waiters.values()];
    this.waiters.clear();
    this.count = 0;
    for (const byModel of all) for (const set of byModel.values()) abortAll(set);
  }

  /** Wakes the waiters of one provider (a slot freed on one of its accounts); with a model, only that model's. */
  wake(provider: string, model?: string): void {
    const byModel = this.waiters.get(provider);
    if (!byModel) return;
    const sets = model === undefined ? [...byModel.values()] : [byModel.get(model)].filter((s): s is Set<AbortController> => s !== undefined);
    if (model === undefined) this.waiters.delete(provider);
    else byModel.delete(model);
    for (const set of sets) {
      this.count -= set.size;
      abortAll(set);
    }
  }
}

/** Wakes a set's waiters and empties it (their own clean-up then finds nothing to count down). */
function abortAll(set: Set<AbortController>): void {
  const woken = [...set];
  set.clear();
  for (const w of woken) w.abort();
}

export const BUCKET_MS = 10 * 60_000;
export const HISTORY_MS = 6 * 60 * 60_000;

export type TrafficField = 'served' | 'rotated' | 'rateLimited';

/** Requests per account in 10-minute buckets over the last 6 hours. */
export class Traffic {
  private readonly buckets = new Map<string, TrafficBucket>();

  record(now: number, account: string, field: TrafficField): void {
    const start = Math.floor(now / BUCKET_MS) * BUCKET_MS;
    const id = `${start}|${account}`;
    let bucket = this.buckets.get(id);
    if (!bucket) {
      // The cut-off moves only with the bucket start, which always makes a new bucket: prune here, not on every request.
      this.prune(now);
      bucket = { start, account, served: 0, rotated: 0, rateLimited: 0 };
      this.buckets.set(id, bucket);
    }
    bucket[field]++;
  }

  prune(now: number): void {
    const oldest = Math.floor((now - HISTORY_MS) / BUCKET_MS) * BUCKET_MS;
    for (const [id, bucket] of this.buckets) if (bucket.start < oldest) this.buckets.delete(id);
  }

  history(now: number): TrafficBucket[] {
    this.prune(now);
    return [...this.buckets.values()]
      .map((b) => ({ ...b }))
      .sort((a, b) => a.start - b.start || a.account.localeCompare(b.account));
  }

  load(buckets: readonly TrafficBucket[]): void {
    this.buckets.clear();
    for (const b of buckets) this.buckets.set(`${b.start}|${b.account}`, { ...b });
  }
}
