import type { Retirement } from '../upstream/retirement';
import { ownerOf, type AccountState } from './account-state';
import type { SpentWindow } from './confirmed-limits';
import { laterOf, type CooldownRecord } from './ledger';
import type { QuotaBlocks, QuotaStore } from './quota-store';

/**
 * An account's health, in one vocabulary for choosing, refusing and views. Upstream's word (or
 * the user's) holds an account: for every model (disabled, retired, invalid, an open breaker, an
 * owner-wide cooldown or concurrency pause) or for one model (forbidden, a model cooldown, a
 * confirmed limit reached). The marks live on the account (accounts.ts, written only by
 * health.ts), the blocks in the quota store (shared by the owner's accounts); this file reads them.
 */
export type Hold =
  | { kind: 'disabled' }
  /** The provider no longer serves (GitHub Models' 410). */
  | { kind: 'retired'; reason: string }
  /** Upstream said 401: unusable until the token is replaced. */
  | { kind: 'invalid'; reason: string }
  /** Upstream said 403 for this model. */
  | { kind: 'forbidden'; model: string }
  | { kind: 'breaker-open'; until: number }
  /** Its one probe is out. */
  | { kind: 'breaker-half-open' }
  /** A 429 in force: `limit.scope` is model or user (the whole owner). */
  | { kind: 'cooling'; until: number; limit: CooldownRecord }
  /** A concurrency 429: a short pause of the whole owner. */
  | { kind: 'paused'; until: number; limit: CooldownRecord }
  /** Our counts reached a window limit GitHub confirmed (confirmed-limits.ts): a known cooldown. */
  | { kind: 'spent'; until: number; window: SpentWindow };

/** Why an account cannot take a request for a model right now. */
export type Blocker = Hold;

/** The account as a whole: well, its login still being checked, or held for every model. */
export type AccountHealth = { kind: 'well' } | { kind: 'checking'; message: string | null } | Exclude<Hold, { kind: 'forbidden' | 'spent' }>;

/** A rate limit (a 429 in force, or a confirmed limit reached), as opposed to a fault or a mark. */
export const isRateLimit = (hold: Hold): boolean => hold.kind === 'cooling' || hold.kind === 'paused' || hold.kind === 'spent';

/** When a hold lifts by itself; null when it never does (or only on an event). */
export function blockerUntil(hold: Hold): number | null {
  switch (hold.kind) {
    case 'cooling':
    case 'paused':
    case 'spent':
    case 'breaker-open':
      return hold.until;
    default:
      return null;
  }
}

const holdOf = (record: CooldownRecord): Extract<Hold, { kind: 'cooling' | 'paused' }> =>
  record.scope === 'concurrency' ? { kind: 'paused', until: record.until, limit: record } : { kind: 'cooling', until: record.until, limit: record };

/** The rate-limit records in force among an (owner, model)'s blocks, latest first. */
export function activeCooldowns(blocks: QuotaBlocks): CooldownRecord[] {
  return [blocks.model, blocks.owner, blocks.pause].filter((r): r is CooldownRecord => r !== null).sort((a, b) => b.until - a.until);
}

/**
 * The hard reason this account cannot serve `model` now, or null. When several timed reasons
 * hold, the one that lasts longest is returned (the account is usable only after all lift).
 */
export function blockerOf(account: AccountState, quota: QuotaStore, model: string, now: number, retired: ReadonlyMap<string, Retirement>): Blocker | null {
  if (account.disabled) return { kind: 'disabled' };
  const retirement = retired.get(account.provider);
  if (retirement) return { kind: 'retired', reason: retirement.message };
  if (account.invalid) return { kind: 'invalid', reason: account.invalid.reason };
  if (account.forbidden.has(model)) return { kind: 'forbidden', model };
  const blocks = quota.blocks(ownerOf(account), model, now);
  const record = activeCooldowns(blocks)[0];
  const spent = blocks.spent;
  const cooldown: Hold | null =
    record && (!spent || record.until >= spent.until) ? holdOf(record) : spent ? { kind: 'spent', until: spent.until, window: spent } : null;
  const openUntil = account.breaker.openUntil(now);
  const circuit: Hold | null = account.breaker.available(now) ? null : openUntil !== null ? { kind: 'breaker-open', until: openUntil } : { kind: 'breaker-half-open' };
  if (cooldown && circuit) {
    const circuitUntil = blockerUntil(circuit);
    return circuitUntil !== null && circuitUntil > blockerUntil(cooldown)! ? circuit : cooldown;
  }
  return cooldown ?? circuit;
}

/** The account's health as views show it (the snapshot's status is derived from it). */
export function accountHealth(account: AccountState, quota: QuotaStore, now: number, retired: ReadonlyMap<string, Retirement>): AccountHealth {
  if (account.disabled) return { kind: 'disabled' };
  const retirement = retired.get(account.provider);
  if (retirement) return { kind: 'retired', reason: retirement.message };
  if (account.invalid) return { kind: 'invalid', reason: account.invalid.reason };
  const circuit = account.breaker.view(now);
  if (circuit === 'open') return { kind: 'breaker-open', until: account.breaker.openUntil(now) ?? now };
  if (account.resolution.kind !== 'resolved') {
    return { kind: 'checking', message: account.resolution.kind === 'unreachable' ? account.resolution.message : null };
  }
  const blocks = quota.blocks(ownerOf(account), null, now);
  const ownerWide = laterOf(blocks.owner, blocks.pause);
  if (ownerWide) return holdOf(ownerWide);
  if (circuit === 'half-open') return { kind: 'breaker-half-open' };
  return { kind: 'well' };
}
