import type { Strategy } from '../../../shared/domain';
import { limitsFor, type ModelLimits, type TierInput } from '../limits/table';
import type { ProviderId } from '../providers/types';
import type { CatalogModel } from '../upstream/types';
import { type AccountState, type Blocker, blockerOf, isStandInOwner, ownerOf, subjectOf } from './account';
import type { PoolParts } from './parts';
import { countIn, DAY_MS, MINUTE_MS, type QuotaStore, windowEnd } from './quota-store';

/*
 * Choosing a request's next step: which account to send on (nextStep, with a quick path for the
 * common case), the strategies that pick among ready accounts, the forecast that says which are
 * ready, and the probes in flight that hold other requests back.
 */

export interface BlockedAccount {
  account: AccountState;
  blocker: Blocker;
}

/** What a request should do next. */
export type Step =
  /** probe: the forecast advised against it, upstream decides (one in flight per login and model). */
  | { kind: 'send'; account: AccountState; index: number; probe: boolean }
  /** Our counts say the usable accounts are at a per-minute or concurrency cap: wait briefly. */
  | { kind: 'pace'; until: number | null }
  /** No enabled account can take it (disabled ones are not listed). */
  | { kind: 'blocked'; blocked: BlockedAccount[] }
  /** Only accounts that already failed with 5xx/network on this request are left. */
  | { kind: 'retry-failed' }
  /** Every usable account looks spent and is being probed by another request: wait for its answer. */
  | { kind: 'await-probe' };

export interface StepBudgets {
  /** How long this request may still wait for pacing (0: send now). */
  paceMs: number;
  /** How long it may still wait for other requests' probes to answer (0: probe itself). */
  probeMs: number;
}

/**
 * Chooses the next account for a request. Upstream's word (429s, 401s, 403s, open circuits)
 * excludes accounts; our forecast orders the rest: ready accounts by strategy, else pace when
 * allowed, else probe the likeliest account not already being probed (the forecast never refuses
 * on its own), else wait for a probe's answer while the budget lasts.
 */
export function nextStep(
  ctx: Pick<PoolParts, 'book' | 'deps' | 'probes' | 'quota' | 'retired'>,
  provider: ProviderId,
  model: CatalogModel,
  failedHere: ReadonlySet<string>,
  budgets: StepBudgets,
  now: number,
): Step {
  const quick = readyAtOnce(ctx, provider, model, failedHere, now);
  if (quick) return { kind: 'send', account: quick.account, index: quick.index, probe: false };
  const eligible: Candidate[] = [];
  const blocked: BlockedAccount[] = [];
  let failedLeft = false;
  ctx.book.accounts.forEach((account, index) => {
    if (account.provider !== provider) return;
    const blocker = blockerOf(account, ctx.quota, model.id, now, ctx.retired);
    if (blocker) {
      if (blocker.kind !== 'disabled') blocked.push({ account, blocker });
      return;
    }
    if (failedHere.has(account.key)) {
      failedLeft = true;
      return;
    }
    eligible.push({ account, index, forecast: forecastFor(ctx.quota, account, model, now) });
  });
  if (eligible.length === 0) return failedLeft ? { kind: 'retry-failed' } : { kind: 'blocked', blocked };
  // A spare (a later key of an owner already present) adds no capacity: it serves only while its owner's other keys cannot.
  const capacity = eligible.filter((c) => !eligible.some((o) => o.index < c.index && o.account.provider === c.account.provider && !isStandInOwner(o.account.login) && o.account.login === c.account.login));
  eligible.splice(0, eligible.length, ...capacity);

  const state = { current: ctx.book.current, lastIndex: ctx.book.lastIndex };
  const ready = eligible.filter((c) => c.forecast.kind === 'ready');
  const picked = pickReady(ctx.deps.settings().strategy, ready, state);
  if (picked) return { kind: 'send', account: picked.account, index: picked.index, probe: false };

  // Wait briefly for a slot rather than earn a 429 — but only when one may free within the
  // budget (a concurrency slot frees when a request ends, so it may come any time).
  const paced = [
    ...eligible.flatMap((c) => (c.forecast.kind === 'paced' ? [c.forecast.until] : [])),
    ...blocked.flatMap((b) => (b.blocker.kind === 'spent' ? [b.blocker.until] : [])),
  ];
  const worthWaiting = paced.filter((t) => t === null || t - now <= budgets.paceMs);
  if (budgets.paceMs > 0 && worthWaiting.length > 0) {
    const known = worthWaiting.filter((t): t is number => t !== null);
    return { kind: 'pace', until: known.length > 0 ? Math.min(...known) : null };
  }
  const unprobed = budgets.probeMs > 0 ? eligible.filter((c) => !probeInFlight(ctx, c.account, model.id)) : eligible;
  const likeliest = pickLikeliest(unprobed, state);
  if (!likeliest) return { kind: 'await-probe' };
  return { kind: 'send', account: likeliest.account, index: likeliest.index, probe: true };
}

