import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { AccountListing, AccountPatch, AddAccountInput, AddAccountResult, EventQuery, ResetTarget } from '../../shared/api';
import type { EngineEvent } from '../../shared/events';
import type { Settings, SettingsPatch } from '../../shared/settings';
import type { Snapshot } from '../../shared/snapshot';
import { applyOverrides, readEnv, type EnvConfig } from './config/env';
import { DRAIN_MS, EngineAdmin } from './engine/admin';
import { bootEngine, type EngineParts } from './engine/boot';
import { SettingsCell } from './engine/settings-cell';
import type { Engine, EngineOptions } from './engine-types';
import { ProxyError } from './errors';
import { createRedactor, type Redactor } from './mask';
import { createMetrics } from './proxy/metrics';
import { Coalescer, Listeners } from './runtime/notifier';
import { composeSnapshot } from './runtime/snapshot';
import { VERSION } from './version';

export function createEngine(options: EngineOptions): Engine {
  return new SwitchyardEngine(options);
}

interface Started {
  parts: EngineParts;
  admin: EngineAdmin;
}

/**
 * One engine per process: its lifecycle (start, shutdown, saving state) and its views (snapshot,
 * events). The wiring is `engine/boot.ts`, the admin API `engine/admin.ts`. Before `start()` has
 * resolved there is one thing missing, the started engine, and the admin API answers "starting".
 */
