import { limitsFor, type ModelLimits, type TierInput } from '../limits/table';
import { ownerOf, type AccountState } from './account-state';
import type { QuotaStore } from './quota-store';
import { countIn, DAY_MS, MINUTE_MS, windowEnd } from './windows';

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
