import path from 'node:path';
import { settingsSchema, type Settings } from '../../../shared/settings';
import { narrowMode, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, readJsonFile, writeFileAtomic } from './atomic-file';
import type { SettingsStore } from './types';

/** The schemaVersion this build writes. */
export const CURRENT_SETTINGS_VERSION = 1;

/** One step per version: `steps[n]` turns a version-n object into a version-(n+1) object. */
export type SettingsMigrations = Record<number, (raw: Record<string, unknown>) => Record<string, unknown>>;

/**
 * The migration steps of this build. None yet: v1 is the first version. When v2 arrives, add
 * `1: (v1) => ({ ...v1, schemaVersion: 2, ... })` here and raise CURRENT_SETTINGS_VERSION.
 */
export const settingsMigrations: SettingsMigrations = {};

/**
 * Brings a raw settings object up to `target` (the identity for a v1 file). A file without a
 * schemaVersion counts as v1. A file from a newer build, or one with no step for its version, throws
 * (the loader then sets it aside rather than guess).
 */
export function migrateSettings(
  raw: unknown,
  steps: SettingsMigrations = settingsMigrations,
  target: number = CURRENT_SETTINGS_VERSION,
): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  let current = raw as Record<string, unknown>;
  let version = current.schemaVersion === undefined ? 1 : current.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new Error(`unknown settings schemaVersion ${JSON.stringify(version)}`);
  }
  if (version > target) {
    throw new Error(`settings schemaVersion ${version} was written by a newer Switchyard (this one reads ${target})`);
  }
  while (version < target) {
    const step = steps[version];
    if (!step) throw new Error(`no migration from settings schemaVersion ${version}`);
    current = step(current);
    version += 1;
  }
  return current;
}

export function parseSettingsFile(raw: unknown): Settings {
  return settingsSchema.parse(migrateSettings(raw));
}

export interface JsonSettingsStore extends SettingsStore {
  /** Absolute path of settings.json. */
  readonly path: string;
}

/**
 * SettingsStore over `<dir>/settings.json`. Missing fields take their defaults; `save` validates,
 * writes atomically (mode 0600: the client API key lives here) and resolves once the file is durable.
 */
export function createJsonSettingsStore(options: { dir: string }): JsonSettingsStore {
  const file = path.resolve(options.dir, 'settings.json');
  return {
    path: file,
    async load() {
      await narrowMode(path.dirname(file), PRIVATE_DIR_MODE);
      await narrowMode(file, PRIVATE_FILE_MODE);
      return readJsonFile(file, parseSettingsFile);
    },
    async save(settings) {
      const valid = settingsSchema.parse(settings);
      await writeFileAtomic(file, `${JSON.stringify(valid, null, 2)}\n`, { mode: PRIVATE_FILE_MODE, createDir: true });
    },
  };
}
