import type { TierInput } from '../limits/table';
import { ownerOf, type AccountState } from './account-state';
import { effectiveLimits } from './forecast';
import type { QuotaStore, ReserveRequest } from './quota-store';

/**
 * How a send was chosen, and so what its reservation checks. The store checks on the server what
 * the forecast saw here, so replicas sharing a store cannot together pass a limit each saw room in:
 * - `send`: the forecast had room; the reservation checks the same limits (per minute, per day, in flight).
 * - `probe`: the forecast advised against it; upstream decides. It still waits for an in-flight
 *   slot, and for any other probe of the (owner, model), on every replica.
 * - `late-probe`: a probe whose wait for the other probe ran out: only blocks refuse it.
 */
export type SendKind = 'send' | 'probe' | 'late-probe';

export function reserveRequest(quota: QuotaStore, account: AccountState, model: TierInput, kind: SendKind, now: number): ReserveRequest {
  const base = { owner: ownerOf(account), model: model.id, account: account.key, now };
  if (kind === 'late-probe') return { ...base, limits: null };
  const limits = effectiveLimits(quota, account, model);
  if (kind === 'probe') return { ...base, limits: limits ? { perMinute: Infinity, perDay: Infinity, concurrent: limits.concurrent } : null, probe: true };
  return { ...base, limits: limits ? { perMinute: limits.perMinute, perDay: limits.perDay, concurrent: limits.concurrent } : null };
}
