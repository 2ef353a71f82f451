import { limitsFor, type ModelLimits, type TierInput } from '../limits/table';
import { subjectOf, type AccountState } from './accounts';
import type { Ledger } from './ledger';
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
export function effectiveLimits(ledger: Ledger, account: AccountState, model: TierInput): ModelLimits | null {
  const table = forecastLimits(model, account);
  if (!table) return null;
  const id = ledger.idOf(subjectOf(account));
  return {
    ...table,
    perMinute: ledger.limits.get(id, model.id, 'UserByModelByMinute')?.limit ?? table.perMinute,
    perDay: ledger.limits.get(id, model.id, 'UserByModelByDay')?.limit ?? table.perDay,
  };
}

export function forecastFor(ledger: Ledger, account: AccountState, model: TierInput, now: number): Forecast {
  const limits = effectiveLimits(ledger, account, model);
  if (!limits) return { kind: 'spent', until: null };
  const subject = ledger.find(subjectOf(account));
  const entry = subject?.models.get(model.id);
  const day = entry ? countIn(entry.day, now, DAY_MS) : 0;
  const minute = entry ? countIn(entry.minute, now, MINUTE_MS) : 0;
  if (entry && day >= limits.perDay) return { kind: 'spent', until: windowEnd(entry.day, now, DAY_MS) };
  if (entry && minute >= limits.perMinute) return { kind: 'paced', until: windowEnd(entry.minute, now, MINUTE_MS) };
  // UserConcurrentRequests counts the user's requests in flight over all models, against the
  // requested model's cap (and a lower cap learned from a concurrency 429).
  const inFlight = subject?.inFlight ?? 0;
  const learned = subject?.cap && subject.cap.until > now ? subject.cap.value : Infinity;
  if (inFlight >= Math.min(limits.concurrent, learned)) return { kind: 'paced', until: null };
  return { kind: 'ready', dayLeft: limits.perDay - day, minuteLeft: limits.perMinute - minute };
}