interface Placed {
  account: AccountState;
  /** Position in ctx.book.accounts (the preference order). */
  index: number;
}

interface ProviderIndex {
  /** The provider's accounts in preference order. */
  list: Placed[];
  byKey: Map<string, number>;
  /** Per owner (login) with a real id, its accounts' positions in `list`, in order: who came before whom. */
  byOwner: Map<string, number[]>;
}

interface AccountsIndex {
  /** book.ownerEpoch when built: an owner changed in place since means rebuild. */
  epoch: number;
  byProvider: Map<string, ProviderIndex>;
}

/** Each provider's accounts, per accounts array (the pool replaces the array on every change, never edits it). */
const indexes = new WeakMap<readonly AccountState[], AccountsIndex>();

const EMPTY_INDEX: ProviderIndex = { list: [], byKey: new Map(), byOwner: new Map() };

function providerIndex(book: Pick<PoolParts['book'], 'accounts' | 'ownerEpoch'>, provider: ProviderId): ProviderIndex {
  const { accounts } = book;
  let built = indexes.get(accounts);
  if (!built || built.epoch !== book.ownerEpoch) {
    const byProvider = new Map<string, ProviderIndex>();
    accounts.forEach((account, index) => {
      let entry = byProvider.get(account.provider);
      if (!entry) byProvider.set(account.provider, (entry = { list: [], byKey: new Map(), byOwner: new Map() }));
      const at = entry.list.length;
      entry.byKey.set(account.key, at);
      entry.list.push({ account, index });
      if (!isStandInOwner(account.login)) {
        const same = entry.byOwner.get(account.login!);
        if (same) same.push(at);
        else entry.byOwner.set(account.login!, [at]);
      }
    });
    built = { epoch: book.ownerEpoch, byProvider };
    indexes.set(accounts, built);
  }
  return built.byProvider.get(provider) ?? EMPTY_INDEX;
}

/**
 * The common case without looking at every account: the sticky or round-robin choice among
 * accounts the forecast calls ready, found by checking accounts in the order the strategy
 * prefers and stopping at the first that can serve: the same account nextStep's full pass picks
 * (sticky: the current account if ready, else the first ready one; round-robin: the first ready
 * one after the last used, wrapping). Null sends the request to the full pass (most-quota, or
 * nothing ready: pacing, probes and refusals need every account's state).
 */
