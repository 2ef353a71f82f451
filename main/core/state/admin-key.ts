import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ensureDir, fsyncDirectory, narrowFileMode, writeFileAtomic, writeTempFile } from './atomic-file';

const KEY_FILE_MODE = 0o600;
/** 32 random bytes, base64url without padding. */
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Calls in flight per data folder, so concurrent first calls agree on one key. */
const inFlight = new Map<string, Promise<string>>();

/**
 * The admin API key of a data folder: read from `<dir>/admin.key` (mode 0600), created there on
 * first use. An empty or malformed file is replaced with a fresh key.
 */
export function loadOrCreateAdminKey(dir: string): Promise<string> {
  const file = path.resolve(dir, 'admin.key');
  const running = inFlight.get(file);
  if (running) return running;
  const run = loadOrCreate(dir, file).finally(() => inFlight.delete(file));
  inFlight.set(file, run);
  return run;
}

async function loadOrCreate(dir: string, file: string): Promise<string> {
  const existing = await readKey(file);
  if (existing.status === 'ok') return existing.key;
  await ensureDir(dir);
  const key = randomBytes(32).toString('base64url');
  if (existing.status === 'invalid') {
    await writeFileAtomic(file, `${key}\n`, { mode: KEY_FILE_MODE });
    return key;
  }
  // Missing: create exclusively (link fails if another process created it first), then use whichever won.
  const temp = await writeTempFile(file, `${key}\n`, { mode: KEY_FILE_MODE });
  try {
    await fs.link(temp, file);
    await fsyncDirectory(dir);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readKey(file);
    if (winner.status === 'ok') return winner.key;
    await writeFileAtomic(file, `${key}\n`, { mode: KEY_FILE_MODE });
    return key;
  } finally {
    await fs.rm(temp, { force: true }).catch(() => undefined);
  }
}

type KeyRead = { status: 'ok'; key: string } | { status: 'missing' } | { status: 'invalid' };

async function readKey(file: string): Promise<KeyRead> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    return { status: 'invalid' };
  }
  const key = text.trim();
  if (!KEY_PATTERN.test(key)) return { status: 'invalid' };
  await narrowFileMode(file, KEY_FILE_MODE);
  return { status: 'ok', key };
}
