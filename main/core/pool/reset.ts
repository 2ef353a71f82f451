import type { ResetTarget } from '../../../shared/api';
import { ownerOf, type AccountState } from './accounts';
import { emit, notify, wake, type PoolContext } from './context';
import { ownerKey, type QuotaOwner } from './quota-store';
import { sweep } from './sweep';

function clearAccount(account: AccountState, model: string | undefined): number {
  let cleared = 0;
  if (model === undefined) {
    cleared += account.forbidden.size + Number(account.invalid !== null) + Number(account.breaker.reset());
    account.forbidden.clear();
    account.invalid = null;
  } else if (account.forbidden.delete(model)) {
    cleared++;
  }
  return cleared;
}

/**
 * Manual reset (the old `token-emergency.sh emergency`): cooldowns, forbidden and invalid marks
 * and open circuits for one (account, model), one account, one model, or everything. Returns
 * how many were cleared.
 */
export async function resetMarks(ctx: PoolContext, target: ResetTarget): Promise<number> {
  const accounts = target.account === undefined ? ctx.accounts : ctx.accounts.filter((a) => a.key === target.account);
  let cleared = 0;
  const owners = new Map<string, QuotaOwner>();
  for (const account of accounts) {
    cleared += clearAccount(account, target.model);
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
  emit(ctx, { kind: 'manual-reset', account: target.account ?? null, model: target.model ?? null });
  await sweep(ctx);
  notify(ctx);
  wake(ctx);
  return cleared;
}