function readyAtOnce(ctx: Pick<PoolParts, 'book' | 'deps' | 'quota' | 'retired'>, provider: ProviderId, model: CatalogModel, failedHere: ReadonlySet<string>, now: number): Placed | null {
  const strategy = ctx.deps.settings().strategy;
  if (strategy !== 'sticky' && strategy !== 'round-robin') return null;
  const index = providerIndex(ctx.book, provider);
  const { list, byKey } = index;
  const n = list.length;
  if (n === 0) return null;
  const ready = (p: Placed) => !failedHere.has(p.account.key) && !blockerOf(p.account, ctx.quota, model.id, now, ctx.retired) && forecastFor(ctx.quota, p.account, model, now).kind === 'ready';
  let start = 0;
  if (strategy === 'sticky') {
    const at = ctx.book.current === null ? undefined : byKey.get(ctx.book.current);
    if (at !== undefined && ready(list[at]!)) return list[at]!;
  } else {
    // The first of the provider's accounts after the one used last (binary search: the list is in index order).
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.index > ctx.book.lastIndex) hi = mid;
      else lo = mid + 1;
    }
    start = lo === n ? 0 : lo;
  }
  for (let k = 0; k < n; k++) {
    const p = list[(start + k) % n]!;
    if (ready(p)) return isSpare(ctx, index, p, model.id, failedHere, now) ? null : p;
  }
  return null;
}

/**
 * Whether a ready account is a spare: an earlier key of its owner could serve (not blocked, not
 * failed here), so it adds no capacity. The full pass then decides, as it does for every spare.
 * Only the owner's own earlier keys are looked at (the index by owner): the first key of an owner,
 * the common case, is known at once.
 */
function isSpare(ctx: Pick<PoolParts, 'quota' | 'retired'>, index: ProviderIndex, p: Placed, model: string, failedHere: ReadonlySet<string>, now: number): boolean {
  const login = p.account.login;
  if (isStandInOwner(login)) return false;
  const same = index.byOwner.get(login!);
  if (!same) return false;
  for (const at of same) {
    const o = index.list[at]!;
    if (o.index >= p.index) break;
    if (!failedHere.has(o.account.key) && !blockerOf(o.account, ctx.quota, model, now, ctx.retired)) return true;
  }
  return false;
}

/**
 * Probes: sends the forecast advised against (every usable account looked spent or paced past the
 * wait budget) that go anyway because upstream, not the forecast, decides. At most one is in
 * flight per (login, model): the requests that arrive meanwhile wait for its answer instead of
 * all earning the same 429. A 429 becomes a cooldown they respect; a 2xx means the forecast was
 * wrong, and the next one may probe too.
 */

const probeKey = (account: AccountState, model: string) => `${subjectOf(account)}\n${model}`;

export function probeInFlight(ctx: Pick<PoolParts, 'probes'>, account: AccountState, model: string): boolean {
  return ctx.probes.has(probeKey(account, model));
}

/** Marks a probe in flight (synchronously, before any await); returns its end, which wakes the waiters of its model unless the probe never went (`answered` false). */
export function startProbe(ctx: Pick<PoolParts, 'probes' | 'waker'>, account: AccountState, model: string): (answered?: boolean) => void {
  const key = probeKey(account, model);
  ctx.probes.add(key);
  let ended = false;
  return (answered = true) => {
    if (ended) return;
    ended = true;
    ctx.probes.delete(key);
    if (!answered) return;
    // Its answer concerns the requests waiting for this model at this provider, not every waiting request.
    ctx.waker.wake(account.provider, model);
  };
}

export interface Candidate {
  account: AccountState;
  /** Position in the preference order. */
  index: number;
  forecast: Forecast;
}

export interface ChoiceState {
  /** The pool's current account (the old `current_token`). */
  current: string | null;
  /** Index of the account round robin used last. */
  lastIndex: number;
}

const byIndex = (a: Candidate, b: Candidate) => a.index - b.index;

/**
 * Picks among accounts the forecast says have quota now.
 * sticky: stay on the current account while it can serve, else the first in preference order.
 * round-robin: the next account after the one used last.
 * most-quota: most forecast requests left today, then this minute, then preference.
 */
