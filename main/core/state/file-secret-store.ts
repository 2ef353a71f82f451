import path from 'node:path';
import { z } from 'zod';
import { accountIdSchema, accountMap } from './account-id';
import { narrowFileMode, narrowMode, PRIVATE_DIR_MODE, readJsonFile, writeFileAtomic } from './atomic-file';
import type { LoadOutcome, SecretStore } from './types';

const SECRET_FILE_MODE = 0o600;

const secretsFileSchema = z.object({
  version: z.literal(1),
  secrets: z.record(z.string(), z.string()),
});

export interface FileSecretStoreOptions {
  dir: string;
  /** Told when secrets.json was invalid and set aside; `load` then returns no secrets. */
  onCorrupt?: (outcome: Extract<LoadOutcome<unknown>, { status: 'corrupt' }>) => void;
}

export interface FileSecretStore extends SecretStore {
  /** Absolute path of secrets.json. */
  readonly path: string;
}

/**
 * SecretStore for headless servers: `<dir>/secrets.json` as `{ version: 1, secrets: { key: token } }`,
 * mode 0600 in a 0700 folder, written atomically. Not encrypted; the desktop app uses safeStorage instead.
 */
export function createFileSecretStore(options: FileSecretStoreOptions): FileSecretStore {
  const file = path.resolve(options.dir, 'secrets.json');
  return {
    path: file,
    async load() {
      await narrowMode(path.dirname(file), PRIVATE_DIR_MODE);
      // Read with its own (JSON.parse) keys kept as data: a stored `__proto__` must neither set a prototype nor survive.
      const outcome = await readJsonFile(file, (raw) => accountMap(Object.entries(secretsFileSchema.parse(raw).secrets)));
      if (outcome.status === 'ok') {
        await narrowFileMode(file, SECRET_FILE_MODE);
        return outcome.value;
      }
      if (outcome.status === 'corrupt') options.onCorrupt?.(outcome);
      return {};
    },
    async save(secrets) {
      for (const id of Object.keys(secrets)) accountIdSchema.parse(id);
      const body = { version: 1, secrets: accountMap(Object.entries(secrets)) };
      await writeFileAtomic(file, `${JSON.stringify(body, null, 2)}\n`, { mode: SECRET_FILE_MODE, createDir: true });
    },
    describe: () =>
      `stored unencrypted in ${file}, readable only by your user (like the GitHub CLI's hosts.yml)`,
  };
}
