import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './test-support/electron-fake';
import { FakeEngine } from './test-support/fake-engine';
import { makeAccount, makeSnapshot } from './test-support/snapshots';
import { confStore, tempDir } from './test-support/temp-conf';
import { createAppLog } from './logs';
import { runDesktopApp, type DesktopApp, type LifecycleDeps } from './lifecycle';
import { DesktopSettingsStore, SETTINGS_MIGRATIONS } from './settings-store';
import { DesktopSecretStore, type SecretStoreDeps } from './secret-store';
import type { EngineOptions } from '../core/engine-types';
import type { Settings, SettingsPatch } from '../../shared/settings';

vi.mock('electron', () => import('./test-support/electron-fake'));

let dir: string;
let cleanup: () => void;
let running: DesktopApp | null = null;

/** A fake engine that, like the real one, loads and saves through the stores it is given. */
/** As createEngine does: the stores are loaded while the engine is built, before it listens. */
async function wiredEngine(options: EngineOptions, accounts = 1): Promise<FakeEngine> {
  const engine = new FakeEngine();
  engine.current = makeSnapshot({ accounts: Array.from({ length: accounts }, (_, i) => makeAccount({ key: `GITHUB_TOKEN${i || ''}`, login: `user${i}` })) });
  const loaded = await options.settingsStore!.load();
  if (loaded.status === 'ok') engine.settings = loaded.value;
  await options.secretStore!.load();
  engine.updateSettings.mockImplementation(async (patch: SettingsPatch) => {
    const next = { ...engine.settings, ...patch } as Settings;
    await options.settingsStore!.save(next);
    engine.settings = next;
    return next;
  });
  return engine;
}

interface Started {
  app: DesktopApp | null;
  engine: FakeEngine | null;
  options: EngineOptions | null;
  launch: boolean[];
}

async function start(over: Partial<LifecycleDeps> & { accounts?: number } = {}): Promise<Started> {
  const out: Started = { app: null, engine: null, options: null, launch: [] };
  const deps: LifecycleDeps = {
    mainDir: `${dir}/dist/app`,
    platform: 'linux',
    env: {},
    argv: [],
    resourcesPath: '/nowhere',
    handleSignals: false,
    createEngine: async (options) => {
      out.options = options;
      out.engine = await wiredEngine(options, over.accounts ?? 1);
      return out.engine;
    },
    openStores: async (userData, warn) => ({
      settings: new DesktopSettingsStore(confStore({ name: 'settings', cwd: userData, migrations: SETTINGS_MIGRATIONS })),
      secrets: new DesktopSecretStore({
        kv: confStore({ name: 'secrets', cwd: userData }),
        safeStorage: fake.safeStorage as unknown as SecretStoreDeps['safeStorage'],
        platform: over.platform ?? 'linux',
        warn,
      }),
    }),
    setLaunchAtLogin: async (enabled) => void out.launch.push(enabled),
    ...over,
  };
  const pending = runDesktopApp(deps);
  fake.app.becomeReady();
  out.app = running = await pending;
  return out;
}

const tray = () => fake.Tray.instances.at(-1)!;
const click = (label: string) => tray().menu!.find(label)!.click!();

