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
import { createRedactor, type Redactor } from './mask';
import { createMetrics, type Metrics } from './proxy/metrics';
import { Coalescer, Listeners } from './runtime/notifier';
import { composeSnapshot } from './runtime/snapshot';
import { newStartId } from './start-id';
import { VERSION } from './version';

/**
 * Builds the whole engine (settings, stores, pool, accounts, catalogs, routing, the HTTP app's
 * listener) and resolves with it, ready to `start()` listening. A build that fails rejects with the
 * cause, having closed whatever it had built.
 */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  // Hooks the parts call back through. The engine exists once the parts do; what they report while
  // being built (events, restored state) is remembered and passed on when it exists.
  let engine: SwitchyardEngine | null = null;
  let changedWhileBuilding = false;
  const built = (): SwitchyardEngine => {
    if (!engine) throw new Error('The engine is still being built.');
    return engine;
  };
  // The metrics read the snapshot when scraped, which happens only once the engine listens.
  const base = engineBase(options, () => built().snapshot());
  // The redactor knows every key the engine holds from the first log line of the build on.
  base.redactor.track(() => [...(engine?.heldKeys() ?? []), base.settings.effective.apiKey]);
  const parts = await bootEngine({
    options,
    dataDir: base.dataDir,
    env: base.env,
    logger: base.logger,
    redactor: base.redactor,
    startId: base.startId,
    startedAt: base.startedAt,
    settings: base.settings,
    metrics: base.metrics,
    engine: built,
    snapshot: () => built().snapshot(),
    proxyRunning: () => engine?.proxyRunning ?? false,
    onEvent: (event) => (engine ? engine.eventArrived(event) : (changedWhileBuilding = true)),
    onChange: () => (engine ? engine.changed() : (changedWhileBuilding = true)),
    onListenerChange: () => engine?.changed(),
    saveNow: () => built().saveNow(),
  });
  engine = new SwitchyardEngine(options, base, parts);
  if (changedWhileBuilding) engine.changed();
  return engine;
}

/** What the engine is given before its parts are built, and keeps. */
interface EngineBase {
  dataDir: string;
  logger: Logger;
  redactor: Redactor;
  startId: string;
  startedAt: number;
  env: EnvConfig;
  settings: SettingsCell;
  metrics: Metrics;
}

function engineBase(options: EngineOptions, snapshot: () => Snapshot): EngineBase {
  const env = readEnv(options.env);
  const cli = { host: options.overrides?.host, port: options.overrides?.port };
  return {
    dataDir: options.simulate ? join(options.dataDir, 'simulate') : options.dataDir,
    logger: options.logger ?? pino({ level: 'silent' }),
    redactor: options.redactor ?? createRedactor(),
    startId: options.startId ?? newStartId(),
    startedAt: Date.now(),
    env,
    settings: new SettingsCell((settings) => applyOverrides(settings, env.overrides, cli)),
    // Scraped only once the engine listens, by then built.
    metrics: createMetrics({ snapshot }),
  };
}

/**
 * One engine per process, fully built: its lifecycle (listen, shutdown, saving state), its views
 * (snapshot, events) and its admin API (`engine/admin.ts`). The wiring is `engine/boot.ts`.
 */
class SwitchyardEngine implements Engine {
  readonly dataDir: string;
  readonly startId: string;
  private readonly logger: Logger;
  private readonly redactor: Redactor;
  private readonly startedAt: number;
  private readonly settings: SettingsCell;
  private readonly admin: EngineAdmin;
  private started: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;

  private readonly snapshotListeners = new Listeners<Snapshot>();
  private readonly eventListeners = new Listeners<EngineEvent>();
  private readonly snapshotPush = new Coalescer(() => {
    if (this.snapshotListeners.size > 0) this.snapshotListeners.emit(this.snapshot());
  }, 250);
  private readonly persist = new Coalescer(() => void this.saveState(), 1_000);

  constructor(
    private readonly options: EngineOptions,
    base: EngineBase,
    private readonly parts: EngineParts,
  ) {
    this.dataDir = base.dataDir;
    this.startId = base.startId;
    this.logger = base.logger;
    this.redactor = base.redactor;
    this.startedAt = base.startedAt;
    this.settings = base.settings;
    this.admin = new EngineAdmin(parts, this.settings, () => this.snapshotPush.poke(), options.readGhToken);
  }

  /** The provider keys and the admin key: what the redactor masks besides the client key. */
  heldKeys(): string[] {
    return [...this.parts.book.list().map((a) => a.token), this.parts.adminKey];
  }

  get adminKey(): string {
    return this.parts.adminKey;
  }

  /** false while the user has stopped the proxy: /v1 answers 503, admin and health stay up. */
  get proxyRunning(): boolean {
    return this.admin.running;
  }

  /** Something the views show changed: a snapshot push and a state save are due. */
  changed(): void {
    this.snapshotPush.poke();
    this.persist.poke();
  }

  eventArrived(event: EngineEvent): void {
    this.eventListeners.emit(event);
    this.changed();
  }

  start(): Promise<void> {
    this.started ??= this.listen();
    return this.started;
  }

  /** Listens (unless the proxy was stopped through the admin API meanwhile) and waits for the accounts' logins. */
  private async listen(): Promise<void> {
    const { listener, book, emit, loginsResolved } = this.parts;
    const { host, port } = this.settings.effective;
    if (this.admin.running && listener.status.status === 'stopped') await listener.listen({ host, port });
    await loginsResolved;
    const bound = listener.address;
    const count = book.count();
    emit({ kind: 'started', version: VERSION, host: bound?.host ?? host, port: bound?.port ?? port, accounts: count });
    this.logger.info({ tag: 'restart', startId: this.startId, version: VERSION, accounts: count, simulate: Boolean(this.options.simulate) }, `Switchyard ${VERSION} started (start ${this.startId}); older log lines belong to earlier runs`);
  }

  /** Writes the state file now and resolves when it is on disk (a new long block must not wait for the debounce). */
  async saveNow(): Promise<void> {
    await this.saveState();
    await this.parts.state.flush();
  }

  private async saveState(): Promise<void> {
    const { pool, state, events } = this.parts;
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
    const { listener, emit, state, pool, quota, catalog, providerCatalogs, upstream } = this.parts;
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
    const parts = this.parts;
    return composeSnapshot({
      version: VERSION,
      startId: this.startId,
      startedAt: this.startedAt,
      simulate: Boolean(this.options.simulate),
      settings: this.settings.effective,
      running: this.admin.running,
      listener: parts.listener,
      pool: parts.pool.snapshot(),
      redact: (text) => this.redactor.redact(text),
      // The shared quota store's own health (Redis away: serving from local state).
      warnings: parts.quota.warnings(),
      routing: parts.routing,
    });
  }

  onSnapshot(listener: (snapshot: Snapshot) => void): () => void {
    return this.snapshotListeners.add(listener);
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    return this.eventListeners.add(listener);
  }

  async getEvents(query: EventQuery = {}): Promise<EngineEvent[]> {
    return this.admin.getEvents(query);
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
    return this.admin.listAccounts();
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
    this.admin.stopProxy();
  }

  generateApiKey(): Promise<{ apiKey: string }> {
    return this.call((a) => a.generateApiKey());
  }

  clearApiKey(): Promise<void> {
    return this.call((a) => a.clearApiKey());
  }

  /** Runs an admin call; a refusal comes back as a rejected promise, whether thrown or rejected. */
  private async call<T>(run: (admin: EngineAdmin) => Promise<T>): Promise<T> {
    return run(this.admin);
  }
}
