import { ownerOf, type AccountState } from './accounts';
import type { SpentWindow } from './confirmed-limits';
import type { CooldownRecord } from './ledger';
import type { Retirement } from '../upstream/retirement';
import type { QuotaBlocks, QuotaStore } from './quota-store';

/** Why an account cannot take a request for a model right now (upstream said so, or the user). */
export type Blocker =
  | { kind: 'disabled' }
  /** The provider no longer serves (GitHub Models' 410). */
  | { kind: 'retired'; message: string }
  | { kind: 'invalid'; reason: string }
  | { kind: 'forbidden' }
  /** Open circuit; `until` null while a half-open probe is out. */
  | { kind: 'circuit'; until: number | null }
  /** A 429 in force: record.scope is model, user or concurrency. */
  | { kind: 'cooldown'; record: CooldownRecord }
  /** Our counts reached a window limit GitHub confirmed (confirmed-limits.ts): a known cooldown. */
  | { kind: 'spent'; window: SpentWindow };

/** A rate limit (a 429 in force, or a confirmed limit reached), as opposed to a fault or a mark. */
export const isRateLimit = (blocker: Blocker): boolean => blocker.kind === 'cooldown' || blocker.kind === 'spent';

/** When a blocker lifts by itself; null when it never does (or only on an event). */
export function blockerUntil(blocker: Blocker): number | null {
  if (blocker.kind === 'cooldown') return blocker.record.until;
  if (blocker.kind === 'spent') return blocker.window.until;
  if (blocker.kind === 'circuit') return blocker.until;
  return null;
}

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
  if (retirement) return { kind: 'retired', message: retirement.message };
  if (account.invalid) return { kind: 'invalid', reason: account.invalid.reason };
  if (account.forbidden.has(model)) return { kind: 'forbidden' };
  const blocks = quota.blocks(ownerOf(account), model, now);
  const record = activeCooldowns(blocks)[0];
  const spent = blocks.spent;
  const cooldown: Blocker | null =
    record && (!spent || record.until >= spent.until) ? { kind: 'cooldown', record } : spent ? { kind: 'spent', window: spent } : null;
  const circuit: Blocker | null = account.breaker.available(now)
    ? null
    : { kind: 'circuit', until: account.breaker.openUntil(now) };
  if (cooldown && circuit) {
    const circuitUntil = blockerUntil(circuit);
    return circuitUntil !== null && circuitUntil > blockerUntil(cooldown)! ? circuit : cooldown;
  }
  return cooldown ?? circuit;
}
