import type { ProviderId } from '../providers/types';
import { GITHUB_MODELS_RETIREMENT, type Retirement } from '../upstream/retirement';
import { emit, notify, wake, type PoolContext } from './context';

/** What a provider's retirement is called in warnings and errors. */
export const RETIRED_CODE = 'provider_retired';

/** The retirement GitHub Models announced, for its 410 answers. */
export const retirementOf = (provider: ProviderId): Retirement =>
  provider === 'github' ? GITHUB_MODELS_RETIREMENT : { provider, since: '', message: `The provider ${provider} no longer serves — add an account of another provider` };

/**
 * A provider said it is gone for good: every account of it is retired (not invalid, not cooling)
 * and nothing more is sent to it. Told once (event `provider-retired`); true when this was news.
 */
export function retireProvider(ctx: PoolContext, retirement: Retirement): boolean {
  if (ctx.retired.has(retirement.provider)) return false;
  ctx.retired.set(retirement.provider, retirement);
  const accounts = ctx.accounts.filter((a) => a.provider === retirement.provider).map((a) => a.key);
  ctx.logger.warn({ tag: 'retired', provider: retirement.provider, accounts }, retirement.message);
  emit(ctx, { kind: 'provider-retired', provider: retirement.provider, message: retirement.message, accounts });
  notify(ctx);
  wake(ctx);
  return true;
}

export const retirementFor = (ctx: PoolContext, provider: ProviderId): Retirement | null => ctx.retired.get(provider) ?? null;

/** One warning per retired provider, for the snapshot and /health. */
export function retirementWarnings(ctx: PoolContext): { code: string; message: string }[] {
  return [...ctx.retired.values()].map((r) => ({ code: RETIRED_CODE, message: r.message }));
}
