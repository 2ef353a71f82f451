import type { RateLimitInfo } from '../upstream/types';
import { ownerOf, type AccountState } from './accounts';
import { emit, notify, totalsOf, wake, type PoolContext } from './context';
import { cooldownRecord } from './cooldowns';
import { laterOf, type CooldownRecord } from './ledger';
import type { CooldownEffect } from './quota-store';
import { accountLabel, describeReset } from './messages';
import { scheduleSweep } from './sweep';

/** An account's health as views show it; every transition below emits its typed event. */
export type Health =
  | { kind: 'disabled' }
  | { kind: 'retired'; message: string }
  | { kind: 'invalid'; reason: string }
  | { kind: 'circuit-open'; until: number | null }
  | { kind: 'checking'; message: string | null }
  | { kind: 'cooling'; record: CooldownRecord }
  | { kind: 'ok' };

export function healthOf(ctx: PoolContext, account: AccountState, now: number): Health {
  if (account.disabled) return { kind: 'disabled' };
  const retirement = ctx.retired.get(account.provider);
  if (retirement) return { kind: 'retired', message: retirement.message };
  if (account.invalid) return { kind: 'invalid', reason: account.invalid.reason };
  if (account.breaker.view(now) === 'open') return { kind: 'circuit-open', until: account.breaker.openUntil(now) };
  if (account.resolution.kind !== 'resolved') {
    return { kind: 'checking', message: account.resolution.kind === 'unreachable' ? account.resolution.message : null };
  }
  const blocks = ctx.quota.blocks(ownerOf(account), null, now);
  const userWide = laterOf(blocks.owner, blocks.pause);
  if (userWide && userWide.until > now) return { kind: 'cooling', record: userWide };
  return { kind: 'ok' };
}

/** Upstream said 401: unusable until its token is replaced. */
export function markInvalid(ctx: PoolContext, account: AccountState, reason: string): void {
  if (account.invalid) return;
  account.invalid = { reason };
  ctx.logger.warn({ tag: 'invalid', account: account.key, login: account.login, reason }, `Account ${accountLabel(account.key, account.login)} is invalid: ${reason}`);
  emit(ctx, { kind: 'account-invalid', account: account.key, login: account.login, reason });
  notify(ctx);
}

/** Upstream said 403 for this model on this account. */
export function markForbidden(ctx: PoolContext, account: AccountState, model: string): void {
  if (account.forbidden.has(model)) return;
  account.forbidden.add(model);
  ctx.logger.warn({ tag: 'forbidden', account: account.key, model }, `Account ${account.key} may not use ${model} (403)`);
  emit(ctx, { kind: 'model-forbidden', account: account.key, model });
  notify(ctx);
}

/** A 429: cooldown by the limit's scope; events cooldown-started when it starts or grows. */
export async function markRateLimited(
  ctx: PoolContext,
  account: AccountState,
  model: string,
  info: RateLimitInfo,
  now: number,
): Promise<CooldownEffect> {
  const effect = await ctx.quota.applyCooldown(ownerOf(account), model, cooldownRecord(info, account.key, now), now);
  totalsOf(ctx, account.key).rateLimited++;
  ctx.traffic.record(now, account.key, 'rateLimited');
  ctx.logger.warn(
    { tag: '429', account: account.key, login: account.login, model, limitType: info.limitType, resetSeconds: info.resetSeconds, source: info.source, scope: effect.kept.scope },
    `[429-ERROR] ${accountLabel(account.key, account.login)} on ${model}: ${info.limitType}, usable again ${describeReset(effect.kept.until, now)}`,
  );
  if (effect.changed) {
    emit(ctx, {
      kind: 'cooldown-started',
      account: account.key,
      login: account.login,
      model: effect.kept.scope === 'model' ? model : null,
      limitType: effect.kept.limitType,
      until: effect.kept.until,
    });
  }
  await scheduleSweep(ctx);
  notify(ctx);
  return effect;
}

/** A 5xx, network error or timeout on this account. */
export function recordFailure(ctx: PoolContext, account: AccountState, now: number): void {
  totalsOf(ctx, account.key).errors++;
  if (account.breaker.failure(now) === 'opened') {
    const until = account.breaker.openUntil(now) ?? now;
    ctx.logger.warn({ tag: 'circuit', account: account.key, failures: account.breaker.failures, until }, `Circuit opened for ${account.key} after ${account.breaker.failures} consecutive failures`);
    emit(ctx, { kind: 'circuit-opened', account: account.key, until });
  }
  notify(ctx);
}

/** A 2xx on this account. */
export function recordSuccess(ctx: PoolContext, account: AccountState): void {
  if (account.breaker.success() === 'recovered') {
    ctx.logger.info({ tag: 'circuit', account: account.key }, `Circuit closed for ${account.key}`);
    emit(ctx, { kind: 'recovered', account: account.key, model: null });
    wake(ctx);
  }
}
