import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { AccountListing, AccountPatch, AddAccountInput, AddAccountResult, EventQuery, ResetTarget } from '../../shared/api';
import type { EngineEvent, EventBody } from '../../shared/events';
import { defaultSettings, settingsSchema, type Settings, type SettingsPatch } from '../../shared/settings';
import type { Snapshot } from '../../shared/snapshot';
import { systemClock } from './clock';
import { applyOverrides, readEnv, type EnvAccount, type EnvOverrides } from './config/env';
import type { Engine, EngineOptions } from './engine-types';
import { ProxyError } from './errors';
import { createRedactor, type Redactor } from './mask';
import { createCatalogService } from './limits/model-catalog';
import { createPool } from './pool';
import { createQuotaStore, type SelectedQuotaStore } from './pool/create-quota-store';
import type { Pool } from './pool/types';
import { buildApp } from './proxy/app';
import { createMetrics } from './proxy/metrics';
import { AccountBook, withOwnerNotes } from './runtime/account-book';
import { baseUrlsFromEnv, otherProviderAccounts } from './config/provider-accounts';
import { createProviderCatalogs, type ProviderCatalogs } from './limits/provider-catalogs';
import type { ProviderRouting } from './proxy/model-plan';
import { createProviderRouting } from './runtime/provider-routing';
import { compositeUpstream } from './upstream/composite-upstream';
import { createProviderUpstream } from './upstream/provider-upstream';
import { Listener } from './runtime/listener';
import { Coalescer, Listeners } from './runtime/notifier';
import { composeSnapshot } from './runtime/snapshot';
import { loadOrCreateAdminKey } from './state/admin-key';
import { EventLog } from './state/event-log';
import { createFileSecretStore } from './state/file-secret-store';
import { createJsonSettingsStore } from './state/json-settings-store';
import { createJsonStateStore } from './state/json-state-store';
import type { SettingsStore, StateStore } from './state/types';
import { createUpstreamClient } from './upstream/client';
import type { UpstreamClient } from './upstream/types';
import { VERSION } from './version';

const DRAIN_MS = 10_000;

export function createEngine(options: EngineOptions): Engine {
  return new SwitchyardEngine(options);
}

class SwitchyardEngine implements Engine {
  readonly dataDir: string;
  private readonly logger: Logger;
  private readonly redactor: Redactor;
  private readonly startId = randomBytes(4).toString('hex');
  private readonly startedAt = Date.now();
  private readonly env;
  private readonly cliOverrides: EnvOverrides;
  private stored: Settings = defaultSettings();
  private effective: Settings = defaultSettings();
  private running = true;
  private key: string | null = null;
  private started: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;

  private upstream: UpstreamClient | null = null;
  private catalog: ReturnType<typeof createCatalogService> | null = null;
  private state: StateStore | null = null;
  private events: EventLog | null = null;
  private pool: Pool | null = null;
  private quota: SelectedQuotaStore | null = null;
  private book: AccountBook | null = null;
  private providerCatalogs: ProviderCatalogs | null = null;
  private routing: (() => ProviderRouting | null) | null = null;
  private listener: Listener | null = null;
  private settingsStore: SettingsStore | null = null;
  private settingsQueue: Promise<unknown> = Promise.resolve();

  private readonly snapshotListeners = new Listeners<Snapshot>();
  private readonly eventListeners = new Listeners<EngineEvent>();
  private readonly snapshotPush = new Coalescer(() => {
    if (this.snapshotListeners.size > 0) this.snapshotListeners.emit(this.snapshot());
  }, 250);
  private readonly persist = new Coalescer(() => void this.saveState(), 1_000);
  private readonly metrics = createMetrics({ snapshot: () => this.snapshot() });

  constructor(private readonly options: EngineOptions) {
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.redactor = options.redactor ?? createRedactor();
    this.redactor.track(() => [...(this.book?.list().map((a) => a.token) ?? []), this.effective.apiKey, this.key]);
    this.dataDir = options.simulate ? join(options.dataDir, 'simulate') : options.dataDir;
    this.env = readEnv(options.env);
    this.cliOverrides = { host: options.overrides?.host, port: options.overrides?.port };
  }

  get adminKey(): string {
    if (!this.key) throw new Error('The engine has not started yet.');
    return this.key;
  }

  start(): Promise<void> {
    this.started ??= this.boot();
    return this.started;
  }

