// The models each provider serves, for the route table: per provider that has an enabled account,
// its live list (fetched with one of its accounts, refreshed every few hours, the last good one
// kept) or else the descriptor's bundled catalog.
import { providerFor } from '../providers/index';
import type { ProviderId, ProviderModel } from '../providers/types';
import type { ProviderCatalog } from '../routes/types';
import type { ProviderUpstream, UpstreamAccount } from '../upstream/provider-upstream';
import { DEFAULT_CATALOG_REFRESH_MS, type CatalogLogger } from './model-catalog';

export interface ProviderCatalogsOptions {
  upstream: Pick<ProviderUpstream, 'listModels'>;
  /** The enabled accounts now, in account order (disabled and retired ones left out by the caller). */
  accounts: () => readonly UpstreamAccount[];
  /** Default 6 h. */
  refreshMs?: number;
  now?: () => number;
  logger?: CatalogLogger;
}

/** Where one provider's list comes from. */
export interface ProviderCatalogStatus {
  source: 'bundled' | 'live';
  /** Epoch ms of the last good live fetch; null while on the bundled catalog. */
  fetchedAt: number | null;
  /** The last failed fetch, in plain words; null after a good one. */
  lastError: string | null;
}

export interface ProviderCatalogs {
  /** Each provider with an enabled account, its models. */
  byProvider(): Partial<Record<ProviderId, ProviderModel[]>>;
  /** The same, in account order, as buildRouteTable takes it. */
  list(): ProviderCatalog[];
  status(provider: ProviderId): ProviderCatalogStatus | null;
  /** Called after any provider's list changed (or a provider came or went); returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  /** Fetches every provider's list now. Never throws; concurrent calls share one round. */
  refresh(): Promise<void>;
  /** The accounts changed: providers without accounts are dropped, new ones fetched. */
  accountsChanged(): Promise<void>;
  /** Settles when the first round of fetches has settled. */
  readonly ready: Promise<void>;
  /** Stops the timer and abandons fetches in flight. Idempotent. */
  close(): void;
}

interface Entry extends ProviderCatalogStatus {
  models: ProviderModel[];
}

function providersOf(accounts: readonly UpstreamAccount[]): ProviderId[] {
  return [...new Set(accounts.map((account) => account.provider))];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createProviderCatalogs(options: ProviderCatalogsOptions): ProviderCatalogs {
  const now = options.now ?? Date.now;
  const entries = new Map<ProviderId, Entry>();
  const listeners = new Set<() => void>();
  const stop = new AbortController();
  let round: Promise<void> | null = null;
  let closed = false;
  // list() is read on every proxied request (is there any provider to route to?): kept until the
  // accounts (the engine calls accountsChanged on every change) or a provider's list change.
  let listed: ProviderCatalog[] | null = null;

  const notify = () => {
    for (const listener of [...listeners]) listener();
  };

  /** Adds bundled entries for new providers and drops those without accounts; true when the set changed. */
  function syncProviders(): boolean {
    listed = null;
    const wanted = providersOf(options.accounts());
    let changed = false;
    for (const provider of [...entries.keys()]) {
      if (!wanted.includes(provider)) {
        entries.delete(provider);
        changed = true;
      }
    }
    for (const provider of wanted) {
      if (entries.has(provider)) continue;
      entries.set(provider, { models: providerFor(provider).bundledCatalog(), source: 'bundled', fetchedAt: null, lastError: null });
      changed = true;
    }
    return changed;
  }

  /** Tries the provider's accounts in order until one lists its models; true when the list changed. */
  async function fetchProvider(provider: ProviderId): Promise<boolean> {
    const accounts = options.accounts().filter((account) => account.provider === provider);
    let lastError = 'no account to fetch the models list with';
    for (const account of accounts) {
      try {
        const models = await options.upstream.listModels(account, stop.signal);
        if (models.length === 0) throw new Error('the models list is empty');
        const entry = entries.get(provider);
        if (closed || !entry) return false;
        const changed = entry.source !== 'live' || JSON.stringify(entry.models) !== JSON.stringify(models);
        entries.set(provider, { models, source: 'live', fetchedAt: now(), lastError: null });
        listed = null;
        options.logger?.info({ provider, models: models.length }, 'models list refreshed');
        return changed;
      } catch (error) {
        if (closed) return false;
        lastError = message(error);
      }
    }
    const entry = entries.get(provider);
    if (entry) {
      entry.lastError = lastError;
      options.logger?.warn({ provider, err: lastError, keeping: entry.source }, 'models list fetch failed; keeping the current one');
    }
    return false;
  }

  async function fetchAll(providers: readonly ProviderId[], alreadyChanged: boolean): Promise<void> {
    const changed = await Promise.all(providers.map(fetchProvider));
    if (!closed && (alreadyChanged || changed.some(Boolean))) notify();
  }

  function refresh(): Promise<void> {
    if (closed) return Promise.resolve();
    round ??= fetchAll(providersOf(options.accounts()), syncProviders()).finally(() => {
      round = null;
    });
    return round;
  }

  async function accountsChanged(): Promise<void> {
    if (closed) return;
    const before = new Set(entries.keys());
    const changed = syncProviders();
    const added = [...entries.keys()].filter((provider) => !before.has(provider));
    await fetchAll(added, changed);
  }

  const timer = setInterval(() => void refresh(), options.refreshMs ?? DEFAULT_CATALOG_REFRESH_MS);
  timer.unref();
  const ready = refresh();

  return {
    byProvider() {
      const out: Partial<Record<ProviderId, ProviderModel[]>> = {};
      for (const [provider, entry] of entries) out[provider] = entry.models;
      return out;
    },
    list() {
      return (listed ??= providersOf(options.accounts())
        .filter((provider) => entries.has(provider))
        .map((provider) => ({ provider, models: entries.get(provider)!.models })));
    },
    status(provider) {
      const entry = entries.get(provider);
      return entry ? { source: entry.source, fetchedAt: entry.fetchedAt, lastError: entry.lastError } : null;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refresh,
    accountsChanged,
    ready,
    close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      stop.abort();
      listeners.clear();
    },
  };
}
