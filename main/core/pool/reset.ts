import type { ResetTarget } from '../../../shared/api';
import { ownerOf } from './account';
import { type PoolParts } from './parts';
import { clearMarks, sweep } from './health';
import { ownerKey, type QuotaOwner } from './quota-store';

/**
 * Manual reset (the old `token-emergency.sh emergency`): cooldowns, forbidden and invalid marks
 * and open circuits for one (account, model), one account, one model, or everything. Returns
 * how many were cleared.
 */
export async function resetMarks(ctx: Pick<PoolParts, 'book' | 'clock' | 'exhausted' | 'logger' | 'models' | 'quota' | 'retired' | 'signals' | 'sweeper' | 'traffic' | 'waker'>, target: ResetTarget): Promise<number> {
  const accounts = target.account === undefined ? ctx.book.accounts : ctx.book.accounts.filter((a) => a.key === target.account);
  let cleared = 0;
  const owners = new Map<string, QuotaOwner>();
  for (const account of accounts) {
    cleared += clearMarks(account, target.model);
    owners.set(ownerKey(ownerOf(account)), ownerOf(account));
  }
  const model = target.model ?? null;
  // Limits GitHub confirmed are asked again: the next spent window sends one probe upstream.
  const scope = target.account === undefined ? [null] : [...owners.values()];
  for (const owner of scope) {
    cleared += await ctx.quota.clearBlocks(owner, model);
    await ctx.quota.unconfirm(owner, model);
  }
  if (target.model === undefined && target.account === undefined) ctx.exhausted.clear();
  ctx.logger.info({ tag: 'reset', account: target.account ?? null, model: target.model ?? null, cleared }, `Manual reset cleared ${cleared} mark(s)`);
  ctx.signals.emit({ kind: 'manual-reset', account: target.account ?? null, model: target.model ?? null });
  await sweep(ctx);
  ctx.signals.notify();
  ctx.waker.wakeAll();
  return cleared;
}
