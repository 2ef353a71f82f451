import type { TierInput } from '../limits/table';
import { subjectOf, type AccountState } from './accounts';
import { COUNTED_TYPES, isCounted, statedLimit } from './confirmed-limits';
import type { PoolContext } from './context';
import { effectiveLimits } from './forecast';
import type { Positions } from './ledger';
import { accountLabel } from './messages';

/**
 * What upstream's answers say about the window limits we forecast (see confirmed-limits.ts).
 */

/** A 429 stated its limit N: N equal to the forecast's limit confirms it; another N replaces it. */
export function heedStatedLimit(ctx: PoolContext, account: AccountState, model: TierInput, message: string, now: number): void {
  const stated = statedLimit(message);
  if (!stated || !isCounted(stated.limitType)) return;
  const limits = effectiveLimits(ctx.ledger, account, model);
  if (!limits) return;
  const type = stated.limitType;
  const forecast = type === 'UserByModelByMinute' ? limits.perMinute : limits.perDay;
  const confirmed = stated.limit === forecast;
  const id = ctx.ledger.idOf(subjectOf(account));
  const before = ctx.ledger.limits.get(id, model.id, type);
  ctx.ledger.limits.set(id, model.id, type, { limit: stated.limit, confirmed, at: now });
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
export function heedServed(ctx: PoolContext, account: AccountState, model: string, positions: Positions): void {
  const id = ctx.ledger.idOf(subjectOf(account));
  for (const type of COUNTED_TYPES) {
    const note = ctx.ledger.limits.get(id, model, type);
    const position = type === 'UserByModelByMinute' ? positions.minute : positions.day;
    if (!note || position <= note.limit) continue;
    ctx.ledger.limits.drop(id, model, type);
    ctx.logger.warn(
      { tag: 'limit', account: account.key, login: account.login, model, limitType: type, limit: note.limit, position },
      `GitHub served request ${position} of a window on ${accountLabel(account.key, account.login)} for ${model}, beyond the ${type} limit of ${note.limit} it stated; back to the documented limits`,
    );
  }
}