export function pickReady(strategy: Strategy, ready: readonly Candidate[], state: ChoiceState): Candidate | undefined {
  const sorted = [...ready].sort(byIndex);
  switch (strategy) {
    case 'sticky':
      return sorted.find((c) => c.account.key === state.current) ?? sorted[0];
    case 'round-robin':
      return sorted.find((c) => c.index > state.lastIndex) ?? sorted[0];
    case 'most-quota': {
      const left = (c: Candidate) =>
        c.forecast.kind === 'ready' ? [c.forecast.dayLeft, c.forecast.minuteLeft] : [-Infinity, -Infinity];
      return sorted.reduce<Candidate | undefined>((best, c) => {
        if (!best) return c;
        const [d1, m1] = left(best);
        const [d2, m2] = left(c);
        return d2! > d1! || (d2 === d1 && m2! > m1!) ? c : best;
      }, undefined);
    }
  }
}

/** How soon the forecast expects an account to have quota again (lower is likelier). */
function readiness(forecast: Forecast): number {
  if (forecast.kind === 'ready') return -Infinity;
  if (forecast.kind === 'paced') return forecast.until ?? 0;
  return forecast.until ?? Infinity;
}

/**
 * When the forecast says every account is spent, upstream still decides: the likeliest account
 * is the one whose counted window ends soonest (accounts whose plan shows no access come last),
 * the current account first among equals.
 */
export function pickLikeliest(candidates: readonly Candidate[], state: ChoiceState): Candidate | undefined {
  return [...candidates].sort((a, b) => {
    const r = readiness(a.forecast) - readiness(b.forecast);
    if (r !== 0 && !Number.isNaN(r)) return r;
    const cur = Number(b.account.key === state.current) - Number(a.account.key === state.current);
    return cur !== 0 ? cur : a.index - b.index;
  })[0];
}

/**
 * What our own counts say about an account for a model. Only a forecast: upstream decides.
 * ready: quota left now. paced: a per-minute or concurrency cap is reached (wait briefly; `until`
 * null means "when an in-flight request ends"). spent: the day's quota (or the plan has no access).
 */
export type Forecast =
  | { kind: 'ready'; dayLeft: number; minuteLeft: number }
  | { kind: 'paced'; until: number | null }
  | { kind: 'spent'; until: number | null };

/** The documented limits of the account's plan (no access: null). */
export function forecastLimits(model: TierInput, account: AccountState): ModelLimits | null {
  return limitsFor(model, account.plan);
}

/** The documented limits with the window limits GitHub stated for this login and model (429s). */
export function effectiveLimits(quota: QuotaStore, account: AccountState, model: TierInput): ModelLimits | null {
  const table = forecastLimits(model, account);
  if (!table) return null;
  const stated = quota.limits(ownerOf(account), model.id);
  return {
    ...table,
    perMinute: stated.UserByModelByMinute?.limit ?? table.perMinute,
    perDay: stated.UserByModelByDay?.limit ?? table.perDay,
  };
}

export function forecastFor(quota: QuotaStore, account: AccountState, model: TierInput, now: number): Forecast {
  const limits = effectiveLimits(quota, account, model);
  if (!limits) return { kind: 'spent', until: null };
  const owner = ownerOf(account);
  const counts = quota.counts(owner, model.id);
  const day = counts ? countIn(counts.day, now, DAY_MS) : 0;
  const minute = counts ? countIn(counts.minute, now, MINUTE_MS) : 0;
  if (counts && day >= limits.perDay) return { kind: 'spent', until: windowEnd(counts.day, now, DAY_MS) };
  if (counts && minute >= limits.perMinute) return { kind: 'paced', until: windowEnd(counts.minute, now, MINUTE_MS) };
  // UserConcurrentRequests counts the user's requests in flight over all models, against the
  // requested model's cap (and a lower cap learned from a concurrency 429).
  const inFlight = counts?.ownerInFlight ?? 0;
  const learned = counts ? (quota.blocks(owner, null, now).cap?.value ?? Infinity) : Infinity;
  if (inFlight >= Math.min(limits.concurrent, learned)) return { kind: 'paced', until: null };
  return { kind: 'ready', dayLeft: limits.perDay - day, minuteLeft: limits.perMinute - minute };
}
