import { writeFile } from 'node:fs/promises';
import { settingsSchema, type Settings } from '../../shared/settings';
import type { LoadOutcome, SettingsStore } from '../core/state/types';
import { openElectronStore, type KeyValueStore, type OpenedStore, type StoreMigrations } from './kv-store';

/**
 * Desktop settings: one `settings` entry in electron-store (`settings.json` in userData),
 * validated with the shared zod schema on every load and save, upgraded by schemaVersion.
 * Tells listeners about every saved change (launch at login, notification toggles, the tray).
 */

const KEY = 'settings';
export const SETTINGS_STORE_NAME = 'settings';

type Upgrade = (raw: Record<string, unknown>) => Record<string, unknown>;

/** Step n upgrades a settings object of schemaVersion n to n + 1. Version 0: no schemaVersion field. */
const UPGRADES: Record<number, Upgrade> = {
  0: (raw) => ({ ...raw, schemaVersion: 1 }),
};
export const CURRENT_SCHEMA_VERSION = 1;

export function upgradeSettings(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  let value = raw as Record<string, unknown>;
  let version = typeof value.schemaVersion === 'number' ? value.schemaVersion : 0;
  while (version < CURRENT_SCHEMA_VERSION) {
    const step = UPGRADES[version];
    if (!step) break;
    value = step(value);
    version += 1;
  }
  return value;
}

/** electron-store migrations (run once when the app version passes the key). */
export const SETTINGS_MIGRATIONS: StoreMigrations = {
  '0.1.0': (store) => {
    if (store.has(KEY)) store.set(KEY, upgradeSettings(store.get(KEY)));
  },
};

export class DesktopSettingsStore implements SettingsStore {
  private latest: Settings = settingsSchema.parse({});
  private readonly listeners = new Set<(settings: Settings) => void>();
  private pendingSetAside: { path: string; error: string } | null;

  constructor(
    private readonly kv: KeyValueStore,
    setAside: { path: string; error: string } | null = null,
    private readonly now: () => number = Date.now,
  ) {
    this.pendingSetAside = setAside;
  }

  async load(): Promise<LoadOutcome<Settings>> {
    if (this.pendingSetAside) {
      const { path, error } = this.pendingSetAside;
      this.pendingSetAside = null;
      return { status: 'corrupt', setAsidePath: path, error };
    }
    if (!this.kv.has(KEY)) return { status: 'missing' };
    const raw = this.kv.get(KEY);
    const parsed = settingsSchema.safeParse(upgradeSettings(raw));
    if (!parsed.success) {
      const setAsidePath = `${this.kv.path}.invalid-${this.now()}`;
      await writeFile(setAsidePath, JSON.stringify(raw, null, 2), { mode: 0o600 });
      this.kv.delete(KEY);
      const error = parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; ');
      return { status: 'corrupt', setAsidePath, error };
    }
    this.apply(parsed.data);
    return { status: 'ok', value: parsed.data };
  }

  async save(settings: Settings): Promise<void> {
    const valid = settingsSchema.parse(settings);
    this.kv.set(KEY, valid); // written synchronously and atomically by electron-store
    this.apply(valid);
  }

  /** The last loaded or saved settings (defaults before the first load). */
  current(): Settings {
    return this.latest;
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private apply(settings: Settings): void {
    this.latest = settings;
    for (const listener of this.listeners) listener(settings);
  }
}

export function settingsStoreFrom(opened: OpenedStore): DesktopSettingsStore {
  const setAside = opened.setAsidePath ? { path: opened.setAsidePath, error: opened.error ?? 'unreadable' } : null;
  return new DesktopSettingsStore(opened.store, setAside);
}

export async function openSettingsStore(userDataDir: string): Promise<DesktopSettingsStore> {
  const opened = await openElectronStore({ name: SETTINGS_STORE_NAME, cwd: userDataDir, migrations: SETTINGS_MIGRATIONS });
  return settingsStoreFrom(opened);
}
