import { systemClock, type Clock } from '../clock';
import { parseCatalogModels } from '../upstream/catalog-schema';
import { isGithubRetirement } from '../upstream/retirement';
import { UpstreamHttpError, type CatalogModel, type UpstreamClient } from '../upstream/types';
import snapshot from './catalog-snapshot.json';
import { createModelCatalog, type ModelCatalog } from './model-id';

export type { ModelCatalog, ModelResolution } from './model-id';

export const DEFAULT_CATALOG_REFRESH_MS = 6 * 60 * 60 * 1000;

/** The catalog shipped with the app, used until (and whenever) the live one cannot be fetched. */
export function bundledCatalogModels(): CatalogModel[] {
  return parseCatalogModels(snapshot);
}

/** Pino-compatible subset. */
export interface CatalogLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface CatalogServiceOptions {
  upstream: Pick<UpstreamClient, 'listCatalog'>;
  /** A token to fetch the catalog with, or null to fetch without one. */
  tokenProvider: () => string | null;
  /** Default 6 h. */
  refreshMs?: number;
  clock?: Clock;
  logger?: CatalogLogger;
  /** Starting catalog; defaults to the bundled snapshot. */
  bundled?: readonly CatalogModel[];
  /** The catalog answered that GitHub Models is retired (410): called on each such answer. */
  onRetired?: () => void;
  /** True when nothing may be sent (the provider is retired): fetches are skipped. */
  retired?: () => boolean;
}

export interface CatalogService {
  current(): ModelCatalog;
  /** Where current() comes from: the bundled snapshot, or the last good live fetch. */
  readonly source: 'bundled' | 'live';
  /** Epoch ms of the last good live fetch; null while on the bundled snapshot. */
  readonly fetchedAt: number | null;
  /** Message of the last failed fetch; null after a good one. */
  readonly lastError: string | null;
  /** Settles when the fetch started at creation has settled. Never rejects. */
  readonly ready: Promise<void>;
  /** Fetches now; true when a live catalog was adopted. Never throws; concurrent calls share one fetch. */
  refresh(): Promise<boolean>;
  /** Stops the timer and abandons a fetch in flight. Idempotent. */
  close(): void;
}

/**
 * Starts from the bundled snapshot, fetches the live catalog at once and every `refreshMs`,
 * and keeps the last good catalog when a fetch fails or comes back empty.
 */
export function createCatalogService(options: CatalogServiceOptions): CatalogService {
  const clock = options.clock ?? systemClock;
  const refreshMs = options.refreshMs ?? DEFAULT_CATALOG_REFRESH_MS;
  let catalog = createModelCatalog(options.bundled ?? bundledCatalogModels());
  let source: 'bundled' | 'live' = 'bundled';
  let fetchedAt: number | null = null;
  let lastError: string | null = null;
  let inFlight: Promise<boolean> | null = null;
  let closed = false;
  const stop = new AbortController();

  async function fetchOnce(): Promise<boolean> {
    if (options.retired?.()) return false;
    try {
      const models = await options.upstream.listCatalog(options.tokenProvider(), stop.signal);
      if (closed) return false;
      if (models.length === 0) throw new Error('the live catalog is empty');
      catalog = createModelCatalog(models);
      source = 'live';
      fetchedAt = clock.now();
      lastError = null;
      options.logger?.info({ models: models.length }, 'model catalog refreshed');
      return true;
    } catch (error) {
      if (closed) return false;
      lastError = error instanceof Error ? error.message : String(error);
      if (error instanceof UpstreamHttpError && isGithubRetirement(error.status, `${error.info.code ?? ''} ${error.info.message}`)) options.onRetired?.();
      options.logger?.warn({ err: lastError, keeping: source }, 'model catalog fetch failed; keeping the current one');
      return false;
    }
  }

  function refresh(): Promise<boolean> {
    if (closed) return Promise.resolve(false);
    inFlight ??= fetchOnce().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  const timer = setInterval(() => void refresh(), refreshMs);
  timer.unref();
  const ready = refresh().then(() => undefined);

  return {
    current: () => catalog,
    get source() {
      return source;
    },
    get fetchedAt() {
      return fetchedAt;
    },
    get lastError() {
      return lastError;
    },
    ready,
    refresh,
    close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      stop.abort();
    },
  };
}