  private async boot(): Promise<void> {
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    for (const warning of this.env.warnings) this.logger.warn({ tag: 'config' }, warning);
    this.key = await loadOrCreateAdminKey(this.dataDir);

    const settingsStore = (this.settingsStore = this.options.settingsStore ?? createJsonSettingsStore({ dir: this.dataDir }));
    const loaded = await settingsStore.load();
    if (loaded.status === 'corrupt') this.logger.error({ tag: 'state', file: loaded.setAsidePath }, `Settings were unreadable (${loaded.error}); set aside, starting from defaults.`);
    this.stored = loaded.status === 'ok' ? loaded.value : defaultSettings();
    this.effective = this.layered(this.stored);

    const { modelsBaseUrl, apiBaseUrl } = this.env;
    let fixed: EnvAccount[] = this.env.accounts;

    // Accounts of every other provider (environment and config file) beside GitHub Models' own.
    const others = otherProviderAccounts(this.options.env, this.options.config ?? null);
    for (const warning of others.warnings) this.logger.warn({ tag: 'config' }, warning);
    fixed = [...fixed, ...others.accounts];
    const providerUpstream = createProviderUpstream({ timeouts: this.effective.timeouts });
    const github = createUpstreamClient({ modelsBaseUrl, apiBaseUrl, timeouts: this.effective.timeouts, userAgent: `switchyard/${VERSION}` });
    const upstream = (this.upstream = compositeUpstream(github, providerUpstream));
    const state = (this.state = createJsonStateStore({ dir: this.dataDir, redact: (text) => this.redactor.redactLiterals(text), onError: (error) => this.logger.error({ tag: 'state', err: error }, 'Could not save state') }));
    const restored = await state.load();
    if (restored.status === 'corrupt') this.logger.error({ tag: 'state', file: restored.setAsidePath }, `State was unreadable (${restored.error}); set aside, starting with empty quota state.`);
    const persisted = restored.status === 'ok' ? restored.value : null;

    const events = (this.events = new EventLog({ startId: this.startId, clock: systemClock, initial: persisted ?? undefined, redact: (body) => this.redactor.redactDeep(body) }));
    events.onEvent((event) => {
      this.eventListeners.emit(event);
      this.persist.poke();
      this.snapshotPush.poke();
    });
    const quota = (this.quota = await createQuotaStore({ env: this.options.env, registry: this.metrics.registry }));
    quota.onHealth((warnings) => {
      for (const w of warnings) this.logger.warn({ tag: 'quota-store', code: w.code }, w.message);
      if (warnings.length === 0) this.logger.info({ tag: 'quota-store' }, 'The shared quota store (Redis) is reachable');
    });
    await quota.ready();
    const pool = (this.pool = createPool({ upstream, clock: systemClock, settings: () => this.effective, emit: (body) => this.emit(body), observe: (o) => this.metrics.observe(o), logger: this.logger, quota: quota.store, durable: () => this.saveNow() }));
    if (persisted) await pool.restore(persisted.ledger);
    pool.onChange(() => {
      this.snapshotPush.poke();
      this.persist.poke();
    });

    const secrets =
      this.options.secretStore ??
      createFileSecretStore({
        dir: this.dataDir,
        onCorrupt: (outcome) => this.logger.error({ tag: 'state', file: outcome.setAsidePath }, 'The secrets file was unreadable; set aside. Re-add the accounts that were stored in it.'),
      });
    const book = (this.book = new AccountBook({ upstream, secrets, settings: () => this.stored, changeSettings: (change) => this.changeSettings(change), fixed, providers: providerUpstream, baseUrls: baseUrlsFromEnv(this.options.env) }));
    await book.load();
    // Accounts are usable at once; their logins (GET /user) resolve while the proxy starts listening.
    const resolvingLogins = this.syncAccounts();

    this.catalog = createCatalogService({
      upstream,
      refreshMs: 6 * 3600_000,
      tokenProvider: () => book.list().find((a) => !a.disabled)?.token ?? null,
      logger: this.logger,
      onRetired: () => pool.retire('github'),
      retired: () => pool.isRetired('github'),
    });

    const catalogs = (this.providerCatalogs = createProviderCatalogs({
      upstream: providerUpstream,
      accounts: () => book.list().flatMap((a) => (a.provider && a.provider !== 'github' && a.creds && !a.disabled ? [{ provider: a.provider, ...a.creds }] : [])),
      logger: this.logger,
    }));
    this.routing = createProviderRouting({
      catalogs,
      settings: () => this.effective,
      config: this.options.config ?? null,
      clock: systemClock,
      githubAccounts: () => this.hasGithubAccount,
      githubServes: () => this.hasGithubAccount && !pool.isRetired('github'),
    });

    this.listener = new Listener(() => this.buildProxyApp(), () => this.snapshotPush.poke());
    await this.listener.listen({ host: this.effective.host, port: this.effective.port });
    await resolvingLogins;
    const bound = this.listener.address;
    this.emit({ kind: 'started', version: VERSION, host: bound?.host ?? this.effective.host, port: bound?.port ?? this.effective.port, accounts: book.count() });
    this.logger.info({ tag: 'restart', startId: this.startId, version: VERSION, accounts: book.count(), simulate: Boolean(this.options.simulate) }, `Switchyard ${VERSION} started (start ${this.startId}); older log lines belong to earlier runs`);
  }

