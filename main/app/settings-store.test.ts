import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defaultSettings, type Settings } from '../../shared/settings';
import { openWithRecovery } from './kv-store';
import { DesktopSettingsStore, SETTINGS_MIGRATIONS, SETTINGS_STORE_NAME, settingsStoreFrom, upgradeSettings } from './settings-store';
import { confStore, tempDir } from './test-support/temp-conf';

let dir: string;
let cleanup: () => void;
const file = () => join(dir, `${SETTINGS_STORE_NAME}.json`);
const open = (version = '0.1.0') =>
  new DesktopSettingsStore(confStore({ name: SETTINGS_STORE_NAME, cwd: dir, migrations: SETTINGS_MIGRATIONS }, version));

describe('desktop settings store (electron-store over conf in a temp dir)', () => {
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('reports missing settings on first run', async () => {
    expect(await open().load()).toEqual({ status: 'missing' });
  });

  it('saves durably and loads back what was saved', async () => {
    const settings: Settings = { ...defaultSettings(), port: 4100, notifications: { rotation: false, invalid: true, exhausted: true, recovery: false } };
    await open().save(settings);
    expect(JSON.parse(readFileSync(file(), 'utf8')).settings.port).toBe(4100);
    if (process.platform !== 'win32') expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(await open().load()).toEqual({ status: 'ok', value: settings });
  });

  it('refuses to save invalid settings and leaves the file alone', async () => {
    const store = open();
    await store.save(defaultSettings());
    const before = readFileSync(file(), 'utf8');
    await expect(store.save({ ...defaultSettings(), port: 70_000 })).rejects.toThrow();
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });

  it('moves invalid settings aside and reports them as corrupt', async () => {
    writeFileSync(file(), JSON.stringify({ settings: { schemaVersion: 1, port: 'four thousand' } }));
    const store = open();
    const outcome = await store.load();
    expect(outcome.status).toBe('corrupt');
    if (outcome.status !== 'corrupt') return;
    expect(outcome.error).toContain('port');
    expect(JSON.parse(readFileSync(outcome.setAsidePath, 'utf8'))).toEqual({ schemaVersion: 1, port: 'four thousand' });
    expect(await store.load()).toEqual({ status: 'missing' });
  });

  it('moves an unparseable file aside and starts fresh', async () => {
    writeFileSync(file(), '{"settings": {"port": 40');
    const opened = await openWithRecovery(
      () => confStore({ name: SETTINGS_STORE_NAME, cwd: dir, migrations: SETTINGS_MIGRATIONS }),
      file(),
      () => 1234,
    );
    expect(opened.setAsidePath).toBe(`${file()}.corrupt-1234`);
    expect(readFileSync(opened.setAsidePath!, 'utf8')).toBe('{"settings": {"port": 40');
    const store = settingsStoreFrom(opened);
    expect(await store.load()).toMatchObject({ status: 'corrupt', setAsidePath: `${file()}.corrupt-1234` });
    expect(await store.load()).toEqual({ status: 'missing' });
    await store.save(defaultSettings());
    expect(existsSync(file())).toBe(true);
  });

  it('migrates an unversioned (schema 0) file when the app is upgraded', async () => {
    writeFileSync(file(), JSON.stringify({ __internal__: { migrations: { version: '0.0.9' } }, settings: { port: 4321 } }));
    open('0.1.0');
    const onDisk = JSON.parse(readFileSync(file(), 'utf8'));
    expect(onDisk.settings).toEqual({ port: 4321, schemaVersion: 1 });
    expect(onDisk.__internal__.migrations.version).toBe('0.1.0');
  });

  it('upgrades by schemaVersion on load too, and rejects an unknown future version', async () => {
    expect(upgradeSettings({ port: 1 })).toEqual({ port: 1, schemaVersion: 1 });
    expect(upgradeSettings({ schemaVersion: 1, port: 1 })).toEqual({ schemaVersion: 1, port: 1 });
    writeFileSync(file(), JSON.stringify({ __internal__: { migrations: { version: '0.1.0' } }, settings: { port: 4321 } }));
    expect(await open().load()).toMatchObject({ status: 'ok', value: { port: 4321, schemaVersion: 1 } });
    writeFileSync(file(), JSON.stringify({ settings: { schemaVersion: 2, port: 4321 } }));
    expect((await open().load()).status).toBe('corrupt');
  });

  it('tells listeners about loads and saves, and current() follows', async () => {
    const store = open();
    const seen: number[] = [];
    const off = store.onChange((s) => seen.push(s.port));
    expect(store.current().port).toBe(4000);
    await store.save({ ...defaultSettings(), port: 4001 });
    expect(store.current().port).toBe(4001);
    off();
    await store.save({ ...defaultSettings(), port: 4002 });
    expect(seen).toEqual([4001]);
  });
});
