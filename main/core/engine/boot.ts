import { mkdir } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { EngineEvent, EventBody } from '../../../shared/events';
import type { Snapshot } from '../../../shared/snapshot';
import { systemClock } from '../clock';
import type { EnvConfig } from '../config/env';
import { baseUrlsFromEnv, otherProviderAccounts } from '../config/provider-accounts';
import type { Engine, EngineOptions } from '../engine-types';
import { createCatalogService, type CatalogService } from '../limits/model-catalog';
import { createProviderCatalogs, type ProviderCatalogs } from '../limits/provider-catalogs';
import type { Redactor } from '../mask';
import { createPool } from '../pool';
import { createQuotaStore, type SelectedQuotaStore } from '../pool/create-quota-store';
import type { Pool } from '../pool/types';
import { buildApp } from '../proxy/app';
import type { Metrics } from '../proxy/metrics';
import { AccountBook } from '../runtime/account-book';
import { Listener } from '../runtime/listener';
import { createProviderRouting, type ProviderRoutingHandle } from '../runtime/provider-routing';
import { loadOrCreateAdminKey } from '../state/admin-key';
import { EventLog } from '../state/event-log';
import { createFileSecretStore } from '../state/file-secret-store';
import { createJsonSettingsStore } from '../state/json-settings-store';
import { createJsonStateStore } from '../state/json-state-store';
import type { StateStore } from '../state/types';
import { createUpstreamClient } from '../upstream/client';
import { compositeUpstream } from '../upstream/composite-upstream';
import { createProviderUpstream } from '../upstream/provider-upstream';
import type { UpstreamClient } from '../upstream/types';
import { VERSION } from '../version';
import { AccountSync } from './account-sync';
import type { SettingsCell } from './settings-cell';

/** What the engine hands the wiring: its options and the few things that outlive a start. */
export interface BootContext {
  options: EngineOptions;
  dataDir: string;
  env: EnvConfig;
  logger: Logger;
  redactor: Redactor;
  startId: string;
  startedAt: number;
  settings: SettingsCell;
  metrics: Metrics;
  /** The engine, as the admin routes of the HTTP app call it (built when the app is, at the first listen). */
  engine: () => Engine;
  snapshot: () => Snapshot;
  proxyRunning: () => boolean;
  /** An event was appended to the log. */
  onEvent: (event: EngineEvent) => void;
  /** The pool's state changed (snapshot and state file are due). */
  onChange: () => void;
  /** The listener's status changed. */
  onListenerChange: () => void;
  /** Writes the state file now (a long block must not wait for the debounce). */
  saveNow: () => Promise<void>;
}

/** Every part of the engine; none is missing once `bootEngine` resolves. */
export interface EngineParts {
  adminKey: string;
  upstream: UpstreamClient;
  state: StateStore;
  events: EventLog;
  quota: SelectedQuotaStore;
  pool: Pool;
  book: AccountBook;
  accounts: AccountSync;
  catalog: CatalogService;
  providerCatalogs: ProviderCatalogs;
  /** Not listening yet: the engine's `start()` listens. */
  listener: Listener;
  /** The accounts' logins (GET /user), asked for at build; `start()` waits for them after it listens. */
  loginsResolved: Promise<void>;
  emit: (body: EventBody) => void;
  /** Routes across providers: the proxy's routing, and the routes' views for the snapshot. */
  routing: ProviderRoutingHandle;
}

/**
 * Builds the engine's parts in order (settings, stores, pool, accounts, catalogs, routing, the
 * listener). Accounts are usable at once; their logins (GET /user) resolve while the proxy starts.
 */
export async function bootEngine(ctx: BootContext): Promise<EngineParts> {
  // What is built is closed again, newest first, when a later step throws: a failed start leaks no timer or connection.
  const undo: Array<() => unknown> = [];
  try {
    return await build(ctx, undo);
  } catch (error) {
    for (const close of undo.reverse()) await Promise.resolve().then(close).catch(() => undefined);
    throw error;
  }
}