  private buildProxyApp() {
    const pool = this.pool as Pool;
    const catalog = this.catalog as NonNullable<typeof this.catalog>;
    return buildApp({
      pool,
      hasAccounts: () => this.book?.isEmpty() === false,
      catalog: () => catalog.current(),
      routing: () => this.routing?.() ?? null,
      settings: () => this.effective,
      snapshot: () => this.snapshot(),
      proxyRunning: () => this.running,
      version: VERSION,
      startId: this.startId,
      startedAt: this.startedAt,
      logger: this.logger,
      admin: this,
      adminKey: this.adminKey,
      dashboardDir: this.options.dashboardDir ?? null,
      metrics: this.metrics,
      insecureNoClientKey: this.env.insecureNoClientKey,
      redactor: this.redactor,
    });
  }

  /**
   * Every settings change is a read-modify-write of the latest saved settings, one at a time, and
   * durable before it resolves (acknowledged = on disk), then in effect. Serialized so that an
   * account added while a setting is saved can never write back a stale copy of the other.
   */
  private changeSettings(change: (current: Settings) => Settings): Promise<void> {
    const run = this.settingsQueue.then(async () => {
      if (!this.settingsStore) throw new Error('The engine has not started yet.');
      const next = change(this.stored);
      await this.settingsStore.save(next);
      this.stored = next;
      this.effective = this.layered(next);
    });
    this.settingsQueue = run.catch(() => undefined);
    return run;
  }

  private layered(settings: Settings): Settings {
    return applyOverrides(settings, this.env.overrides, this.cliOverrides);
  }

  private emit(body: EventBody): void {
    this.events?.append(body);
  }

  /** Writes the state file now and resolves when it is on disk (a new long block must not wait for the debounce). */
  private async saveNow(): Promise<void> {
    await this.saveState();
    await this.state?.flush();
  }

  private async saveState(): Promise<void> {
    if (!this.state || !this.pool || !this.events) return;
    try {
      const ledger = await this.pool.serialize();
      this.state.save({ version: 1, savedAt: Date.now(), ledger, ...this.events.toJSON() });
    } catch (err) {
      this.logger.error({ tag: 'state', err: err instanceof Error ? err.message : String(err) }, 'Could not read the quota state to save it');
    }
  }

  shutdown(): Promise<void> {
    this.stopping ??= this.teardown();
    return this.stopping;
  }

  private async teardown(): Promise<void> {
    await this.started?.catch(() => undefined);
    await this.listener?.close(DRAIN_MS);
    this.emit({ kind: 'stopped' });
    this.snapshotPush.cancel();
    this.persist.cancel();
    await this.saveState();
    await this.state?.close();
    await this.pool?.close();
    await this.quota?.close();
    this.catalog?.close();
    this.providerCatalogs?.close();
    await this.upstream?.close();
    this.logger.info({ tag: 'shutdown', startId: this.startId }, 'Switchyard stopped; state saved');
  }

  snapshot(): Snapshot {
    return composeSnapshot({
      version: VERSION,
      startId: this.startId,
      startedAt: this.startedAt,
      simulate: Boolean(this.options.simulate),
      settings: this.effective,
      running: this.running,
      listener: this.listener,
      pool: this.pool?.snapshot() ?? null,
      redact: (text) => this.redactor.redact(text),
      // The shared quota store's own health (Redis away: serving from local state).
      warnings: this.quota?.warnings() ?? [],
    });
  }

  onSnapshot(listener: (snapshot: Snapshot) => void): () => void {
    return this.snapshotListeners.add(listener);
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    return this.eventListeners.add(listener);
  }

  async getEvents(query: EventQuery = {}): Promise<EngineEvent[]> {
    return this.ready().events.list(query);
  }

  /**
   * The saved settings, as the Settings form edits them. The environment and command line may
   * override some for this run (PORT, HOST, throttling, …); the snapshot shows what is in effect.
   */
  async getSettings(): Promise<Settings> {
    return this.stored;
  }

