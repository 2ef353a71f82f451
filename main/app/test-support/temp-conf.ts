import Conf from 'conf';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeOptions, type KeyValueStore, type StoreOptions } from '../kv-store';

/** `conf` (what electron-store extends) over a temp dir, with the same options the app uses. */
export function confStore(options: StoreOptions, projectVersion = '0.1.0'): KeyValueStore {
  return new Conf<Record<string, unknown>>({ configName: options.name, projectVersion, ...storeOptions(options) });
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-app-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
