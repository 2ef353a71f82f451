import type { ExhaustedModel } from '../../../shared/snapshot';
import { type PoolParts } from './parts';
import { blockerOf, blockerUntil, isRateLimit } from './account';
import { describeReset } from './log-words';

export interface Exhaustion {
  /** Earliest time some account may serve again; null when nothing resets by itself. */
  until: number | null;
  /** True when at least one account is blocked by a rate limit (not only 401/403/circuits). */
  rateLimited: boolean;
}

/**
 * The accounts that could serve `model`: those of the provider it was asked of (another provider's
 * healthy account does not make a Groq model available), or every account when that is not known.
 */
function servingAccounts(ctx: Pick<PoolParts, 'book' | 'models'>, model: string) {
  const provider = ctx.models.get(model)?.provider;
  return provider ? ctx.book.accounts.filter((a) => a.provider === provider) : ctx.book.accounts;
}

/** Whether every enabled account of the model's provider is blocked for `model`; null when some account can serve it. */
export function exhaustionOf(ctx: Pick<PoolParts, 'book' | 'models' | 'quota' | 'retired'>, model: string, now: number): Exhaustion | null {
  const enabled = servingAccounts(ctx, model).filter((a) => !a.disabled);
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
export function endExhaustions(ctx: Pick<PoolParts, 'book' | 'exhausted' | 'logger' | 'models' | 'quota' | 'retired' | 'signals'>, now: number): boolean {
  let ended = false;
  for (const model of [...ctx.exhausted.keys()]) {
    if (exhaustionOf(ctx, model, now)) continue;
    ctx.exhausted.delete(model);
    ended = true;
    const free = servingAccounts(ctx, model).find((a) => !a.disabled && !blockerOf(a, ctx.quota, model, now, ctx.retired));
    ctx.logger.info({ tag: 'recovered', model, account: free?.key ?? null }, `Model ${model} is available again`);
    if (free) ctx.signals.emit({ kind: 'recovered', account: free.key, model });
  }
  return ended;
}