  async updateSettings(patch: SettingsPatch): Promise<Settings> {
    this.ready();
    const before = this.effective;
    await this.changeSettings((current) => {
      const parsed = settingsSchema.safeParse({
        ...current,
        ...patch,
        throttling: { ...current.throttling, ...patch.throttling },
        inboundRateLimit: { ...current.inboundRateLimit, ...patch.inboundRateLimit },
        timeouts: { ...current.timeouts, ...patch.timeouts },
        notifications: { ...current.notifications, ...patch.notifications },
      });
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      throw new ProxyError(400, 'invalid_request_error', `Invalid setting ${issue?.path.join('.')}: ${issue?.message}`, { code: 'invalid_setting', param: issue?.path.join('.') ?? null });
    });
    if (before.host !== this.effective.host || before.port !== this.effective.port) {
      await this.listener?.relisten({ host: this.effective.host, port: this.effective.port }, DRAIN_MS);
    }
    this.snapshotPush.poke();
    return this.stored;
  }

  async addAccount(input: AddAccountInput): Promise<AddAccountResult> {
    const { book, pool } = this.ready();
    const logins = new Map(pool.snapshot().accounts.filter((a) => a.login).map((a) => [a.key, a.login as string]));
    const result = await book.add(input, logins);
    if (result.ok) {
      await this.syncAccounts();
      this.emit({ kind: 'account-added', account: result.key, login: result.login });
    }
    return result;
  }

  async importFromGh(): Promise<AddAccountResult> {
    const read = this.options.readGhToken;
    if (!read) return { ok: false, code: 'gh_not_installed', message: 'Importing from the GitHub CLI is not available here: paste a token.' };
    const gh = await read();
    return gh.ok ? this.addAccount({ token: gh.token }) : gh;
  }

  async listAccounts(): Promise<AccountListing[]> {
    return withOwnerNotes(this.ready().book.listings(), this.ready().pool.snapshot().accounts);
  }

  async removeAccount(key: string): Promise<void> {
    const { book } = this.ready();
    await book.remove(key);
    await this.syncAccounts();
    this.emit({ kind: 'account-removed', account: key });
  }

  async updateAccount(key: string, patch: AccountPatch): Promise<void> {
    const { book } = this.ready();
    await book.update(key, patch);
    await this.syncAccounts();
  }

  async reorderAccounts(keys: string[]): Promise<void> {
    const { book } = this.ready();
    await book.reorder(keys);
    await this.syncAccounts();
  }

  async reset(target: ResetTarget) {
    return { cleared: await this.ready().pool.reset(target) };
  }

  async startProxy(): Promise<void> {
    const listener = this.ready().listener;
    const wasServing = this.running && listener.status.status === 'running';
    this.running = true;
    if (listener.status.status !== 'running') await listener.relisten({ host: this.effective.host, port: this.effective.port }, DRAIN_MS);
    const bound = listener.address;
    if (bound && !wasServing) this.emit({ kind: 'proxy-started', host: bound.host, port: bound.port });
    this.snapshotPush.poke();
  }

  async stopProxy(): Promise<void> {
    this.ready();
    if (!this.running) return;
    this.running = false;
    this.emit({ kind: 'proxy-stopped', reason: 'stopped by the user' });
    this.snapshotPush.poke();
  }

  async generateApiKey(): Promise<{ apiKey: string }> {
    const apiKey = `sk-switchyard-${randomBytes(24).toString('base64url')}`;
    await this.updateSettings({ apiKey });
    return { apiKey };
  }

  async clearApiKey(): Promise<void> {
    await this.updateSettings({ apiKey: null });
  }

  /** Read on every request (model plans): known once per change of the accounts, not scanned per request. */
  private hasGithubAccount = false;

  private noteAccounts(book: AccountBook): void {
    this.hasGithubAccount = book.list().some((a) => (a.provider ?? 'github') === 'github' && !a.disabled);
  }

  /** Hands the book's accounts to the pool: the one place the two meet. */
  private syncAccounts(): Promise<void> {
    const { book, pool } = this;
    if (!book || !pool) throw new Error('The engine has not loaded its accounts yet.');
    this.noteAccounts(book);
    void this.providerCatalogs?.accountsChanged();
    return pool.setAccounts(book.list());
  }

  private ready() {
    const { events, pool, book, listener } = this;
    if (!events || !pool || !book || !listener) throw new ProxyError(503, 'service_unavailable', 'Switchyard is still starting; try again in a moment.', { code: 'starting' });
    return { events, pool, book, listener };
  }
}
