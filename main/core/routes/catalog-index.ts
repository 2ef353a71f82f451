import type { ProviderId, ProviderModel } from '../providers/types';
import type { ProviderCatalog } from './types';

/** A model id as a provider compares it; the engine passes each descriptor's own normalizeModelId. */
export type NormalizeModelId = (provider: ProviderId, id: string) => string;

/** Trimmed and lower-cased: what every provider's ids agree on. */
export const defaultNormalize: NormalizeModelId = (_provider, id) => id.trim().toLowerCase();

/** Lookup of models by provider and normalised id, keeping the providers' order. */
export interface CatalogIndex {
  /** Providers that have an account, in the order the catalogs were given. */
  providers: readonly ProviderId[];
  has(provider: ProviderId): boolean;
  find(provider: ProviderId, id: string): ProviderModel | null;
  /** Every provider whose catalog lists the id, in provider order. */
  listing(id: string): Array<{ provider: ProviderId; entry: ProviderModel }>;
  /** Every model of every provider, in provider then catalog order. */
  all(): Array<{ provider: ProviderId; entry: ProviderModel }>;
}

export function indexCatalogs(catalogs: readonly ProviderCatalog[], normalize: NormalizeModelId = defaultNormalize): CatalogIndex {
  const byProvider = new Map<ProviderId, Map<string, ProviderModel>>();
  for (const { provider, models } of catalogs) {
    const ids = byProvider.get(provider) ?? new Map<string, ProviderModel>();
    for (const model of models) {
      const key = normalize(provider, model.id);
      if (!ids.has(key)) ids.set(key, model);
    }
    byProvider.set(provider, ids);
  }
  const providers = [...byProvider.keys()];
  const find = (provider: ProviderId, id: string) => byProvider.get(provider)?.get(normalize(provider, id)) ?? null;
  return {
    providers,
    has: (provider) => byProvider.has(provider),
    find,
    listing(id) {
      const found: Array<{ provider: ProviderId; entry: ProviderModel }> = [];
      for (const provider of providers) {
        const entry = find(provider, id);
        if (entry) found.push({ provider, entry });
      }
      return found;
    },
    all: () => providers.flatMap((provider) => [...byProvider.get(provider)!.values()].map((entry) => ({ provider, entry }))),
  };
}
