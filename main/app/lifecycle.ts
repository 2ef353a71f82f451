import { app, dialog, safeStorage } from 'electron';
import type { Engine, EngineOptions } from '../core/engine-types';
import { findFreePort } from './free-port';
import { setLaunchAtLogin } from './launch-at-login';
import { createAppLog, openLogs, type AppLog } from './logs';
import { createRedactor, type Redactor } from '../core/mask';
import { newStartId } from '../core/start-id';
import { setupIpc } from './ipc';
import { setupNotifications } from './notifications';
import { appIconFile, resolveAppPaths, trayIconFile } from './paths';
import { openSecretStore, type DesktopSecretStore } from './secret-store';
import { openSettingsStore, type DesktopSettingsStore } from './settings-store';
import { setupTray, type TrayController } from './tray';
import { createTrayActions } from './tray-actions';
import { setupWindows, type WindowManager } from './window';
import { readGhToken } from '../cli/gh-token';

/**
 * The desktop app's life: single instance, then on ready the stores, the log, the engine (in this
 * process), IPC, notifications, the tray; the window only on demand. Closing windows keeps it in
 * the tray; Quit drains and persists through engine.shutdown() before the process exits.
 */

export interface DesktopStores {
  settings: DesktopSettingsStore;
  secrets: DesktopSecretStore;
}

export interface LifecycleDeps {
  createEngine: (options: EngineOptions) => Promise<Engine>;
  /** import.meta.dirname of dist/app/main.js */
  mainDir: string;
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  argv?: readonly string[];
  resourcesPath?: string;
  openStores?: (userData: string, warn: (message: string) => void) => Promise<DesktopStores>;
  openLog?: (logsDir: string, startId: () => string, secrets: () => readonly string[], redactor: Redactor) => Promise<AppLog>;
  setLaunchAtLogin?: (enabled: boolean) => Promise<void>;
  /** Longest wait for the engine to drain on Quit before exiting anyway. */
  shutdownTimeoutMs?: number;
  handleSignals?: boolean;
}

export interface DesktopApp {
  engine: Engine;
  windows: WindowManager;
  tray: TrayController;
  stores: DesktopStores;
  /** Quits like the menu does; resolves once everything is shut down. */
  quit(): Promise<void>;
}

/** Command-line flag / environment variable that opt in to storing tokens under basic_text. */
export const ALLOW_BASIC_TEXT_FLAG = '--allow-basic-text-secrets';
export const ALLOW_BASIC_TEXT_ENV = 'SWITCHYARD_ALLOW_BASIC_TEXT_SECRETS';

