import type { ExhaustedModel } from '../../../shared/snapshot';
import { type PoolParts } from './parts';
import { blockerOf, blockerUntil, isRateLimit } from './account-health';
import { describeReset } from './log-words';

export interface Exhaustion {
  /** Earliest time some account may serve again; null when nothing resets by itself. */
  until: number | null;
  /** True when at least one account is blocked by a rate limit (not only 401/403/circuits). */
  rateLimited: boolean;
}

/** Whether every enabled account is blocked for `model`; null when some account can serve it. */
export function exhaustionOf(ctx: Pick<PoolParts, 'book' | 'quota' | 'retired'>, model: string, now: number): Exhaustion | null {
  const enabled = ctx.book.accounts.filter((a) => !a.disabled);
  if (enabled.length === 0) return null;
  let until: number | null = null;
  let rateLimited = false;
  for (const account of enabled) {
    const blocker = blockerOf(account, ctx.quota, model, now, ctx.retired);
    if (!blocker) return null;
    if (isRateLimit(blocker)) rateLimited = true;
    const t = blockerUntil(blocker);
    if (t !== null && (until === null || t < until)) until = t;
  }
  return { until, rateLimited };
}

/** Models the pool knows of: seen in requests, in the ledger, or forbidden somewhere. */
export function knownModels(ctx: Pick<PoolParts, 'book' | 'clock' | 'models' | 'quota'>): string[] {
  const models = new Set<string>(ctx.models.keys());
  for (const owner of ctx.quota.owners(ctx.clock.now())) for (const m of owner.models) models.add(m.model);
  for (const account of ctx.book.accounts) for (const model of account.forbidden) models.add(model);
  return [...models].sort();
}

export function exhaustedModels(ctx: Pick<PoolParts, 'book' | 'clock' | 'models' | 'quota' | 'retired'>, now: number): ExhaustedModel[] {
  const out: ExhaustedModel[] = [];
  for (const model of knownModels(ctx)) {
    const ex = exhaustionOf(ctx, model, now);
    if (ex) out.push({ model, until: ex.until });
  }
  return out;
}

/** Emits model-exhausted once per episode. */
export function enterExhaustion(ctx: Pick<PoolParts, 'clock' | 'exhausted' | 'logger' | 'signals'>, model: string, until: number | null): void {
  if (ctx.exhausted.has(model)) return;
  ctx.exhausted.set(model, until);
  const when = until === null ? 'no account resets by itself' : `earliest reset ${describeReset(until, ctx.clock.now())}`;
  ctx.logger.warn({ tag: 'exhausted', model, until }, `Model ${model} is blocked on every account; ${when}`);
  ctx.signals.emit({ kind: 'model-exhausted', model, until });
}

/** Ends episodes whose model some account can serve again (event `recovered` naming that account). */
export function endExhaustions(ctx: Pick<PoolParts, 'book' | 'exhausted' | 'logger' | 'quota' | 'retired' | 'signals'>, now: number): boolean {
  let ended = false;
  for (const model of [...ctx.exhausted.keys()]) {
    if (exhaustionOf(ctx, model, now)) continue;
    ctx.exhausted.delete(model);
    ended = true;
    const free = ctx.book.accounts.find((a) => !blockerOf(a, ctx.quota, model, now, ctx.retired));
    ctx.logger.info({ tag: 'recovered', model, account: free?.key ?? null }, `Model ${model} is available again`);
    if (free) ctx.signals.emit({ kind: 'recovered', account: free.key, model });
  }
  return ended;
}
