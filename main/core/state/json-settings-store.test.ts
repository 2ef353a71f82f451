import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../../shared/settings';
import { createJsonSettingsStore, migrateSettings, parseSettingsFile, type SettingsMigrations } from './json-settings-store';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchyard-settings-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('createJsonSettingsStore', () => {
  it('reports a missing file, then round-trips a save', async () => {
    const store = createJsonSettingsStore({ dir });
    expect(await store.load()).toEqual({ status: 'missing' });
    const settings: Settings = {
      ...defaultSettings(),
      port: 4123,
      accounts: [{ key: 'work', plan: 'pro', disabled: false }],
    };
    await store.save(settings);
    // Durable when save resolves: a fresh store over the same folder reads it.
    expect(await createJsonSettingsStore({ dir }).load()).toEqual({ status: 'ok', value: settings });
    expect(await fs.readdir(dir)).toEqual(['settings.json']);
  });

  it('fills missing fields with defaults', async () => {
    await fs.writeFile(path.join(dir, 'settings.json'), JSON.stringify({ port: 5000, throttling: { enabled: true } }));
    const outcome = await createJsonSettingsStore({ dir }).load();
    expect(outcome).toEqual({
      status: 'ok',
      value: {
        ...defaultSettings(),
        port: 5000,
        throttling: { ...defaultSettings().throttling, enabled: true },
      },
    });
  });

  it('sets an invalid file aside and reports it', async () => {
    const file = path.join(dir, 'settings.json');
    await fs.writeFile(file, JSON.stringify({ port: 70_000 }));
    const store = createJsonSettingsStore({ dir });
    const outcome = await store.load();
    expect(outcome).toMatchObject({ status: 'corrupt', error: expect.stringContaining('port') });
    expect(await store.load()).toEqual({ status: 'missing' });
  });

  it('refuses to save invalid settings and keeps the file as it was', async () => {
    const store = createJsonSettingsStore({ dir });
    await store.save(defaultSettings());
    const before = await fs.readFile(store.path, 'utf8');
    await expect(store.save({ ...defaultSettings(), port: -1 })).rejects.toThrow();
    expect(await fs.readFile(store.path, 'utf8')).toBe(before);
  });

  it.skipIf(process.platform === 'win32')('writes settings.json with mode 0600 (it may hold the client API key)', async () => {
    const store = createJsonSettingsStore({ dir });
    await store.save({ ...defaultSettings(), apiKey: 'sk-local-123456' });
    expect((await fs.stat(store.path)).mode & 0o777).toBe(0o600);
  });

  it('creates its folder when missing', async () => {
    const store = createJsonSettingsStore({ dir: path.join(dir, 'new', 'place') });
    await store.save(defaultSettings());
    expect(await store.load()).toEqual({ status: 'ok', value: defaultSettings() });
  });

  it('sets aside a file from a newer version instead of guessing', async () => {
    await fs.writeFile(path.join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 2, port: 1 }));
    const outcome = await createJsonSettingsStore({ dir }).load();
    expect(outcome).toMatchObject({ status: 'corrupt', error: expect.stringContaining('newer Switchyard') });
  });
});

describe('migrateSettings', () => {
  it('is the identity for v1 files, with or without schemaVersion', () => {
    const v1 = { schemaVersion: 1, port: 4001 };
    expect(migrateSettings(v1)).toBe(v1);
    const unversioned = { port: 4001 };
    expect(migrateSettings(unversioned)).toBe(unversioned);
    expect(parseSettingsFile(unversioned)).toEqual({ ...defaultSettings(), port: 4001 });
  });

  it('rejects versions it cannot read', () => {
    expect(() => migrateSettings({ schemaVersion: 0 })).toThrow(/unknown settings schemaVersion/);
    expect(() => migrateSettings({ schemaVersion: '1' })).toThrow(/unknown settings schemaVersion/);
    expect(() => migrateSettings({ schemaVersion: 3 })).toThrow(/newer Switchyard/);
  });

  it('is where v2 goes: each step lifts one version, in order', () => {
    // What a future v2 would add: v1's `maxWaitMs` renamed to `waitForResetMs`.
    const steps: SettingsMigrations = {
      1: ({ maxWaitMs, ...rest }) => ({ ...rest, schemaVersion: 2, waitForResetMs: maxWaitMs }),
    };
    expect(migrateSettings({ schemaVersion: 1, port: 1, maxWaitMs: 5 }, steps, 2)).toEqual({
      schemaVersion: 2,
      port: 1,
      waitForResetMs: 5,
    });
    expect(migrateSettings({ port: 1 }, steps, 2)).toMatchObject({ schemaVersion: 2 });
    expect(() => migrateSettings({ schemaVersion: 1 }, {}, 2)).toThrow(/no migration from settings schemaVersion 1/);
  });
});