async function build(ctx: BootContext, undo: Array<() => unknown>): Promise<EngineParts> {
  const { options, env, logger, redactor, settings } = ctx;
  await mkdir(ctx.dataDir, { recursive: true, mode: 0o700 });
  for (const warning of env.warnings) logger.warn({ tag: 'config' }, warning);
  const adminKey = await loadOrCreateAdminKey(ctx.dataDir);
  await settings.load(options.settingsStore ?? createJsonSettingsStore({ dir: ctx.dataDir }), logger);

  // Accounts of every other provider (environment and config file) beside GitHub Models' own.
  const others = otherProviderAccounts(options.env, options.config ?? null);
  for (const warning of others.warnings) logger.warn({ tag: 'config' }, warning);
  const fixed = [...env.accounts, ...others.accounts];
  const timeouts = settings.effective.timeouts;
  const providerUpstream = createProviderUpstream({ timeouts });
  const github = createUpstreamClient({ modelsBaseUrl: env.modelsBaseUrl, apiBaseUrl: env.apiBaseUrl, timeouts, userAgent: `switchyard/${VERSION}` });
  const upstream = compositeUpstream(github, providerUpstream);
  undo.push(() => upstream.close());

  const state = createJsonStateStore({ dir: ctx.dataDir, redact: (text) => redactor.redactLiterals(text), onError: (error) => logger.error({ tag: 'state', err: error }, 'Could not save state') });
  const restored = await state.load();
  if (restored.status === 'corrupt') logger.error({ tag: 'state', file: restored.setAsidePath }, `State was unreadable (${restored.error}); set aside, starting with empty quota state.`);
  const persisted = restored.status === 'ok' ? restored.value : null;
  undo.push(() => state.close());

  const events = new EventLog({ startId: ctx.startId, clock: systemClock, initial: persisted ?? undefined, redact: (body) => redactor.redactDeep(body) });
  events.onEvent(ctx.onEvent);
  const emit = (body: EventBody) => void events.append(body);

  const quota = await createQuotaStore({ env: options.env, config: options.config?.quotaStore ?? null, registry: ctx.metrics.registry });
  undo.push(() => quota.close());
  quota.onHealth((warnings) => {
    for (const w of warnings) logger.warn({ tag: 'quota-store', code: w.code }, w.message);
    if (warnings.length === 0) logger.info({ tag: 'quota-store' }, 'The shared quota store (Redis) is reachable');
  });
  await quota.ready();
  // Replicas sharing Redis share one event history: this replica's events go out, theirs come in marked remote.
  await quota.shareEvents?.(events, ctx.startId);
  const pool = createPool({ upstream, clock: systemClock, settings: () => settings.effective, emit, observe: (o) => ctx.metrics.observe(o), logger, quota: quota.store, durable: ctx.saveNow });
  undo.push(() => pool.close());
  if (persisted) await pool.restore(persisted.ledger);
  pool.onChange(ctx.onChange);

  const secrets =
    options.secretStore ??
    createFileSecretStore({
      dir: ctx.dataDir,
      onCorrupt: (outcome) => logger.error({ tag: 'state', file: outcome.setAsidePath }, 'The secrets file was unreadable; set aside. Re-add the accounts that were stored in it.'),
    });
  const book = new AccountBook({ upstream, secrets, settings: () => settings.stored, changeSettings: (change) => settings.change(change), fixed, providers: providerUpstream, baseUrls: baseUrlsFromEnv(options.env) });
  await book.load();

  const catalog = createCatalogService({
    upstream,
    refreshMs: 6 * 3600_000,
    tokenProvider: () => book.list().find((a) => !a.disabled)?.token ?? null,
    logger,
    onRetired: () => pool.retire('github'),
    retired: () => pool.isRetired('github'),
  });
  undo.push(() => catalog.close());
  const providerCatalogs = createProviderCatalogs({
    upstream: providerUpstream,
    accounts: () => book.list().flatMap((a) => (a.provider && a.provider !== 'github' && a.creds && !a.disabled ? [{ provider: a.provider, ...a.creds }] : [])),
    logger,
  });
  undo.push(() => providerCatalogs.close());
  const accounts = new AccountSync(book, pool, providerCatalogs);
  // Asked for now, awaited by `start()`; a build that fails later still settles it quietly.
  const loginsResolved = accounts.sync();
  loginsResolved.catch(() => undefined);
  const routing = createProviderRouting({
    catalogs: providerCatalogs,
    settings: () => settings.effective,
    config: options.config ?? null,
    clock: systemClock,
    githubAccounts: () => accounts.hasGithubAccount,
    githubServes: () => accounts.hasGithubAccount && !pool.isRetired('github'),
    // Routes: a fallback is an event (once while it lasts) and a metric (every time).
    emit,
    onFallback: (fallback) => ctx.metrics.routeFallback(fallback),
  });

  const listener = new Listener(
    () =>
      buildApp({
        pool,
        hasAccounts: () => !book.isEmpty(),
        catalog: () => catalog.current(),
        routing,
        settings: () => settings.effective,
        snapshot: ctx.snapshot,
        proxyRunning: ctx.proxyRunning,
        version: VERSION,
        startId: ctx.startId,
        startedAt: ctx.startedAt,
        logger,
        admin: ctx.engine(),
        adminKey,
        dashboardDir: options.dashboardDir ?? null,
        metrics: ctx.metrics,
        insecureNoClientKey: env.insecureNoClientKey,
        redactor,
      }),
    ctx.onListenerChange,
  );
  return { adminKey, upstream, state, events, quota, pool, book, accounts, catalog, providerCatalogs, listener, loginsResolved, emit, routing };
}
