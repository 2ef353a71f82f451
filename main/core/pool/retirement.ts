import type { ProviderId } from '../providers/types';
import { GITHUB_MODELS_RETIREMENT, type Retirement } from '../upstream/retirement';
import type { PoolContext } from './context';

/** What a provider's retirement is called in warnings and errors. */
export const RETIRED_CODE = 'provider_retired';

/** The retirement GitHub Models announced, for its 410 answers. */
export const retirementOf = (provider: ProviderId): Retirement =>
  provider === 'github' ? GITHUB_MODELS_RETIREMENT : { provider, since: '', message: `The provider ${provider} no longer serves — add an account of another provider` };

export const retirementFor = (ctx: PoolContext, provider: ProviderId): Retirement | null => ctx.retired.get(provider) ?? null;

/** One warning per retired provider, for the snapshot and /health. */
export function retirementWarnings(ctx: PoolContext): { code: string; message: string }[] {
  return [...ctx.retired.values()].map((r) => ({ code: RETIRED_CODE, message: r.message }));
}
