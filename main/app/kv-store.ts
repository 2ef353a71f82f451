import { rename } from 'node:fs/promises';
import { existsSync } from 'node:fs';

/**
 * The small key-value surface the desktop stores need. electron-store (and `conf`, which it
 * extends) provide it; electron-store is only loaded by openElectronStore, so tests can run the
 * stores over `conf` in a temp dir or over a plain map.
 */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  has(key: string): boolean;
  readonly path: string;
}

/** Conf-style migrations: keyed by app version (or semver range), run once when the app passes it. */
export type StoreMigrations = Record<string, (store: KeyValueStore) => void>;

export interface StoreOptions {
  name: string;
  /** Absolute folder (the app's userData). */
  cwd: string;
  migrations?: StoreMigrations;
}

export interface OpenedStore {
  store: KeyValueStore;
  /** Set when the file was unreadable and has been moved here. */
  setAsidePath: string | null;
  error: string | null;
}

/**
 * The option set shared by electron-store and conf (keys are plain, never dot paths; 0600).
 * electron-store takes the project version from `app.getVersion()`; conf needs it passed.
 */
export function storeOptions(options: StoreOptions) {
  return {
    cwd: options.cwd,
    ...(options.migrations ? { migrations: options.migrations } : {}),
    accessPropertiesByDotNotation: false,
    configFileMode: 0o600,
    clearInvalidConfig: false,
    watch: false,
  };
}

/**
 * Opens a store through `factory`; if its file cannot be parsed, moves the file aside
 * (`<file>.corrupt-<ms>`) and opens a fresh one, reporting where the old one went.
 */
export async function openWithRecovery(
  factory: () => KeyValueStore,
  filePath: string,
  now: () => number = Date.now,
): Promise<OpenedStore> {
  try {
    return { store: factory(), setAsidePath: null, error: null };
  } catch (error) {
    if (!existsSync(filePath)) throw error;
    const setAsidePath = `${filePath}.corrupt-${now()}`;
    await rename(filePath, setAsidePath);
    return { store: factory(), setAsidePath, error: error instanceof Error ? error.message : String(error) };
  }
}

/** electron-store, loaded lazily: it imports `electron` at module top. */
export async function openElectronStore(options: StoreOptions): Promise<OpenedStore> {
  const { default: ElectronStore } = await import('electron-store');
  const { join } = await import('node:path');
  return openWithRecovery(
    () => new ElectronStore<Record<string, unknown>>({ name: options.name, ...storeOptions(options) }),
    join(options.cwd, `${options.name}.json`),
  );
}
