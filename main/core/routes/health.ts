import type { AccountView } from '../../../shared/snapshot';
import type { LiveTarget } from './types';
import type { TargetHealth } from './view';

const OUT_OF_SERVICE: Partial<Record<AccountView['status'], string>> = {
  invalid: 'its key is refused',
  disabled: 'turned off',
  retired: 'the provider retired its API',
  'circuit-open': 'paused after repeated failures',
};

const sameModel = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** When this account can serve the target's model again: now (0), a reset time, or never by itself (null). */
function freeAt(account: AccountView, target: LiveTarget, now: number): number | null {
  if (account.disabled || OUT_OF_SERVICE[account.status]) return null;
  let until = 0;
  if (account.userBlock && account.userBlock.until > now) until = account.userBlock.until;
  for (const block of account.blocks) {
    if (!sameModel(block.model, target.entry.upstreamId) && !sameModel(block.model, target.model)) continue;
    if (block.reason === 'forbidden' || block.until === null) return null;
    if (block.until > now) until = Math.max(until, block.until);
  }
  return until;
}

/**
 * What the pool's accounts say of one target at `now`, read from the one snapshot's accounts:
 * ready while some account of its provider is free for its model; limited while every usable
 * one is at a limit (until: the earliest reset); unavailable when none can serve by itself.
 */
export function targetHealth(accounts: readonly AccountView[], target: LiveTarget, now: number): TargetHealth {
  const own = accounts.filter((a) => a.provider === target.provider);
  if (own.length === 0) return { state: 'unavailable', reason: `no ${target.provider} account`, until: null };
  const resets: number[] = [];
  for (const account of own) {
    const at = freeAt(account, target, now);
    if (at === 0) return { state: 'ready', reason: null, until: null };
    if (at !== null) resets.push(at);
  }
  if (resets.length > 0) {
    const n = own.length;
    return { state: 'limited', reason: n === 1 ? `the ${target.provider} account is at a limit` : `every ${target.provider} account is at a limit`, until: Math.min(...resets) };
  }
  const why = [...new Set(own.map((a) => OUT_OF_SERVICE[a.status] ?? (a.disabled ? 'turned off' : 'not allowed to use this model')))];
  return { state: 'unavailable', reason: `no ${target.provider} account can serve it (${why.join(', ')})`, until: null };
}
