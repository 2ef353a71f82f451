import type { TierInput } from '../limits/table';
import { ownerOf, type AccountState } from './account-state';
import { COUNTED_TYPES, isCounted, statedLimit } from './confirmed-limits';
import type { PoolParts } from './parts';
import { effectiveLimits } from './forecast';
import type { Positions } from './ledger';
import { accountLabel } from './log-words';

/**
 * What upstream's answers say about the window limits we forecast (see confirmed-limits.ts).
 */

/** A 429 stated its limit N: N equal to the forecast's limit confirms it; another N replaces it. */
export async function heedStatedLimit(ctx: Pick<PoolParts, 'logger' | 'quota'>, account: AccountState, model: TierInput, message: string, now: number): Promise<void> {
  const stated = statedLimit(message);
  if (!stated || !isCounted(stated.limitType)) return;
  const limits = effectiveLimits(ctx.quota, account, model);
  if (!limits) return;
  const type = stated.limitType;
  const forecast = type === 'UserByModelByMinute' ? limits.perMinute : limits.perDay;
  const confirmed = stated.limit === forecast;
  const owner = ownerOf(account);
  const before = ctx.quota.limits(owner, model.id)[type];
  await ctx.quota.noteLimit(owner, model.id, type, { limit: stated.limit, confirmed, at: now });
  if (before && before.confirmed === confirmed && before.limit === stated.limit) return;
  const who = accountLabel(account.key, account.login);
  const fields = { tag: 'limit', account: account.key, login: account.login, model: model.id, limitType: type, limit: stated.limit, forecast };
  if (confirmed) ctx.logger.info(fields, `GitHub confirmed the ${type} limit of ${stated.limit} for ${who} on ${model.id}`);
  else ctx.logger.warn(fields, `GitHub states a ${type} limit of ${stated.limit} for ${who} on ${model.id} (forecast: ${forecast}); using ${stated.limit}`);
}

/**
 * A 2xx for a request counted beyond a limit a 429 stated (only a probe is sent there): that
 * limit is wrong, so it is dropped and the documented one applies again.
 */
export async function heedServed(ctx: Pick<PoolParts, 'logger' | 'quota'>, account: AccountState, model: string, positions: Positions): Promise<void> {
  const owner = ownerOf(account);
  const stated = ctx.quota.limits(owner, model);
  for (const type of COUNTED_TYPES) {
    const note = stated[type];
    const position = type === 'UserByModelByMinute' ? positions.minute : positions.day;
    if (!note || position <= note.limit) continue;
    await ctx.quota.dropLimit(owner, model, type);
    ctx.logger.warn(
      { tag: 'limit', account: account.key, login: account.login, model, limitType: type, limit: note.limit, position },
      `GitHub served request ${position} of a window on ${accountLabel(account.key, account.login)} for ${model}, beyond the ${type} limit of ${note.limit} it stated; back to the documented limits`,
    );
  }
}
