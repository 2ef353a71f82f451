import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateAdminKey } from './admin-key';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchyard-admin-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const KEY = /^[A-Za-z0-9_-]{43}$/;

describe('loadOrCreateAdminKey', () => {
  it('creates a 32-byte url-safe key once and returns the same key after', async () => {
    const key = await loadOrCreateAdminKey(dir);
    expect(key).toMatch(KEY);
    expect(Buffer.from(key, 'base64url')).toHaveLength(32);
    expect((await fs.readFile(path.join(dir, 'admin.key'), 'utf8')).trim()).toBe(key);
    expect(await loadOrCreateAdminKey(dir)).toBe(key);
    expect(await fs.readdir(dir)).toEqual(['admin.key']);
  });

  it('concurrent first calls agree on one key', async () => {
    const keys = await Promise.all(Array.from({ length: 5 }, () => loadOrCreateAdminKey(dir)));
    expect(new Set(keys).size).toBe(1);
    expect((await fs.readFile(path.join(dir, 'admin.key'), 'utf8')).trim()).toBe(keys[0]);
  });

  it('gives each data folder its own key', async () => {
    const other = await fs.mkdtemp(path.join(os.tmpdir(), 'switchyard-admin-'));
    try {
      expect(await loadOrCreateAdminKey(dir)).not.toBe(await loadOrCreateAdminKey(other));
    } finally {
      await fs.rm(other, { recursive: true, force: true });
    }
  });

  it.skipIf(process.platform === 'win32')('keeps the key file at mode 0600', async () => {
    await loadOrCreateAdminKey(dir);
    const file = path.join(dir, 'admin.key');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    await fs.chmod(file, 0o644);
    await loadOrCreateAdminKey(dir);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
  });

  it('replaces an empty or malformed file', async () => {
    const file = path.join(dir, 'admin.key');
    for (const bad of ['', 'short', 'x'.repeat(42) + '!']) {
      await fs.writeFile(file, bad);
      const key = await loadOrCreateAdminKey(dir);
      expect(key).toMatch(KEY);
      expect((await fs.readFile(file, 'utf8')).trim()).toBe(key);
      expect(await loadOrCreateAdminKey(dir)).toBe(key);
    }
  });

  it('creates the data folder when missing', async () => {
    const nested = path.join(dir, 'a', 'b');
    const key = await loadOrCreateAdminKey(nested);
    expect(await loadOrCreateAdminKey(nested)).toBe(key);
  });
});
