import type { TierInput } from '../limits/table';
import { ownerOf, type AccountState } from './account-state';
import { effectiveLimits } from './forecast';
import type { QuotaStore, ReserveRequest } from './quota-store';

/**
 * How a send was chosen, and so what its reservation checks. The store checks on the server what
 * the forecast saw here, so replicas sharing a store cannot together pass a limit each saw room in:
 * - `send`: the forecast had room; the reservation checks the same limits (per minute, per day, in flight).
 * - `probe`: the forecast advised against it; upstream decides. It waits, on every replica, for
 *   any other unanswered probe of the (owner, model), and once a probe went in this minute window,
 *   for every other unanswered request of it (quota-store.ts, `ReserveRequest.probe`: two probes
 *   in one window were two 429s). It does not wait for an in-flight slot: held there, waiting
 *   probes pile up and all go at once when their wait runs out (the quota bench showed it: 17 429s
 *   in a window).
 * - `late-probe`: a probe whose wait for the other probe ran out: only blocks refuse it.
 */
export type SendKind = 'send' | 'probe' | 'late-probe';

export function reserveRequest(quota: QuotaStore, account: AccountState, model: TierInput, kind: SendKind, now: number): ReserveRequest {
  const base = { owner: ownerOf(account), model: model.id, account: account.key, now };
  if (kind === 'late-probe') return { ...base, limits: null };
  const limits = effectiveLimits(quota, account, model);
  if (kind === 'probe') return { ...base, limits: null, probe: true };
  return { ...base, limits: limits ? { perMinute: limits.perMinute, perDay: limits.perDay, concurrent: limits.concurrent } : null };
}
