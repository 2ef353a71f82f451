import type { LimitSignal } from '../providers/types';
import { rateLimitInfoOf } from '../upstream/limit-signal';
import type { Retirement } from '../upstream/retirement';
import { type AccountState, ownerOf } from './account';
import { cooldownRecord } from './cooldowns';
import { endExhaustions } from './exhausted';
import { type HealthChange, reportHealth } from './health-observer';
import type { PoolParts } from './parts';
import type { CooldownEffect } from './quota-store';

/**
 * Every transition of an account's health, in one place: each changes the marks (or the quota
 * store's blocks) and returns what changed (a HealthChange), which the one observer
 * (health-observer.ts) turns into events, log lines and counters. Nothing else writes an
 * account's marks. The transitions time makes (a cooldown's end, an exhaustion episode's end) are
 * noticed by the sweep at the end of this file.
 */

/** Marks kept across restarts (the breaker's count too) and restored for the same token. */
export interface AccountMarks {
  invalid: string | null;
  forbidden: string[];
  failures: number;
}

function changed<C extends HealthChange>(ctx: Pick<PoolParts, 'book' | 'logger' | 'signals' | 'traffic' | 'waker'>, change: C): C {
  reportHealth(ctx, change);
  return change;
}

/** Upstream said 401: unusable until its token is replaced. */
export function markInvalid(ctx: Pick<PoolParts, 'book' | 'logger' | 'signals' | 'traffic' | 'waker'>, account: AccountState, reason: string): HealthChange | null {
  if (account.invalid) return null;
  account.invalid = { reason };
  return changed(ctx, { kind: 'invalid', account, reason });
}

/** Upstream said 403 for this model on this account. */
export function markForbidden(ctx: Pick<PoolParts, 'book' | 'logger' | 'signals' | 'traffic' | 'waker'>, account: AccountState, model: string): HealthChange | null {
  if (account.forbidden.has(model)) return null;
  account.forbidden.add(model);
  return changed(ctx, { kind: 'forbidden', account, model });
}

type BlockParts = Pick<PoolParts, 'book' | 'clock' | 'deps' | 'exhausted' | 'logger' | 'models' | 'quota' | 'retired' | 'signals' | 'sweeper' | 'traffic' | 'waker'>;

/** A limit signal (a 429): a block of the owner by the limit's scope, never shortened. */
export function markRateLimited(ctx: BlockParts, account: AccountState, model: string, signal: LimitSignal, at: number): Promise<CooldownEffect> {
  return block(ctx, account, model, signal, at, 'rate-limited');
}

/**
 * A 2xx whose rate-limit headers say a window has nothing left (providers.md §1.4): the same block
 * the next request's 429 would bring, put in force without earning that 429. Not counted as one.
 */
export function markSpentAhead(ctx: BlockParts, account: AccountState, model: string, signal: LimitSignal, at: number): Promise<CooldownEffect> {
  return block(ctx, account, model, signal, at, 'spent-ahead');
}

async function block(ctx: BlockParts, account: AccountState, model: string, signal: LimitSignal, at: number, kind: 'rate-limited' | 'spent-ahead'): Promise<CooldownEffect> {
  const record = cooldownRecord(rateLimitInfoOf(signal, at), account.key, at);
  const effect = await ctx.quota.applyCooldown(ownerOf(account), model, record, at);
  changed(ctx, { kind, account, model, signal, effect, at });
  await scheduleSweep(ctx);
  // A new long block is on disk before the request goes on (and before its answer is relayed).
  if (effect.changed && effect.kept.until - at >= DURABLE_BLOCK_MS) await ctx.deps.durable?.().catch((err: unknown) => ctx.logger.error({ tag: 'state', err: String(err) }, 'Could not save a new block at once'));
  return effect;
}

/** Blocks at least this long are written at once, not with the next debounced save. */
export const DURABLE_BLOCK_MS = 10 * 60_000;

/** A 5xx, network error or timeout on this account: the breaker counts it and may open. */
export function recordFailure(ctx: Pick<PoolParts, 'book' | 'logger' | 'signals' | 'traffic' | 'waker'>, account: AccountState, at: number): HealthChange {
  const opened = account.breaker.failure(at) === 'opened' ? { until: account.breaker.openUntil(at) ?? at } : null;
  return changed(ctx, { kind: 'failed', account, at, opened });
}

/** A 2xx on this account. */
export function recordSuccess(ctx: Pick<PoolParts, 'book' | 'logger' | 'signals' | 'traffic' | 'waker'>, account: AccountState): HealthChange | null {
  return account.breaker.success() === 'recovered' ? changed(ctx, { kind: 'breaker-closed', account }) : null;
}

/**
 * A provider said it is gone for good: every account of it is retired (not invalid, not cooling)
 * and nothing more is sent to it. Told once; null when it was known.
 */
export function retireProvider(ctx: Pick<PoolParts, 'book' | 'logger' | 'retired' | 'signals' | 'traffic' | 'waker'>, retirement: Retirement): HealthChange | null {
  if (ctx.retired.has(retirement.provider)) return null;
  ctx.retired.set(retirement.provider, retirement);
  const accounts = ctx.book.accounts.filter((a) => a.provider === retirement.provider).map((a) => a.key);
  return changed(ctx, { kind: 'retired', retirement, accounts });
}

