import type { ProviderId } from '../providers/types';
import { GITHUB_MODELS_RETIREMENT, type Retirement } from '../upstream/retirement';

/** The warning code of a retired provider in /health and the snapshot. */
export const RETIRED_CODE = 'provider_retired';

/** What a provider's retirement says (GitHub Models': the retirement notice). */
export const retirementOf = (provider: ProviderId): Retirement =>
  provider === 'github' ? GITHUB_MODELS_RETIREMENT : { provider, since: '', message: `The provider ${provider} no longer serves — add an account of another provider` };

/** Providers that answered that they no longer serve (remembered across restarts). */
export class RetiredProviders extends Map<ProviderId, Retirement> {
  /** One warning per retired provider, for /health and the snapshot. */
  warnings(): { code: string; message: string }[] {
    return [...this.values()].map((r) => ({ code: RETIRED_CODE, message: r.message }));
  }
}