async function settleWithin(promise: Promise<unknown>, ms: number): Promise<'done' | 'timeout' | Error> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([promise.then(() => 'done' as const, (e: unknown) => (e instanceof Error ? e : new Error(String(e)))), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runDesktopApp(deps: LifecycleDeps): Promise<DesktopApp | null> {
  const platform = deps.platform ?? process.platform;
  const env = deps.env ?? process.env;
  const argv = deps.argv ?? process.argv;

  // Where state is kept, as for `switchyard serve`; one instance per data folder (the lock is keyed on it).
  if (env.SWITCHYARD_DATA_DIR) app.setPath('userData', env.SWITCHYARD_DATA_DIR);
  if (!app.requestSingleInstanceLock()) {
    app.quit(); // the running instance gets 'second-instance' and shows its window
    return null;
  }
  let windows: WindowManager | null = null;
  let showRequested = false;
  app.on('second-instance', () => {
    if (windows) windows.show('dashboard');
    else showRequested = true;
  });
  app.on('window-all-closed', () => {
    // Stay in the tray: the proxy keeps serving with no window open.
  });

  await app.whenReady();
  if (platform === 'darwin') app.dock?.hide();

  const paths = resolveAppPaths({
    mainDir: deps.mainDir,
    appPath: app.getAppPath(),
    isPackaged: app.isPackaged,
    resourcesPath: deps.resourcesPath ?? process.resourcesPath ?? '',
    userData: app.getPath('userData'),
  });
  const startId = newStartId();
  let secretsHeld: () => readonly string[] = () => [];
  // One redactor for the log and the engine: the engine tells it every key it holds (environment,
  // config file, Settings) and the admin key, so none reaches a log line, whatever its shape.
  const redactor = createRedactor();
  const log = await (deps.openLog ?? ((dir, id, secrets, r) => createAppLog({ logsDir: dir, startId: id, secrets, redactor: r })))(
    paths.logsDir,
    () => startId,
    () => secretsHeld(),
    redactor,
  );
  const warn = (tag: string) => (message: string) => log.logger.warn({ tag }, message);
  const allowBasicText = argv.includes(ALLOW_BASIC_TEXT_FLAG) || env[ALLOW_BASIC_TEXT_ENV] === '1';
  const stores = await (deps.openStores ??
    (async (userData, w) => ({
      settings: await openSettingsStore(userData),
      secrets: await openSecretStore({ userDataDir: userData, safeStorage, platform, allowBasicText, warn: w }),
    })))(paths.userData, warn('secrets'));
  secretsHeld = () => stores.secrets.knownSecrets();

  let engine: Engine;
  try {
    engine = await deps.createEngine({
      startId,
      dataDir: paths.userData,
      env,
      settingsStore: stores.settings,
      secretStore: stores.secrets,
      dashboardDir: null,
      readGhToken,
      logger: log.logger,
      redactor,
    });
  } catch (error) {
    // Nothing to serve or show without an engine: say why, and quit (the log has the rest).
    log.logger.error({ tag: 'startup', err: error }, 'The engine could not be built');
    await dialog.showMessageBox({ type: 'error', message: 'Switchyard could not start', detail: error instanceof Error ? error.message : String(error) });
    await log.close();
    app.exit(1);
    return null;
  }

  const win = (windows = setupWindows({
    preloadPath: paths.preloadPath,
    rendererIndex: paths.rendererIndex,
    ...(platform === 'darwin' ? {} : { iconPath: appIconFile(paths.iconsDir) }),
  }));
  const disposeIpc = setupIpc({ engine, windows: win, secrets: secretsHeld, warn: warn('ipc') });
  const offNotifications = setupNotifications({ engine, settings: () => stores.settings.current(), platform, onClick: () => win.show('dashboard') });

  let tray: TrayController | null = null;
  const refreshTray = () => tray?.refresh();
  tray = setupTray({
    engine,
    iconPath: (state) => trayIconFile(paths.iconsDir, state, platform),
    launchAtLogin: () => stores.settings.current().launchAtLogin,
    offerKeepTokensOnDisk: () => stores.secrets.canOptInToBasicText(),
    ...(platform === 'win32' ? { onClick: () => void win.show('dashboard') } : {}),
    handlers: createTrayActions({
      engine,
      windows: win,
      launchAtLogin: () => stores.settings.current().launchAtLogin,
      secrets: stores.secrets,
      openLogs: () => openLogs(paths.logsDir),
      findFreePort,
      quit: () => app.quit(),
      refreshTray,
    }),
    onError: (error, action) => {
      const message = error instanceof Error ? error.message : String(error);
      log.logger.error({ tag: 'tray', action, err: error }, `Tray action ${action} failed`);
      void dialog.showMessageBox({ type: 'error', message: 'Switchyard could not do that', detail: message });
    },
  });

  // Settings are the source of truth for Launch at Login: apply each change (and the first load).
  const applyLaunch = deps.setLaunchAtLogin ?? ((enabled: boolean) => setLaunchAtLogin(enabled, { platform, env }));
  let appliedLaunch: boolean | null = null;
  const offSettings = stores.settings.onChange((settings) => {
    if (settings.launchAtLogin !== appliedLaunch) {
      appliedLaunch = settings.launchAtLogin;
      applyLaunch(settings.launchAtLogin).catch((error: unknown) =>
        log.logger.error({ tag: 'launch-at-login', err: error }, 'Could not change Launch at Login'),
      );
    }
    refreshTray();
  });

  let exiting = false;
  let quitting: Promise<void> | null = null;
  const onSignal = () => app.quit();
  const shutdown = async () => {
    log.logger.info({ tag: 'shutdown' }, 'Quitting: finishing in-flight requests and saving state');
    const outcome = await settleWithin(engine.shutdown(), deps.shutdownTimeoutMs ?? 15_000);
    if (outcome !== 'done') log.logger.error({ tag: 'shutdown', err: outcome === 'timeout' ? undefined : outcome }, `Shutdown did not finish cleanly (${outcome === 'timeout' ? 'timed out' : outcome.message})`);
    offSettings();
    offNotifications();
    disposeIpc();
    tray?.destroy();
    win.closeAll();
    if (deps.handleSignals !== false) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    await log.close();
    exiting = true;
    app.exit(0);
  };
  app.on('before-quit', (event) => {
    if (exiting) return;
    event.preventDefault();
    quitting ??= shutdown();
  });
  if (deps.handleSignals !== false) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  try {
    await engine.start();
  } catch (error) {
    log.logger.error({ tag: 'startup', err: error }, 'The engine failed to start');
    void dialog.showMessageBox({ type: 'error', message: 'Switchyard could not start', detail: error instanceof Error ? error.message : String(error) });
  }

  refreshTray(); // the secret store now knows whether tokens can be kept (the menu may offer the opt-in)

  const firstRun = engine.snapshot().accounts.length === 0;
  if (firstRun) win.show('settings');
  else if (showRequested || argv.includes('--show')) win.show('dashboard');

  return {
    engine,
    windows: win,
    tray,
    stores,
    quit: () => {
      app.quit();
      return quitting ?? Promise.resolve();
    },
  };
}