class SwitchyardEngine implements Engine {
  readonly dataDir: string;
  private readonly logger: Logger;
  private readonly redactor: Redactor;
  private readonly startId = randomBytes(4).toString('hex');
  private readonly startedAt = Date.now();
  private readonly env: EnvConfig;
  private readonly settings: SettingsCell;
  private live: Started | null = null;
  private started: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;

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
    this.dataDir = options.simulate ? join(options.dataDir, 'simulate') : options.dataDir;
    this.env = readEnv(options.env);
    const cli = { host: options.overrides?.host, port: options.overrides?.port };
    this.settings = new SettingsCell((settings) => applyOverrides(settings, this.env.overrides, cli));
    this.redactor.track(() => [...(this.live?.parts.book.list().map((a) => a.token) ?? []), this.settings.effective.apiKey, this.live?.parts.adminKey ?? null]);
  }

  get adminKey(): string {
    if (!this.live) throw new Error('The engine has not started yet.');
    return this.live.parts.adminKey;
  }

  start(): Promise<void> {
    this.started ??= this.boot();
    return this.started;
  }

  private async boot(): Promise<void> {
    const changed = () => this.snapshotPush.poke();
    let admin: EngineAdmin | null = null;
    const parts = await bootEngine({
      options: this.options,
      dataDir: this.dataDir,
      env: this.env,
      logger: this.logger,
      redactor: this.redactor,
      startId: this.startId,
      startedAt: this.startedAt,
      settings: this.settings,
      metrics: this.metrics,
      admin: this,
      snapshot: () => this.snapshot(),
      proxyRunning: () => admin?.running ?? true,
      onEvent: (event) => {
        this.eventListeners.emit(event);
        this.persist.poke();
        this.snapshotPush.poke();
      },
      onChange: () => {
        this.snapshotPush.poke();
        this.persist.poke();
      },
      onListenerChange: changed,
      saveNow: () => this.saveNow(),
    });
    admin = new EngineAdmin(parts, this.settings, changed, this.options.readGhToken);
    this.live = { parts, admin };
    const bound = parts.listener.address;
    const count = parts.book.count();
    parts.emit({ kind: 'started', version: VERSION, host: bound?.host ?? this.settings.effective.host, port: bound?.port ?? this.settings.effective.port, accounts: count });
    this.logger.info({ tag: 'restart', startId: this.startId, version: VERSION, accounts: count, simulate: Boolean(this.options.simulate) }, `Switchyard ${VERSION} started (start ${this.startId}); older log lines belong to earlier runs`);
  }

  /** Writes the state file now and resolves when it is on disk (a new long block must not wait for the debounce). */
  private async saveNow(): Promise<void> {
    await this.saveState();
    await this.live?.parts.state.flush();
  }

  private async saveState(): Promise<void> {
    if (!this.live) return;
    const { pool, state, events } = this.live.parts;
    try {
      const ledger = await pool.serialize();
      state.save({ version: 1, savedAt: Date.now(), ledger, ...events.toJSON() });
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
    const live = this.live;
    if (!live) return;
    const { listener, emit, state, pool, quota, catalog, providerCatalogs, upstream } = live.parts;
    await listener.close(DRAIN_MS);
    emit({ kind: 'stopped' });
    this.snapshotPush.cancel();
    this.persist.cancel();
    await this.saveState();
    await state.close();
    await pool.close();
    await quota.close();
    catalog.close();
    providerCatalogs.close();
    await upstream.close();
    this.logger.info({ tag: 'shutdown', startId: this.startId }, 'Switchyard stopped; state saved');
  }

  snapshot(): Snapshot {
    const parts = this.live?.parts;
    return composeSnapshot({
      version: VERSION,
      startId: this.startId,
      startedAt: this.startedAt,
      simulate: Boolean(this.options.simulate),
      settings: this.settings.effective,
      running: this.live?.admin.running ?? true,
      listener: parts?.listener ?? null,
      pool: parts?.pool.snapshot() ?? null,
      redact: (text) => this.redactor.redact(text),
      // The shared quota store's own health (Redis away: serving from local state).
      warnings: parts?.quota.warnings() ?? [],
      routing: parts?.routing ?? null,
    });
  }

  onSnapshot(listener: (snapshot: Snapshot) => void): () => void {
    return this.snapshotListeners.add(listener);
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    return this.eventListeners.add(listener);
  }

  /** The admin API of the started engine; until `start()` resolves, a 503 the clients can retry. */
  private admin(): EngineAdmin {
    if (!this.live) throw new ProxyError(503, 'service_unavailable', 'Switchyard is still starting; try again in a moment.', { code: 'starting' });
    return this.live.admin;
  }

  async getEvents(query: EventQuery = {}): Promise<EngineEvent[]> {
    return this.admin().getEvents(query);
  }

  async getSettings(): Promise<Settings> {
    return this.settings.stored;
  }

  updateSettings(patch: SettingsPatch): Promise<Settings> {
    return this.call((a) => a.updateSettings(patch));
  }

  addAccount(input: AddAccountInput): Promise<AddAccountResult> {
    return this.call((a) => a.addAccount(input));
  }

  importFromGh(): Promise<AddAccountResult> {
    return this.call((a) => a.importFromGh());
  }

  async listAccounts(): Promise<AccountListing[]> {
    return this.admin().listAccounts();
  }

  removeAccount(key: string): Promise<void> {
    return this.call((a) => a.removeAccount(key));
  }

  updateAccount(key: string, patch: AccountPatch): Promise<void> {
    return this.call((a) => a.updateAccount(key, patch));
  }

  reorderAccounts(keys: string[]): Promise<void> {
    return this.call((a) => a.reorderAccounts(keys));
  }

  reset(target: ResetTarget) {
    return this.call((a) => a.reset(target));
  }

  startProxy(): Promise<void> {
    return this.call((a) => a.startProxy());
  }

  async stopProxy(): Promise<void> {
    this.admin().stopProxy();
  }

  generateApiKey(): Promise<{ apiKey: string }> {
    return this.call((a) => a.generateApiKey());
  }

  clearApiKey(): Promise<void> {
    return this.call((a) => a.clearApiKey());
  }

  /** Runs an admin call; "still starting" comes back as a rejected promise, as every other refusal does. */
  private async call<T>(run: (admin: EngineAdmin) => Promise<T>): Promise<T> {
    return run(this.admin());
  }
}
