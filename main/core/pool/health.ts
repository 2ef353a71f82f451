import type { LimitSignal } from '../providers/types';
import { rateLimitInfoOf } from '../upstream/limit-signal';
import type { Retirement } from '../upstream/retirement';
import { ownerOf, type AccountState } from './account-state';
import type { PoolParts } from './parts';
import { cooldownRecord } from './cooldowns';
import { reportHealth, type HealthChange } from './health-observer';
import type { CooldownEffect } from './quota-store';
import { scheduleSweep } from './sweep';

/**
 * Every transition of an account's health, in one place: each changes the marks (or the quota
 * store's blocks) and returns what changed (a HealthChange), which the one observer
 * (health-observer.ts) turns into events, log lines and counters. Nothing else writes an
 * account's marks.
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

/** A limit signal (a 429): a block of the owner by the limit's scope, never shortened. */
export async function markRateLimited(ctx: Pick<PoolParts, 'book' | 'clock' | 'deps' | 'exhausted' | 'logger' | 'models' | 'quota' | 'retired' | 'signals' | 'sweeper' | 'traffic' | 'waker'>, account: AccountState, model: string, signal: LimitSignal, at: number): Promise<CooldownEffect> {
  const record = cooldownRecord(rateLimitInfoOf(signal, at), account.key, at);
  const effect = await ctx.quota.applyCooldown(ownerOf(account), model, record, at);
  changed(ctx, { kind: 'rate-limited', account, model, signal, effect, at });
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