/** Manual reset of one account's marks (one model's, or all); says how many were cleared. Not observed: reset tells its own event. */
export function clearMarks(account: AccountState, model: string | undefined): number {
  if (model !== undefined) return Number(account.forbidden.delete(model));
  const cleared = account.forbidden.size + Number(account.invalid !== null) + Number(account.breaker.reset());
  account.forbidden.clear();
  account.invalid = null;
  return cleared;
}

/** The marks to save. */
export const marksOf = (account: AccountState): AccountMarks => ({ invalid: account.invalid?.reason ?? null, forbidden: [...account.forbidden], failures: account.breaker.failures });

/** Saved marks back on the account (same token): remembered, not news, so not observed. */
export function restoreMarks(account: AccountState, marks: AccountMarks): void {
  account.invalid = marks.invalid !== null ? { reason: marks.invalid } : null;
  account.forbidden = new Set(marks.forbidden);
  account.breaker.restoreFailures(marks.failures);
}

/**
 * Notices expired cooldowns (event `cooldown-ended`) and ended exhaustion episodes; wakes waiting
 * requests and views when something changed. Safe to call often.
 */
export async function sweep(ctx: Pick<PoolParts, 'book' | 'clock' | 'exhausted' | 'logger' | 'models' | 'quota' | 'retired' | 'signals' | 'sweeper' | 'traffic' | 'waker'>): Promise<boolean> {
  const expired = await ctx.quota.sweep(ctx.clock.now());
  const now = ctx.clock.now();
  for (const e of expired) reportHealth(ctx, { kind: 'cooldown-ended', expired: e });
  const ended = endExhaustions(ctx, now);
  const changed = expired.length > 0 || ended;
  if (changed) {
    ctx.signals.notify();
    ctx.waker.wakeAll();
  }
  await scheduleSweep(ctx);
  return changed;
}

/**
 * The longest a request's step goes without walking the store (expired entries pruned, a spent
 * window's end re-armed): the walk is O(owners × models), so it runs when something is due, not
 * on every step of every request.
 */
export const SWEEP_EVERY_MS = 1_000;

/**
 * `sweep` when something may be due: an expiry the store knows of has come, SWEEP_EVERY_MS passed
 * since the last walk, or something changed that the last walk did not see (`quietUntil` reset:
 * a new cooldown re-arms through scheduleSweep, another replica's change through onChange).
 * Choosing never depends on it: the store's reads treat a record whose time has come as gone.
 */
export async function sweepIfDue(ctx: Pick<PoolParts, 'book' | 'clock' | 'exhausted' | 'logger' | 'models' | 'quota' | 'retired' | 'signals' | 'sweeper' | 'traffic' | 'waker'>): Promise<boolean> {
  if (ctx.clock.now() < ctx.sweeper.quietUntil) return false;
  return sweep(ctx);
}

/** `sweep` for callers that do not wait for it; a failure is logged, never thrown. */
export function sweepSoon(ctx: Pick<PoolParts, 'book' | 'clock' | 'exhausted' | 'logger' | 'models' | 'quota' | 'retired' | 'signals' | 'sweeper' | 'traffic' | 'waker'>): void {
  sweep(ctx).catch((err: unknown) => ctx.logger.error({ tag: 'pool', err: String(err) }, 'sweep failed'));
}

/** Arms one timer for the next expiry so views hear about it without polling. */
export async function scheduleSweep(ctx: Pick<PoolParts, 'book' | 'clock' | 'exhausted' | 'logger' | 'models' | 'quota' | 'retired' | 'signals' | 'sweeper' | 'traffic' | 'waker'>): Promise<void> {
  if (ctx.sweeper.closed) return;
  const asked = ctx.clock.now();
  const ask = ++ctx.sweeper.asks;
  // Reset first: a change while the store answers is not hidden by this answer (nor by an older one).
  ctx.sweeper.quietUntil = Number.NEGATIVE_INFINITY;
  const next = await ctx.quota.nextExpiry(asked);
  if (ask === ctx.sweeper.asks) ctx.sweeper.quietUntil = Math.min(next ?? Number.POSITIVE_INFINITY, asked + SWEEP_EVERY_MS);
  if (next === null || ctx.sweeper.closed) return;
  if (ctx.sweeper.timer && ctx.sweeper.timer.at <= next && ctx.sweeper.timer.at > ctx.clock.now()) return;
  ctx.sweeper.timer?.cancel.abort();
  const timer = { at: next, cancel: new AbortController() };
  ctx.sweeper.timer = timer;
  ctx.clock.sleep(Math.max(0, next - ctx.clock.now()), timer.cancel.signal).then(
    () => {
      if (ctx.sweeper.timer === timer) ctx.sweeper.timer = null;
      sweepSoon(ctx);
    },
    () => {},
  );
}

export function cancelSweep(ctx: Pick<PoolParts, 'sweeper'>): void {
  ctx.sweeper.timer?.cancel.abort();
  ctx.sweeper.timer = null;
}