describe('desktop lifecycle', () => {
  beforeEach(() => {
    fake.resetElectronFake();
    ({ dir, cleanup } = tempDir());
    fake.fakeState.paths = { userData: `${dir}/userData` };
    fake.app.appPath = dir;
    running = null;
  });
  afterEach(async () => {
    if (running && fake.app.exitCode === null) await running.quit();
    cleanup();
  });

  it('a second launch quits at once and starts nothing', async () => {
    fake.fakeState.singleInstanceLock = false;
    const createEngine = vi.fn();
    const result = await runDesktopApp({ createEngine, mainDir: dir, handleSignals: false });
    expect(result).toBeNull();
    expect(fake.app.quitCalls).toBe(1);
    expect(createEngine).not.toHaveBeenCalled();
  });

  it('starts the engine in this process with the desktop stores, then the tray', async () => {
    const { engine, options } = await start();
    expect(options).toMatchObject({ dataDir: `${dir}/userData`, env: {}, dashboardDir: null });
    expect(options!.settingsStore).toBeInstanceOf(DesktopSettingsStore);
    expect(options!.secretStore).toBeInstanceOf(DesktopSecretStore);
    expect(options!.logger).toBeDefined();
    expect(engine!.start).toHaveBeenCalledTimes(1);
    expect(fake.Tray.instances).toHaveLength(1);
    expect(tray().menu!.find('Running on 127.0.0.1:4000')).toBeDefined();
    expect((tray().image as fake.FakeNativeImage).path).toBe(`${dir}/resources/icons/tray-ok.png`);
    expect(fake.BrowserWindow.instances).toHaveLength(0);
  });

  it('hands the log and the engine one redactor: a key only the engine holds is masked in the app log too', async () => {
    let logRedactor: unknown = null;
    let logStartId = () => '';
    const { options } = await start({
      openLog: async (logsDir, startId, secrets, redactor) => {
        logRedactor = redactor;
        logStartId = startId;
        return createAppLog({ logsDir, startId, secrets, redactor });
      },
    });
    expect(options!.redactor).toBeDefined();
    expect(options!.redactor).toBe(logRedactor);
    // The log's lines carry the engine's start id from the first one on (made before the engine is built).
    expect(options!.startId).toMatch(/^[0-9a-f]{8}$/);
    expect(logStartId()).toBe(options!.startId);
  });

  it('SWITCHYARD_DATA_DIR moves the data folder, as for the headless server', async () => {
    const { options } = await start({ env: { SWITCHYARD_DATA_DIR: `${dir}/elsewhere` } });
    expect(options!.dataDir).toBe(`${dir}/elsewhere`);
  });

  it('hides the dock icon on macOS; no dock elsewhere is fine', async () => {
    await start({ platform: 'darwin' });
    expect(fake.app.dock!.hidden).toBe(1);
    expect((tray().image as fake.FakeNativeImage).path).toBe(`${dir}/resources/icons/tray-okTemplate.png`);
  });

  it('without a dock (Linux) it starts all the same', async () => {
    fake.app.dock = undefined;
    const { engine } = await start({ platform: 'linux' });
    expect(engine!.start).toHaveBeenCalled();
  });

  it('keeps running when every window closes', async () => {
    const { app, engine } = await start();
    const win = app!.windows.show('dashboard');
    win.close();
    fake.app.emit('window-all-closed');
    expect(fake.app.quitCalls).toBe(0);
    expect(fake.app.exitCode).toBeNull();
    expect(engine!.shutdown).not.toHaveBeenCalled();
    expect(tray().isDestroyed()).toBe(false);
  });

  it('a second instance shows the window', async () => {
    await start();
    expect(fake.BrowserWindow.instances).toHaveLength(0);
    fake.app.emit('second-instance', {}, ['switchyard'], '/');
    const win = fake.BrowserWindow.instances[0]!;
    expect(win.isVisible()).toBe(true);
    expect(win.loaded).toEqual([{ file: `${dir}/dist/renderer/index.html`, hash: '/dashboard' }]);
  });

  it('on Windows a click on the tray icon opens the dashboard; elsewhere the menu does the job', async () => {
    await start({ platform: 'linux' });
    tray().emit('click');
    expect(fake.BrowserWindow.instances).toHaveLength(0);
    await running!.quit();
    fake.resetElectronFake();
    fake.fakeState.paths = { userData: `${dir}/userData2` };
    await start({ platform: 'win32' });
    tray().emit('click');
    expect(fake.BrowserWindow.instances[0]!.loaded[0]!.hash).toBe('/dashboard');
  });

  it('the first run (no accounts) opens Settings', async () => {
    await start({ accounts: 0 });
    expect(fake.BrowserWindow.instances[0]!.loaded[0]!.hash).toBe('/settings');
  });

  it('Quit drains and persists through engine.shutdown, then really exits', async () => {
    const { app, engine } = await start();
    let finishDrain: () => void = () => undefined;
    engine!.shutdown.mockImplementation(() => new Promise<undefined>((resolve) => (finishDrain = () => resolve(undefined))));
    click('Quit');
    expect(fake.app.quitCalls).toBe(1);
    expect(engine!.shutdown).toHaveBeenCalledTimes(1);
    await Promise.resolve();
    expect(fake.app.exitCode).toBeNull();
    fake.app.quit(); // a second Quit while draining does not start another shutdown
    expect(engine!.shutdown).toHaveBeenCalledTimes(1);
    finishDrain();
    await app!.quit();
    expect(fake.app.exitCode).toBe(0);
    expect(tray().isDestroyed()).toBe(true);
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(engine!.listenerCount).toBe(0);
  });

  it('Quit exits even when draining never finishes', async () => {
    const { engine } = await start({ shutdownTimeoutMs: 5 });
    engine!.shutdown.mockImplementation(() => new Promise<undefined>(() => undefined));
    click('Quit');
    await vi.waitFor(() => expect(fake.app.exitCode).toBe(0));
  });

  it('Start / Stop proxy from the tray', async () => {
    const { engine } = await start();
    click('Stop Proxy');
    expect(engine!.stopProxy).toHaveBeenCalledTimes(1);
    engine!.emitSnapshot(makeSnapshot({ accounts: engine!.current.accounts }, { status: 'stopped' }));
    expect(tray().tooltips.at(-1)).toBe('Switchyard — stopped');
    click('Start Proxy');
    expect(engine!.startProxy).toHaveBeenCalledTimes(1);
  });

  it('port in use: the tray says so and "Use Another Port…" saves a free port and starts', async () => {
    const { engine } = await start();
    const error = 'Port 4000 on 127.0.0.1 is already in use (another Switchyard or another program).';
    engine!.emitSnapshot(makeSnapshot({ accounts: engine!.current.accounts }, { status: 'error', error }));
    expect(tray().tooltips.at(-1)).toBe(`Switchyard — ${error}`);
    expect(tray().menu!.find(`Not running: ${error}`)).toBeDefined();
    click('Use Another Port…');
    await vi.waitFor(() => expect(engine!.startProxy).toHaveBeenCalledTimes(1));
    const patch = engine!.updateSettings.mock.calls[0]![0] as SettingsPatch;
    expect(patch.port).toBeGreaterThan(0);
    expect(patch.port).not.toBe(4000);
    expect(running!.stores.settings.current().port).toBe(patch.port);
  });

  it('Launch at Login from the tray goes through settings to the OS and back to the checkbox', async () => {
    const { launch } = await start();
    expect(tray().menu!.find('Launch at Login')!.checked).toBe(false);
    click('Launch at Login');
    await vi.waitFor(() => expect(tray().menu!.find('Launch at Login')!.checked).toBe(true));
    expect(launch.at(-1)).toBe(true);
    expect(running!.stores.settings.current().launchAtLogin).toBe(true);
  });

  it('Copy Base URL and View Logs', async () => {
    await start();
    click('Copy Base URL');
    expect(fake.clipboard.text).toBe('http://127.0.0.1:4000/v1');
    click('View Logs');
    await vi.waitFor(() => expect(fake.shell.opened).toEqual([`${dir}/userData/logs/switchyard.1.log`]));
  });

  it('basic_text: the tray offers to keep tokens; accepting persists them', async () => {
    fake.fakeState.storageBackend = 'basic_text';
    const { app } = await start();
    expect(app!.stores.secrets.persistence()).toBe('memory-no-keyring');
    click('Keep Tokens Without a Keyring…');
    await vi.waitFor(() => expect(app!.stores.secrets.persistence()).toBe('basic-text'));
    expect(fake.dialog.shown[0]!.message).toBe('Store GitHub tokens without a keyring?');
    expect(tray().menu!.find('Keep Tokens Without a Keyring…')).toBeUndefined();
  });

  it('declining the basic_text warning changes nothing', async () => {
    fake.fakeState.storageBackend = 'basic_text';
    fake.fakeState.dialogResponse = 1;
    const { app } = await start();
    click('Keep Tokens Without a Keyring…');
    await vi.waitFor(() => expect(fake.dialog.shown).toHaveLength(1));
    await Promise.resolve();
    expect(app!.stores.secrets.persistence()).toBe('memory-no-keyring');
  });

  it('engine events become notifications', async () => {
    const { engine } = await start();
    engine!.emitEvent({ id: 1, ts: Date.now(), startId: 's', kind: 'model-exhausted', model: 'gpt-4o', until: null });
    expect(fake.Notification.shown.map((n) => n.title)).toEqual(['gpt-4o is exhausted on every account']);
  });

  it('an engine that fails to start is reported, and the tray stays', async () => {
    const started = start({
      createEngine: async (options) => {
        const engine = await wiredEngine(options);
        engine.start.mockRejectedValue(new Error('disk full'));
        return engine;
      },
    });
    await started;
    expect(fake.dialog.shown.at(-1)).toMatchObject({ message: 'Switchyard could not start', detail: 'disk full' });
    expect(tray().isDestroyed()).toBe(false);
  });

  it('an engine that cannot be built is reported, and the app exits with 1 (no tray, no window without an engine)', async () => {
    const { app } = await start({
      createEngine: async () => {
        throw new Error('keychain locked');
      },
    });
    expect(app).toBeNull();
    expect(fake.dialog.shown.at(-1)).toMatchObject({ type: 'error', message: 'Switchyard could not start', detail: 'keychain locked' });
    expect(fake.app.exitCode).toBe(1);
    expect(fake.Tray.instances).toHaveLength(0);
  });
});
