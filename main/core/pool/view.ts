import type { AccountStatus, AccountView, ModelBlock, ModelUsage, UserBlock } from '../../../shared/snapshot';
import { accountHealth, type AccountHealth, type AccountState, ownerOf, quotaSharers } from './account';
import { BUCKET_MS, type PoolParts } from './parts';
import { exhaustedModels } from './exhausted';
import { effectiveLimits } from './choose';
import { describeReset, formatDuration, retryAfterSeconds } from './log-words';
import type { PoolSnapshot } from './types';
import { countIn, DAY_MS, laterOf, MINUTE_MS } from './quota-store';

function statusOf(health: AccountHealth, now: number): { status: AccountStatus; reason: string | null } {
  switch (health.kind) {
    case 'well':
    case 'breaker-half-open':
      return { status: 'ok', reason: null };
    case 'disabled':
      return { status: 'disabled', reason: 'Turned off' };
    case 'retired':
      return { status: 'retired', reason: health.reason };
    case 'invalid':
      return { status: 'invalid', reason: health.reason };
    case 'breaker-open':
      return { status: 'circuit-open', reason: `Repeated failures; next try at ${describeReset(health.until, now)}` };
    case 'checking':
      return { status: 'checking', reason: health.message ? `Could not reach GitHub to check the login: ${health.message}` : 'Checking the login' };
    case 'cooling':
    case 'paused':
      return { status: 'cooling', reason: `${health.limit.limitType}: resets in ${formatDuration(health.until - now)}` };
  }
}

function blocksOf(ctx: Pick<PoolParts, 'quota'>, account: AccountState, now: number): ModelBlock[] {
  const blocks: ModelBlock[] = [];
  const owner = ownerOf(account);
  for (const { model } of ctx.quota.usage(owner, now)?.models ?? []) {
    const { model: c, spent } = ctx.quota.blocks(owner, model, now);
    if (c && c.until > now && (!spent || c.until >= spent.until)) {
      blocks.push({ model, reason: 'rate-limit', limitType: c.limitType, source: c.source, until: c.until, retryAfterSeconds: retryAfterSeconds(c.until, now) });
    } else if (spent) {
      // A confirmed limit reached: no 429 was needed, so there is no header to name as the source.
      blocks.push({ model, reason: 'rate-limit', limitType: spent.limitType, source: null, until: spent.until, retryAfterSeconds: retryAfterSeconds(spent.until, now) });
    }
  }
  for (const model of account.forbidden) {
    blocks.push({ model, reason: 'forbidden', limitType: null, source: 'upstream-403', until: null, retryAfterSeconds: null });
  }
  return blocks.sort((a, b) => a.model.localeCompare(b.model));
}

function userBlockOf(ctx: Pick<PoolParts, 'quota'>, account: AccountState, now: number): UserBlock | null {
  const blocks = ctx.quota.blocks(ownerOf(account), null, now);
  const record = laterOf(blocks.owner, blocks.pause);
  if (!record || record.until <= now) return null;
  return { limitType: record.limitType, until: record.until, retryAfterSeconds: retryAfterSeconds(record.until, now), source: record.source };
}

function usageOf(ctx: Pick<PoolParts, 'models' | 'quota'>, account: AccountState, now: number): ModelUsage[] {
  const usage: ModelUsage[] = [];
  for (const entry of ctx.quota.usage(ownerOf(account), now)?.models ?? []) {
    const model = entry.model;
    const day = countIn(entry.day, now, DAY_MS);
    const tokensDay = countIn(entry.tokensDay, now, DAY_MS);
    if (day === 0 && entry.inFlight === 0 && tokensDay === 0) continue;
    const limits = effectiveLimits(ctx.quota, account, ctx.models.get(model) ?? { id: model });
    usage.push({
      model,
      minute: countIn(entry.minute, now, MINUTE_MS),
      day,
      tokensDay,
      inFlight: entry.inFlight,
      limits: limits ? { perMinute: limits.perMinute, perDay: limits.perDay, concurrent: limits.concurrent } : null,
    });
  }
  return usage.sort((a, b) => a.model.localeCompare(b.model));
}

/** The account the scheduler would use next: the current one while usable, else the first usable. */
export function currentKey(ctx: Pick<PoolParts, 'book' | 'retired'>): string | null {
  const usable = (a: AccountState) => !a.disabled && !a.invalid && !ctx.retired.has(a.provider);
  const current = ctx.book.accounts.find((a) => a.key === ctx.book.current);
  if (current && usable(current)) return current.key;
  return ctx.book.accounts.find(usable)?.key ?? null;
}

/** `shares`: the keys sharing its quota (quotaSharers, worked out once for every account). */
export function accountView(ctx: Pick<PoolParts, 'book' | 'models' | 'quota' | 'retired'>, account: AccountState, now: number, current: string | null, shares: string[]): AccountView {
  const { status, reason } = statusOf(accountHealth(account, ctx.quota, now, ctx.retired), now);
  return {
    key: account.key,
    provider: account.provider,
    login: account.login,
    avatarUrl: account.avatarUrl,
    masked: account.masked,
    plan: account.plan,
    status,
    statusReason: reason,
    isCurrent: account.key === current,
    disabled: account.disabled,
    sharesQuotaWith: shares,
    failures: account.breaker.failures,
    circuit: account.breaker.view(now),
    blocks: blocksOf(ctx, account, now),
    userBlock: userBlockOf(ctx, account, now),
    usage: usageOf(ctx, account, now),
    totals: { ...ctx.book.totalsOf(account.key) },
  };
}

export function buildSnapshot(ctx: Pick<PoolParts, 'book' | 'clock' | 'models' | 'occupancy' | 'quota' | 'retired' | 'traffic'>): PoolSnapshot {
  const now = ctx.clock.now();
  const current = currentKey(ctx);
  const sharers = quotaSharers(ctx.book.accounts);
  return {
    accounts: ctx.book.accounts.map((a) => accountView(ctx, a, now, current, sharers.get(a) ?? [])),
    currentKey: current,
    exhaustedModels: exhaustedModels(ctx, now),
    warnings: ctx.retired.warnings(),
    traffic: {
      inFlight: ctx.occupancy.inFlight,
      queued: ctx.occupancy.queued,
      history: ctx.traffic.history(now),
      bucketMs: BUCKET_MS,
    },
  };
}
